#include "linalg/reference.hpp"

#include <lapacke.h>

#include <algorithm>
#include <limits>
#include <string>

namespace tapegrad {

namespace {

lapack_int to_int(std::size_t n) { return static_cast<lapack_int>(n); }

void require_nonempty(const char* who, const Matrix& M) {
    if (M.empty()) throw std::invalid_argument(std::string(who) + ": the matrix is empty (" + to_string(M.shape()) + ")");
}

}  // namespace

ReferenceSvd lapack_svd(const Matrix& M) {
    require_nonempty("lapack_svd", M);
    const std::size_t m = M.rows(), n = M.cols(), k = std::min(m, n);
    Matrix a = M;  // dgesdd overwrites its input
    ReferenceSvd out{Matrix(m, k), std::vector<double>(k), Matrix(k, n)};
    const lapack_int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', to_int(m), to_int(n), a.data(), to_int(n),
                                           out.singular_values.data(), out.U.data(), to_int(k), out.V.data(), to_int(n));
    if (info != 0) throw std::runtime_error("lapack_svd: dgesdd failed (info " + std::to_string(info) + ")");
    out.V = out.V.transpose();  // LAPACK returns Vᵀ
    return out;
}

std::vector<double> lapack_singular_values(const Matrix& M) {
    require_nonempty("lapack_singular_values", M);
    const std::size_t m = M.rows(), n = M.cols();
    Matrix a = M;
    std::vector<double> s(std::min(m, n));
    // No vectors are computed, but LAPACKE's row-major wrapper still checks their leading dimensions.
    const lapack_int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'N', to_int(m), to_int(n), a.data(), to_int(n), s.data(),
                                           nullptr, to_int(m), nullptr, to_int(n));
    if (info != 0) throw std::runtime_error("lapack_singular_values: dgesdd failed (info " + std::to_string(info) + ")");
    return s;
}

Matrix lapack_inverse(const Matrix& M) {
    if (M.rows() != M.cols())
        throw std::invalid_argument("lapack_inverse: needs a square matrix, got " + to_string(M.shape()));
    require_nonempty("lapack_inverse", M);
    const lapack_int n = to_int(M.rows());
    Matrix a = M;
    std::vector<lapack_int> pivots(M.rows());
    lapack_int info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, a.data(), n, pivots.data());
    if (info > 0)
        throw SingularMatrixError("lapack_inverse: the matrix is singular (pivot " + std::to_string(info) +
                                  " of its LU factorisation is exactly zero)");
    if (info == 0) info = LAPACKE_dgetri(LAPACK_ROW_MAJOR, n, a.data(), n, pivots.data());
    if (info != 0) throw std::runtime_error("lapack_inverse: dgetrf/dgetri failed (info " + std::to_string(info) + ")");
    return a;
}

double condition_number(const Matrix& M) {
    const std::vector<double> s = lapack_singular_values(M);
    return s.back() == 0.0 ? std::numeric_limits<double>::infinity() : s.front() / s.back();
}

}  // namespace tapegrad
