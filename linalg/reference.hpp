#pragma once
// The answers gradient descent is checked against: LAPACK's direct solvers (through LAPACKE, on OpenBLAS).
#include <stdexcept>
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

struct ReferenceSvd {
    Matrix U;                             // m×k, orthonormal columns
    std::vector<double> singular_values;  // k values, descending
    Matrix V;                             // n×k, orthonormal columns
};

// Thin SVD by LAPACK's divide and conquer (dgesdd). Throws std::runtime_error if LAPACK does not converge.
ReferenceSvd lapack_svd(const Matrix& M);

// Singular values only (dgesdd with jobz = 'N').
std::vector<double> lapack_singular_values(const Matrix& M);

// Thrown when a matrix has no inverse: an exactly zero pivot in its LU factorisation.
class SingularMatrixError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Inverse by LU factorisation with partial pivoting (dgetrf, dgetri). Throws SingularMatrixError for a
// singular matrix and std::invalid_argument for a non-square one.
Matrix lapack_inverse(const Matrix& M);

// κ₂(M) = σ_max / σ_min (infinity when σ_min is 0).
double condition_number(const Matrix& M);

}  // namespace tapegrad
