#include "linalg/svd/stiefel.hpp"

#include <cmath>
#include <stdexcept>

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

Matrix project(const Matrix& X, const Matrix& G) {
    if (X.shape() != G.shape()) throw shape_error("project", "the point and the matrix differ in shape,", X.shape(), "vs", G.shape());
    Matrix S(X.cols(), X.cols());
    gemm(X, Trans::Yes, G, Trans::No, S.ref());
    for (std::size_t i = 0; i < S.rows(); ++i)  // S = sym(XᵀG), in place
        for (std::size_t j = i + 1; j < S.cols(); ++j) S(i, j) = S(j, i) = 0.5 * (S(i, j) + S(j, i));
    Matrix out = G;
    gemm(X, Trans::No, S, Trans::No, out.ref(), -1.0, 1.0);  // G - X·sym(XᵀG)
    return out;
}

namespace {

// Removes from column j of Q its components along columns 0..j-1 (modified Gram–Schmidt: one at a time, each
// against the already-updated column), and returns the norm of what is left.
double orthogonalize_column(Matrix& Q, std::size_t j) {
    const std::size_t n = Q.rows();
    for (std::size_t p = 0; p < j; ++p) {
        double dot = 0.0;
        for (std::size_t i = 0; i < n; ++i) dot += Q(i, p) * Q(i, j);
        for (std::size_t i = 0; i < n; ++i) Q(i, j) -= dot * Q(i, p);
    }
    double norm = 0.0;
    for (std::size_t i = 0; i < n; ++i) norm += Q(i, j) * Q(i, j);
    return std::sqrt(norm);
}

}  // namespace

Matrix orthonormalize(const Matrix& A) {
    const std::size_t n = A.rows(), p = A.cols();
    if (p > n)
        throw std::invalid_argument("orthonormalize: needs at least as many rows as columns, got " + to_string(A.shape()));
    Matrix Q = A;
    for (std::size_t j = 0; j < p; ++j) {
        double before = 0.0;
        for (std::size_t i = 0; i < n; ++i) before += Q(i, j) * Q(i, j);
        before = std::sqrt(before);
        orthogonalize_column(Q, j);
        double after = orthogonalize_column(Q, j);  // the second pass: "twice is enough"
        if (!(after > 1e-10 * before)) {
            // Nothing but rounding left: the column depended on the previous ones. Any unit vector orthogonal to
            // them will do. The complement of their span has dimension n - j >= 1, so some standard basis
            // vector e_i keeps at least 1/sqrt(n) of its length when projected onto it.
            after = 0.0;
            for (std::size_t e = 0; e < n && after < 0.5 / std::sqrt(static_cast<double>(n)); ++e) {
                for (std::size_t i = 0; i < n; ++i) Q(i, j) = i == e ? 1.0 : 0.0;
                orthogonalize_column(Q, j);
                after = orthogonalize_column(Q, j);
            }
        }
        for (std::size_t i = 0; i < n; ++i) Q(i, j) /= after;
    }
    return Q;
}

Matrix retract(const Matrix& X, const Matrix& xi) { return orthonormalize(X + xi); }

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

void add_scaled(StiefelPair& a, const StiefelPair& b, double s) {
    a.U.add_scaled(b.U, s);
    a.V.add_scaled(b.V, s);
}

}  // namespace tapegrad
