#include "bench/handwritten.hpp"

#include <algorithm>
#include <string>

#include "autodiff/gemm.hpp"

namespace tapegrad {

namespace {

void require_shape(const char* function, const char* name, Shape got, Shape wanted) {
    if (got != wanted) throw shape_error(function, std::string(name) + " is", got, "but should be", wanted);
}

// Each function below has two paths. Small problems (m·n·k under gemm's blas_threshold) compute every entry
// of every product as one dot product held in a register, fused with the elementwise work that reads it;
// gemm's loops instead add into a row of C in memory, and with rows of 4 or 5 numbers each add waits on the
// previous store (the 5x4 SVD loss and gradient: 226 ns by dot products, 419 ns through gemm's loops). Large
// problems call gemm and gram, which hand the work to BLAS; the two paths draw level at about 8x8.
bool tiny(std::size_t m, std::size_t n, std::size_t k) { return m * n * k < blas_threshold; }

// A row or a column of a matrix: where it starts and the distance between its entries.
struct Strided {
    const double* data;
    std::size_t stride;
};
Strided row(const Matrix& x, std::size_t i) { return {x.data() + i * x.cols(), 1}; }
Strided column(const Matrix& x, std::size_t j) { return {x.data() + j, x.cols()}; }

// Σ_p x_p·y_p over a row or column each. At the sizes it serves everything sits in L1, where a strided load
// costs what a contiguous one does, so columns need no transposed copy.
double dot(Strided x, Strided y, std::size_t length) {
    double sum = 0.0;
    for (std::size_t p = 0; p < length; ++p) sum += x.data[p * x.stride] * y.data[p * y.stride];
    return sum;
}

// Σ x².
double sum_of_squares(const Matrix& x) {
    double sum = 0.0;
    for (std::size_t t = 0; t < x.size(); ++t) sum += x.data()[t] * x.data()[t];
    return sum;
}

// E = XᵀX − I; returns ‖E‖². E is symmetric: only its upper triangle is computed (by dot products of X's
// columns, or by gram), and each off-diagonal entry counts twice in the sum.
double gram_minus_identity(const Matrix& X, Matrix& E) {
    const std::size_t k = X.cols();
    if (tiny(X.rows(), k, k)) {
        for (std::size_t i = 0; i < k; ++i)
            for (std::size_t j = i; j < k; ++j) E(i, j) = E(j, i) = dot(column(X, i), column(X, j), X.rows());
    } else {
        gram(X, E.ref());
    }
    double sum = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        E(i, i) -= 1.0;
        double off_diagonal = 0.0;
        for (std::size_t j = i + 1; j < k; ++j) off_diagonal += E(i, j) * E(i, j);
        sum += E(i, i) * E(i, i) + 2.0 * off_diagonal;
    }
    return sum;
}

// R = US·Vᵀ − M; returns ‖R‖².
double svd_residual(const Matrix& US, const Matrix& V, const Matrix& M, Matrix& R) {
    const std::size_t m = M.rows(), n = M.cols(), k = V.cols();
    if (tiny(m, n, k)) {
        double sum = 0.0;
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t l = 0; l < n; ++l) {
                R(i, l) = dot(row(US, i), row(V, l), k) - M(i, l);
                sum += R(i, l) * R(i, l);
            }
        return sum;
    }
    gemm(US, Trans::No, V, Trans::Yes, R.ref());
    for (std::size_t t = 0; t < R.size(); ++t) R.data()[t] -= M.data()[t];
    return sum_of_squares(R);
}

// P = A·B − I; returns ‖P‖².
double product_minus_identity(const Matrix& A, const Matrix& B, Matrix& P) {
    const std::size_t n = P.rows();
    if (tiny(n, n, n)) {
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) P(i, j) = dot(row(A, i), column(B, j), n) - (i == j ? 1.0 : 0.0);
    } else {
        gemm(A, Trans::No, B, Trans::No, P.ref());
        for (std::size_t i = 0; i < n; ++i) P(i, i) -= 1.0;
    }
    return sum_of_squares(P);
}

// dX = alpha·P·Mᵀ + beta·dX: the right variant's gradient.
void times_transpose(const Matrix& P, const Matrix& M, Matrix& dX, double alpha, double beta) {
    const std::size_t n = P.rows();
    if (!tiny(n, n, n)) return gemm(P, Trans::No, M, Trans::Yes, dX.ref(), alpha, beta);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            dX(i, j) = alpha * dot(row(P, i), row(M, j), n) + (beta == 0.0 ? 0.0 : beta * dX(i, j));
}

// dX = alpha·Mᵀ·P + beta·dX: the left variant's gradient.
void transpose_times(const Matrix& M, const Matrix& P, Matrix& dX, double alpha, double beta) {
    const std::size_t n = P.rows();
    if (!tiny(n, n, n)) return gemm(M, Trans::Yes, P, Trans::No, dX.ref(), alpha, beta);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            dX(i, j) = alpha * dot(column(M, i), column(P, j), n) + (beta == 0.0 ? 0.0 : beta * dX(i, j));
}

}  // namespace

