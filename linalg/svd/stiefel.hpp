#pragma once
// The Stiefel manifold St(n, p) = {X ∈ ℝ^{n×p} : XᵀX = I}, the matrices with orthonormal columns, and the
// few operations Riemannian optimisation on it needs. A descent on St(n, p) keeps U and V exactly orthonormal
// at every step, where the tutorial's penalty only pushes them towards it:
//
//   tangent vectors at X:  the ξ with Xᵀξ skew-symmetric: the directions that keep XᵀX = I to first order
//   project(X, G):         the tangent part of any n×p matrix G, G - X·sym(XᵀG). Applied to the tape's
//                          (Euclidean) gradient it gives the Riemannian gradient.
//   retract(X, ξ):         a point of the manifold close to X + ξ: the Q of its QR factorisation
//
// Tangent vectors use the metric of the embedding, ⟨ξ, η⟩ = tr(ξᵀη), the Frobenius inner product.
#include <cstddef>

#include "autodiff/matrix.hpp"
#include "autodiff/random.hpp"

namespace tapegrad {

// sym(A) = (A + Aᵀ)/2 for a square A.
Matrix sym(const Matrix& A);

// The tangent part of G at X: G - X·sym(XᵀG). project_into writes it into `out` with S (p×p) as scratch: neither
// allocates once they have their shapes (the robust methods allocate nothing per iteration).
Matrix project(const Matrix& X, const Matrix& G);
void project_into(const Matrix& X, const Matrix& G, Matrix& out, Matrix& S);

// The Q of A = Q·R with R's diagonal positive, by Householder reflections (LAPACK's dgelqf and dorglq on the
// row-major A read as column-major Aᵀ: blocked, BLAS-3). A has at least as many rows as columns. For a
// rank-deficient A the columns past its rank are still orthonormal: unit vectors orthogonal to the others.
Matrix orthonormalize(const Matrix& A);

// The QR retraction: the Q of X + ξ. For a tangent ξ, (X + ξ)ᵀ(X + ξ) = I + ξᵀξ, so X + ξ is never
// rank-deficient and its condition number is at most sqrt(1 + ‖ξ‖²_F): Cholesky QR twice (dsyrk, dpotrf,
// dtrsm; all BLAS-3) is accurate to rounding, and is what is used unless the step is huge (then Householder).
// retract_into writes into `out`, which keeps its storage when it already has X's shape: no allocation.
Matrix retract(const Matrix& X, const Matrix& xi);
void retract_into(const Matrix& X, const Matrix& xi, Matrix& out);

// A random point of St(n, p), p <= n: orthonormalize a Gaussian matrix (uniformly distributed on St(n, p)).
Matrix random_stiefel(std::size_t n, std::size_t p, Random& rng);

// A point of St(m, k) × St(n, k), or a tangent vector at one: the pair the Riemannian SVD methods move.
struct StiefelPair {
    Matrix U;  // m×k
    Matrix V;  // n×k
};

double inner(const StiefelPair& a, const StiefelPair& b);  // tr(aᵤᵀbᵤ) + tr(aᵥᵀbᵥ)
double norm(const StiefelPair& a);                         // sqrt(inner(a, a))
StiefelPair project(const StiefelPair& x, const StiefelPair& g);
StiefelPair retract(const StiefelPair& x, const StiefelPair& xi);
StiefelPair operator+(const StiefelPair& a, const StiefelPair& b);
StiefelPair operator-(const StiefelPair& a, const StiefelPair& b);
StiefelPair operator*(double s, const StiefelPair& a);
StiefelPair& operator*=(StiefelPair& a, double s);                 // in place, as the next one:
void add_scaled(StiefelPair& a, const StiefelPair& b, double s);  // a += s·b
void assign_scaled(StiefelPair& a, const StiefelPair& b, double s);  // a = s·b, in a's storage when shapes agree

}  // namespace tapegrad
