#include "linalg/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "autodiff/gemm.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

Matrix reconstruct(const Matrix& U, const std::vector<double>& singular_values, const Matrix& V) {
    if (U.cols() != singular_values.size() || V.cols() != singular_values.size())
        throw shape_error("reconstruct", "U and V must have one column per singular value, got", U.shape(), "and", V.shape());
    Matrix US = U;
    for (std::size_t i = 0; i < US.rows(); ++i)
        for (std::size_t j = 0; j < US.cols(); ++j) US(i, j) *= singular_values[j];
    Matrix out(U.rows(), V.rows());
    gemm(US, Trans::No, V, Trans::Yes, out.ref());
    return out;
}

namespace {

// M and σ divided by the power of two nearest M's largest entry: exact (no rounding), and entries near 1e308 then
// neither overflow in the squares of a norm nor give NaN.
std::pair<Matrix, std::vector<double>> scaled_down(const Matrix& M, std::vector<double> sigma) {
    const double largest = max_abs(M);
    const int e = largest > 0.0 ? std::ilogb(largest) : 0;
    Matrix scaled = M;
    scale_by_power_of_two(scaled.ref(), -e);
    for (double& s : sigma) s = std::ldexp(s, -e);
    return {std::move(scaled), std::move(sigma)};
}

}  // namespace

double reconstruction_error(const Matrix& M, const Matrix& U, const std::vector<double>& singular_values, const Matrix& V) {
    const auto [scaled, sigma] = scaled_down(M, singular_values);
    const double norm = frobenius_norm(scaled);
    return frobenius_norm(reconstruct(U, sigma, V) - scaled) / (norm > 0.0 ? norm : 1.0);
}

double triplet_residual(const Matrix& M, const Matrix& U, const std::vector<double>& singular_values, const Matrix& V) {
    const std::size_t k = singular_values.size();
    if (U.rows() != M.rows() || V.rows() != M.cols() || U.cols() != k || V.cols() != k)
        throw shape_error("triplet_residual", "needs U m×k and V n×k for M", M.shape(), "got U", U.shape());
    if (k == 0) return 0.0;
    const auto [scaled, sigma] = scaled_down(M, singular_values);
    Matrix MV(M.rows(), k), MtU(M.cols(), k);
    gemm(scaled, Trans::No, V, Trans::No, MV.ref());   // m×k
    gemm(scaled, Trans::Yes, U, Trans::No, MtU.ref());  // n×k
    std::vector<double> left(k, 0.0), right(k, 0.0);    // squared column norms, row by row
    for (std::size_t i = 0; i < M.rows(); ++i)
        for (std::size_t j = 0; j < k; ++j) left[j] += std::pow(MV(i, j) - sigma[j] * U(i, j), 2);
    for (std::size_t i = 0; i < M.cols(); ++i)
        for (std::size_t j = 0; j < k; ++j) right[j] += std::pow(MtU(i, j) - sigma[j] * V(i, j), 2);
    double worst = 0.0;
    for (std::size_t j = 0; j < k; ++j) worst = std::max({worst, std::sqrt(left[j]), std::sqrt(right[j])});
    return worst / (sigma[0] > 0.0 ? sigma[0] : 1.0);
}

double orthogonality_error(const Matrix& X) {
    Matrix g(X.cols(), X.cols());
    gram(X, g.ref());
    return max_abs_diff(g, Matrix::identity(X.cols()));
}

namespace {

// max over columns of the smaller of ‖x_j - y_j‖∞ and ‖x_j + y_j‖∞.
double sign_aligned_error(const Matrix& X, const Matrix& Y) {
    double worst = 0.0;
    for (std::size_t j = 0; j < X.cols(); ++j) {
        double same = 0.0, flipped = 0.0;
        for (std::size_t i = 0; i < X.rows(); ++i) {
            same = std::max(same, std::abs(X(i, j) - Y(i, j)));
            flipped = std::max(flipped, std::abs(X(i, j) + Y(i, j)));
        }
        const double e = std::min(same, flipped);
        if (!(e <= worst)) worst = e;  // NaN wins
    }
    return worst;
}

}  // namespace