SvdWorkspace::SvdWorkspace(std::size_t m, std::size_t n)
    : s(1, std::min(m, n)),
      US(m, std::min(m, n)),
      R(m, n),
      EU(std::min(m, n), std::min(m, n)),
      EV(std::min(m, n), std::min(m, n)),
      RV(m, std::min(m, n)) {}

double svd_penalty_loss_and_gradient(const Matrix& U, const Matrix& d, const Matrix& V, const Matrix& M,
                                     SvdWorkspace& ws, Matrix& dU, Matrix& dd, Matrix& dV) {
    const char* const function = "svd_penalty_loss_and_gradient";
    const std::size_t m = M.rows(), n = M.cols(), k = std::min(m, n);
    require_shape(function, "U", U.shape(), {m, k});
    require_shape(function, "d", d.shape(), {1, k});
    require_shape(function, "V", V.shape(), {n, k});
    require_shape(function, "the workspace's residual", ws.R.shape(), {m, n});
    require_shape(function, "dU", dU.shape(), {m, k});
    require_shape(function, "dd", dd.shape(), {1, k});
    require_shape(function, "dV", dV.shape(), {n, k});
    const double N = static_cast<double>(m * n), kk = static_cast<double>(k * k);
    const double fit_scale = 2.0 / N, penalty_scale = 4.0 / (100.0 * kk);

    // US = U·S by scaling U's columns: O(mk), where the product with diag(S) would be O(mk²).
    for (std::size_t j = 0; j < k; ++j) ws.s(0, j) = d(0, j) * d(0, j);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < k; ++j) ws.US(i, j) = U(i, j) * ws.s(0, j);

    const double fit = svd_residual(ws.US, V, M, ws.R);
    const double penalty_u = gram_minus_identity(U, ws.EU), penalty_v = gram_minus_identity(V, ws.EV);

    // ∂/∂U = (2/N)·(R·V)·S + (4/(100k²))·U·E_U, and dd_j sums U_ij·(R·V)_ij = (Uᵀ·R·V)_jj from the same R·V.
    // ∂/∂V = (2/N)·Rᵀ·US + (4/(100k²))·V·E_V, with US already holding U·S.
    dd.fill(0.0);
    if (tiny(m, n, k)) {
        // E_U is symmetric, so (U·E_U)_ij = U_i·(row j of E_U): a dot product of two rows.
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < k; ++j) {
                const double rv = dot(row(ws.R, i), column(V, j), n);
                dU(i, j) = fit_scale * ws.s(0, j) * rv + penalty_scale * dot(row(U, i), row(ws.EU, j), k);
                dd(0, j) += U(i, j) * rv;
            }
        for (std::size_t l = 0; l < n; ++l)
            for (std::size_t j = 0; j < k; ++j)
                dV(l, j) = fit_scale * dot(column(ws.R, l), column(ws.US, j), m) +
                           penalty_scale * dot(row(V, l), row(ws.EV, j), k);
    } else {
        gemm(ws.R, Trans::No, V, Trans::No, ws.RV.ref());
        gemm(U, Trans::No, ws.EU, Trans::No, dU.ref(), penalty_scale, 0.0);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < k; ++j) {
                dU(i, j) += fit_scale * ws.s(0, j) * ws.RV(i, j);
                dd(0, j) += U(i, j) * ws.RV(i, j);
            }
        gemm(ws.R, Trans::Yes, ws.US, Trans::No, dV.ref(), fit_scale, 0.0);
        gemm(V, Trans::No, ws.EV, Trans::No, dV.ref(), penalty_scale, 1.0);
    }
    for (std::size_t j = 0; j < k; ++j) dd(0, j) *= fit_scale * 2.0 * d(0, j);

    // Summed in the order svd_penalty_loss adds its three terms.
    return fit / N + penalty_u / kk / 100.0 + penalty_v / kk / 100.0;
}

InverseWorkspace::InverseWorkspace(std::size_t n) : right(n, n), left(n, n) {}

double inverse_loss_and_gradient(const Matrix& X, const Matrix& M, InverseVariant variant, InverseWorkspace& ws,
                                 Matrix& dX) {
    const char* const function = "inverse_loss_and_gradient";
    const std::size_t n = M.rows();
    require_shape(function, "M", M.shape(), {n, n});
    require_shape(function, "X", X.shape(), {n, n});
    require_shape(function, "the workspace", ws.right.shape(), {n, n});
    require_shape(function, "dX", dX.shape(), {n, n});
    const double N = static_cast<double>(n * n);
    switch (variant) {
        case InverseVariant::right: {
            const double sum = product_minus_identity(X, M, ws.right);
            times_transpose(ws.right, M, dX, 2.0 / N, 0.0);
            return sum / N;
        }
        case InverseVariant::left: {
            const double sum = product_minus_identity(M, X, ws.left);
            transpose_times(M, ws.left, dX, 2.0 / N, 0.0);
            return sum / N;
        }
        case InverseVariant::both: {
            const double right = product_minus_identity(X, M, ws.right), left = product_minus_identity(M, X, ws.left);
            times_transpose(ws.right, M, dX, 1.0 / N, 0.0);
            transpose_times(M, ws.left, dX, 1.0 / N, 1.0);
            return (right / N + left / N) / 2.0;
        }
    }
    throw std::invalid_argument("inverse_loss_and_gradient: unknown variant");
}

}  // namespace tapegrad
