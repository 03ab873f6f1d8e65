#include "linalg/svd/stiefel.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "autodiff/gemm.hpp"

namespace tapegrad {

Matrix sym(const Matrix& A) {
    if (A.rows() != A.cols())
        throw std::invalid_argument("sym: expects a square matrix, got " + to_string(A.shape()));
    Matrix S(A.rows(), A.cols());
    for (std::size_t i = 0; i < A.rows(); ++i)
        for (std::size_t j = 0; j < A.cols(); ++j) S(i, j) = 0.5 * (A(i, j) + A(j, i));
    return S;
}

void project_into(const Matrix& X, const Matrix& G, Matrix& out, Matrix& S) {
    if (X.shape() != G.shape()) throw shape_error("project", "the point and the matrix differ in shape,", X.shape(), "vs", G.shape());
    if (S.shape() != Shape{X.cols(), X.cols()}) S = Matrix(X.cols(), X.cols());
    gemm(X, Trans::Yes, G, Trans::No, S.ref());
    for (std::size_t i = 0; i < S.rows(); ++i)  // S = sym(XᵀG), in place
        for (std::size_t j = i + 1; j < S.cols(); ++j) S(i, j) = S(j, i) = 0.5 * (S(i, j) + S(j, i));
    out = G;
    gemm(X, Trans::No, S, Trans::No, out.ref(), -1.0, 1.0);  // G - X·sym(XᵀG)
}

Matrix project(const Matrix& X, const Matrix& G) {
    Matrix out, S;
    project_into(X, G, out, S);
    return out;
}

namespace {

lapack_int to_lapack(std::size_t n) { return static_cast<lapack_int>(n); }

// Scratch for the kernels below, per thread, grown to the largest size asked for and then reused: after the
// first call of a size no kernel allocates (the robust methods' "no allocation per iteration").
std::vector<double>& scratch(std::size_t size) {
    thread_local std::vector<double> buffer;
    if (buffer.size() < size) buffer.resize(size);
    return buffer;
}

// Q, in place of A (n×p, n >= p), by Householder reflections through LAPACK, BLAS-3 blocked. Row-major A is
// column-major Aᵀ (p×n), so A = Q·R is Aᵀ = Rᵀ·Qᵀ, an LQ factorisation: dgelqf, then dorglq to form Qᵀ's
// rows in place, which are Q's columns in row-major order. No transposition, no copy. Each column is then
// signed so that R's diagonal is positive.
void householder_q(MatrixRef A) {
    const std::size_t n = A.rows, p = A.cols;
    if (p == 0) return;
    double query = 0.0;
    LAPACKE_dgelqf_work(LAPACK_COL_MAJOR, to_lapack(p), to_lapack(n), A.data, to_lapack(p), nullptr, &query, -1);
    double query_q = 0.0;
    LAPACKE_dorglq_work(LAPACK_COL_MAJOR, to_lapack(p), to_lapack(n), to_lapack(p), A.data, to_lapack(p), nullptr,
                        &query_q, -1);
    const auto lwork = static_cast<std::size_t>(std::max(query, query_q));
    std::vector<double>& work = scratch(2 * p + std::max<std::size_t>(lwork, 1));
    double* tau = work.data();
    double* sign = tau + p;
    double* rest = sign + p;
    LAPACKE_dgelqf_work(LAPACK_COL_MAJOR, to_lapack(p), to_lapack(n), A.data, to_lapack(p), tau, rest, to_lapack(lwork));
    for (std::size_t j = 0; j < p; ++j) sign[j] = A.data[j * p + j] < 0.0 ? -1.0 : 1.0;  // R_jj = L_jj
    LAPACKE_dorglq_work(LAPACK_COL_MAJOR, to_lapack(p), to_lapack(n), to_lapack(p), A.data, to_lapack(p), tau, rest,
                        to_lapack(lwork));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < p; ++j) A.data[i * p + j] *= sign[j];
}

// One pass of Cholesky QR on Y (n×p) in place: R from the Cholesky factor of YᵀY = RᵀR (dsyrk, dpotrf), then
// Y·R⁻¹ (dtrsm). All BLAS-3. Loses orthogonality as κ(Y)²·ε, hence the second pass in retract. Returns false
// if YᵀY is not numerically positive definite (Y left unchanged then).
bool cholesky_qr_pass(MatrixRef Y) {
    const std::size_t n = Y.rows, p = Y.cols;
    std::vector<double>& G = scratch(p * p);
    // G = YᵀY, its upper triangle in row-major order: the lower triangle of the same array read column-major.
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<blasint>(p), static_cast<blasint>(n), 1.0, Y.data,
                static_cast<blasint>(p), 0.0, G.data(), static_cast<blasint>(p));
    // Column-major G = L·Lᵀ, L lower; read row-major that array holds R = Lᵀ, upper, with RᵀR = YᵀY.
    if (LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', to_lapack(p), G.data(), to_lapack(p)) != 0) return false;
    cblas_dtrsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, static_cast<blasint>(n),
                static_cast<blasint>(p), 1.0, G.data(), static_cast<blasint>(p), Y.data, static_cast<blasint>(p));
    return true;
}

}  // namespace

