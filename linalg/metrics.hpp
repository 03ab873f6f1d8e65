#pragma once
// How close a descent's answer is to the truth: the numbers the demos print and the tests assert.
#include <vector>

#include "autodiff/matrix.hpp"
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

// U·diag(σ)·Vᵀ
Matrix reconstruct(const Matrix& U, const std::vector<double>& singular_values, const Matrix& V);

// max |XᵀX - I| for X with orthonormal columns.
double orthogonality_error(const Matrix& X);

struct InverseComparison {
    double residual = 0.0;                // max |X·M - I|
    double max_error_vs_reference = 0.0;  // max |X - X_lapack|
    double relative_error = 0.0;          // max |X - X_lapack| / max |X_lapack|
};

InverseComparison compare_inverse(const Matrix& M, const Matrix& X, const Matrix& reference_inverse);

}  // namespace tapegrad
