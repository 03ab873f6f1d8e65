#pragma once
// How close a descent's answer is to the truth: the numbers the demos print and the tests assert.
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/losses.hpp"
#include "linalg/reference.hpp"

namespace tapegrad {

struct SvdComparison {
    double max_singular_value_error = 0.0;  // max_j |σ_j - σ_ref_j| / σ_ref_1
    double reconstruction_error = 0.0;      // ‖U·diag(σ)·Vᵀ - M‖_F / ‖M‖_F
    double orthogonality_error_U = 0.0;     // max |UᵀU - I|
    double orthogonality_error_V = 0.0;     // max |VᵀV - I|
    // Sign-aligned vector errors: max over columns j of min(‖u_j - u_ref_j‖∞, ‖u_j + u_ref_j‖∞). Meaningful only
    // where singular values are distinct; where they repeat, only the subspace is defined.
    double max_vector_error_U = 0.0;
    double max_vector_error_V = 0.0;
};

SvdComparison compare_svd(const Matrix& M, const Matrix& U, const std::vector<double>& singular_values,
                          const Matrix& V, const ReferenceSvd& reference);

// Where singular values repeat, single vectors are not unique: only the space spanned by a cluster's vectors is.
// The reference values are split into clusters of values within relative_gap·σ₁ of their neighbour (so a
// cluster of zero values is the null space), and for each cluster c the sine of the largest principal angle
// between span(X_c) and span(X_ref,c) is ‖(I - X_ref,c·X_ref,cᵀ)·X_c‖₂ (X_ref,c has orthonormal columns).
// Returns the largest of these sines: 0 for equal subspaces, 1 when some direction is orthogonal. A cluster
// of zero values is skipped when X has more rows than columns: its vectors are then any orthonormal
// completion, and every completion is right.
double max_subspace_sine(const Matrix& X, const Matrix& X_ref, const std::vector<double>& reference_values,
                         double relative_gap = 1e-6);

struct SubspaceComparison {
    double max_sine_U = 0.0;  // max_subspace_sine of U's clusters against LAPACK's
    double max_sine_V = 0.0;
};

SubspaceComparison compare_subspaces(const Matrix& U, const Matrix& V, const ReferenceSvd& reference,
                                     double relative_gap = 1e-6);

// U·diag(σ)·Vᵀ
Matrix reconstruct(const Matrix& U, const std::vector<double>& singular_values, const Matrix& V);

// ‖M − U·diag(σ)·Vᵀ‖_F / ‖M‖_F (absolute for M = 0), computed on M and σ divided by a power of two near M's
// largest entry: exact, and then no sum of squares overflows or underflows, even for entries near 1e308.
double reconstruction_error(const Matrix& M, const Matrix& U, const std::vector<double>& singular_values, const Matrix& V);

// A truncated SVD's accuracy: max_j max(‖M·v_j − σ_j·u_j‖₂, ‖Mᵀ·u_j − σ_j·v_j‖₂) / σ₁ (absolute for σ₁ = 0), over
// the k triplets given (U m×k, V n×k, σ descending), computed scaled by a power of two as reconstruction_error is.
double triplet_residual(const Matrix& M, const Matrix& U, const std::vector<double>& singular_values, const Matrix& V);

// max |XᵀX - I| for X with orthonormal columns.
double orthogonality_error(const Matrix& X);

struct InverseComparison {
    double residual = 0.0;                // max |X·M - I| (or M·X, or the larger of both, as the variant says)
    double max_error_vs_reference = 0.0;  // max |X - X_lapack|
    double relative_error = 0.0;          // max |X - X_lapack| / max |X_lapack|
};

InverseComparison compare_inverse(const Matrix& M, const Matrix& X, const Matrix& reference_inverse,
                                  InverseVariant variant = InverseVariant::right);

}  // namespace tapegrad
