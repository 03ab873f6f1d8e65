#include "bench/handwritten.hpp"

#include <algorithm>
#include <string>

#include "autodiff/gemm.hpp"

namespace tapegrad {

namespace {

void require_shape(const char* function, const char* name, Shape got, Shape wanted) {
    if (got != wanted) throw shape_error(function, std::string(name) + " is", got, "but should be", wanted);
}

// E = XᵀX − I; returns ‖E‖². E is symmetric, so the sum reads its upper triangle and counts each
// off-diagonal entry twice.
double gram_minus_identity(const Matrix& X, Matrix& E) {
    gram(X, E.ref());
    double sum = 0.0;
    for (std::size_t i = 0; i < E.rows(); ++i) {
        E(i, i) -= 1.0;
        double off_diagonal = 0.0;
        for (std::size_t j = i + 1; j < E.cols(); ++j) off_diagonal += E(i, j) * E(i, j);
        sum += E(i, i) * E(i, i) + 2.0 * off_diagonal;
    }
    return sum;
}

// P = A·B − I; returns ‖P‖².
double product_minus_identity(const Matrix& A, const Matrix& B, Matrix& P) {
    gemm(A, Trans::No, B, Trans::No, P.ref());
    for (std::size_t i = 0; i < P.rows(); ++i) P(i, i) -= 1.0;
    double sum = 0.0;
    for (std::size_t t = 0; t < P.size(); ++t) sum += P.data()[t] * P.data()[t];
    return sum;
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

    // R = US·Vᵀ − M and ‖R‖², in one pass over R after the product.
    gemm(ws.US, Trans::No, V, Trans::Yes, ws.R.ref());
    double fit = 0.0;
    for (std::size_t t = 0; t < ws.R.size(); ++t) {
        ws.R.data()[t] -= M.data()[t];
        fit += ws.R.data()[t] * ws.R.data()[t];
    }
    const double penalty_u = gram_minus_identity(U, ws.EU), penalty_v = gram_minus_identity(V, ws.EV);

    // dU = (4/(100k²))·U·E_U, then + (2/N)·(R·V)·S. The same pass over R·V sums (Uᵀ·R·V)_jj for dd.
    gemm(ws.R, Trans::No, V, Trans::No, ws.RV.ref());
    gemm(U, Trans::No, ws.EU, Trans::No, dU.ref(), penalty_scale, 0.0);
    dd.fill(0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < k; ++j) {
            dU(i, j) += fit_scale * ws.s(0, j) * ws.RV(i, j);
            dd(0, j) += U(i, j) * ws.RV(i, j);
        }
    for (std::size_t j = 0; j < k; ++j) dd(0, j) *= fit_scale * 2.0 * d(0, j);

    // dV = (2/N)·Rᵀ·US + (4/(100k²))·V·E_V: US already holds U·S.
    gemm(ws.R, Trans::Yes, ws.US, Trans::No, dV.ref(), fit_scale, 0.0);
    gemm(V, Trans::No, ws.EV, Trans::No, dV.ref(), penalty_scale, 1.0);

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
            gemm(ws.right, Trans::No, M, Trans::Yes, dX.ref(), 2.0 / N, 0.0);
            return sum / N;
        }
        case InverseVariant::left: {
            const double sum = product_minus_identity(M, X, ws.left);
            gemm(M, Trans::Yes, ws.left, Trans::No, dX.ref(), 2.0 / N, 0.0);
            return sum / N;
        }
        case InverseVariant::both: {
            const double right = product_minus_identity(X, M, ws.right), left = product_minus_identity(M, X, ws.left);
            gemm(ws.right, Trans::No, M, Trans::Yes, dX.ref(), 1.0 / N, 0.0);
            gemm(M, Trans::Yes, ws.left, Trans::No, dX.ref(), 1.0 / N, 1.0);
            return (right / N + left / N) / 2.0;
        }
    }
    throw std::invalid_argument("inverse_loss_and_gradient: unknown variant");
}

}  // namespace tapegrad