SvdComparison compare_svd(const Matrix& M, const Matrix& U, const std::vector<double>& singular_values,
                          const Matrix& V, const ReferenceSvd& reference) {
    const std::size_t k = reference.singular_values.size();
    if (singular_values.size() != k || U.shape() != reference.U.shape() || V.shape() != reference.V.shape())
        throw shape_error("compare_svd", "the factors' shapes differ from the reference's: U", U.shape(), "vs",
                          reference.U.shape());
    SvdComparison c;
    const double sigma1 = reference.singular_values.front();
    const double scale = sigma1 > 0.0 ? sigma1 : 1.0;  // a zero matrix: absolute errors
    for (std::size_t j = 0; j < k; ++j) {
        const double e = std::abs(singular_values[j] - reference.singular_values[j]) / scale;
        if (!(e <= c.max_singular_value_error)) c.max_singular_value_error = e;
    }
    c.reconstruction_error = reconstruction_error(M, U, singular_values, V);
    c.orthogonality_error_U = orthogonality_error(U);
    c.orthogonality_error_V = orthogonality_error(V);
    c.max_vector_error_U = sign_aligned_error(U, reference.U);
    c.max_vector_error_V = sign_aligned_error(V, reference.V);
    return c;
}

double max_subspace_sine(const Matrix& X, const Matrix& X_ref, const std::vector<double>& reference_values,
                         double relative_gap) {
    if (X.shape() != X_ref.shape() || X.cols() != reference_values.size())
        throw shape_error("max_subspace_sine", "needs X and X_ref of one shape with a value per column, got", X.shape(), "and",
                          X_ref.shape());
    const std::size_t k = reference_values.size();
    const double gap = relative_gap * (k > 0 && reference_values.front() > 0.0 ? reference_values.front() : 1.0);
    double worst = 0.0;
    for (std::size_t first = 0; first < k;) {
        std::size_t end = first + 1;  // the cluster is columns [first, end)
        while (end < k && reference_values[end - 1] - reference_values[end] <= gap) ++end;
        const std::size_t c = end - first;
        // The vectors of the zero values of a non-square factor (U of a tall M, V of a wide one) are any
        // orthonormal completion: nothing to compare. (Those of a square factor are its null space, unique.)
        if (reference_values[first] <= gap && X.rows() > X.cols()) break;
        Matrix Xc(X.rows(), c), Qc(X.rows(), c);
        for (std::size_t i = 0; i < X.rows(); ++i)
            for (std::size_t j = 0; j < c; ++j) {
                Xc(i, j) = X(i, first + j);
                Qc(i, j) = X_ref(i, first + j);
            }
        // R = Xc - Qc·(Qcᵀ·Xc); its largest singular value is the sine of the largest principal angle.
        Matrix QtX(c, c);
        gemm(Qc, Trans::Yes, Xc, Trans::No, QtX.ref());
        gemm(Qc, Trans::No, QtX, Trans::No, Xc.ref(), -1.0, 1.0);
        const double sine = lapack_singular_values(Xc).front();
        if (!(sine <= worst)) worst = sine;  // NaN wins
        first = end;
    }
    return worst;
}

SubspaceComparison compare_subspaces(const Matrix& U, const Matrix& V, const ReferenceSvd& reference, double relative_gap) {
    return {max_subspace_sine(U, reference.U, reference.singular_values, relative_gap),
            max_subspace_sine(V, reference.V, reference.singular_values, relative_gap)};
}

InverseComparison compare_inverse(const Matrix& M, const Matrix& X, const Matrix& reference_inverse,
                                  InverseVariant variant) {
    InverseComparison c;
    const Matrix I = Matrix::identity(M.rows());
    if (variant != InverseVariant::left) c.residual = max_abs_diff(matmul(X, M), I);
    if (variant != InverseVariant::right) c.residual = std::max(c.residual, max_abs_diff(matmul(M, X), I));
    c.max_error_vs_reference = max_abs_diff(X, reference_inverse);
    c.relative_error = c.max_error_vs_reference / max_abs(reference_inverse);
    return c;
}

}  // namespace tapegrad