Matrix orthonormalize(const Matrix& A) {
    if (A.cols() > A.rows())
        throw std::invalid_argument("orthonormalize: needs at least as many rows as columns, got " + to_string(A.shape()));
    Matrix Q = A;
    householder_q(Q.ref());
    return Q;
}

void retract_into(const Matrix& X, const Matrix& xi, Matrix& out) {
    if (out.shape() != X.shape()) out = Matrix(X.rows(), X.cols());  // sized once: a workspace reused
    for (std::size_t i = 0; i < X.size(); ++i) out.data()[i] = X.data()[i] + xi.data()[i];
    // For a tangent ξ, (X + ξ)ᵀ(X + ξ) = I + ξᵀξ, so κ(X + ξ)² = 1 + ‖ξ‖₂² <= 1 + ‖ξ‖²_F: Cholesky QR twice is
    // accurate to rounding while that is far below 1/ε. Beyond (a huge step), or should rounding make the
    // Gram matrix indefinite, Householder, which is accurate for any input.
    double xi_norm2 = 0.0;
    for (std::size_t i = 0; i < xi.size(); ++i) xi_norm2 += xi.data()[i] * xi.data()[i];
    if (xi_norm2 <= 1e4 && cholesky_qr_pass(out.ref()) && cholesky_qr_pass(out.ref())) return;
    for (std::size_t i = 0; i < X.size(); ++i) out.data()[i] = X.data()[i] + xi.data()[i];
    householder_q(out.ref());
}

Matrix retract(const Matrix& X, const Matrix& xi) {
    if (X.shape() != xi.shape()) throw shape_error("retract", "the point and the step differ in shape,", X.shape(), "vs", xi.shape());
    Matrix out;
    retract_into(X, xi, out);
    return out;
}

Matrix random_stiefel(std::size_t n, std::size_t p, Random& rng) {
    Matrix G(n, p);
    for (std::size_t i = 0; i < G.size(); ++i) G.data()[i] = rng.normal();
    return orthonormalize(G);
}

double inner(const StiefelPair& a, const StiefelPair& b) {
    double total = 0.0;
    for (std::size_t i = 0; i < a.U.size(); ++i) total += a.U.data()[i] * b.U.data()[i];
    for (std::size_t i = 0; i < a.V.size(); ++i) total += a.V.data()[i] * b.V.data()[i];
    return total;
}

double norm(const StiefelPair& a) { return std::sqrt(inner(a, a)); }

StiefelPair project(const StiefelPair& x, const StiefelPair& g) { return {project(x.U, g.U), project(x.V, g.V)}; }

StiefelPair retract(const StiefelPair& x, const StiefelPair& xi) { return {retract(x.U, xi.U), retract(x.V, xi.V)}; }

StiefelPair operator+(const StiefelPair& a, const StiefelPair& b) { return {a.U + b.U, a.V + b.V}; }

StiefelPair operator-(const StiefelPair& a, const StiefelPair& b) { return {a.U - b.U, a.V - b.V}; }

StiefelPair operator*(double s, const StiefelPair& a) { return {s * a.U, s * a.V}; }

StiefelPair& operator*=(StiefelPair& a, double s) {
    a.U *= s;
    a.V *= s;
    return a;
}

void assign_scaled(StiefelPair& a, const StiefelPair& b, double s) {
    a.U = b.U;  // a copy into a's storage: no allocation when the shapes agree
    a.U *= s;
    a.V = b.V;
    a.V *= s;
}

void add_scaled(StiefelPair& a, const StiefelPair& b, double s) {
    a.U.add_scaled(b.U, s);
    a.V.add_scaled(b.V, s);
}

}  // namespace tapegrad
