#pragma once
// The singular value decomposition M = U·diag(σ)·Vᵀ by gradient descent (part 2 of the tutorial).
//
// Method `penalty` (the tutorial's): parameters U (m×k), d (1×k) and V (n×k), k = min(m, n), σ = d²; minimise
//   mse(U·diag(d²)·Vᵀ, M) + mse(UᵀU, I)/100 + mse(VᵀV, I)/100
// from a seeded uniform guess. Wide matrices (m < n) need nothing special: k = m, U is square and V is n×m.
// Afterwards the values are sorted in descending order, with U's and V's columns permuted to match, and each
// column pair's sign is fixed by one rule: the entry of largest magnitude in each column of U is positive
// (flipping u_j and v_j together leaves U·diag(σ)·Vᵀ unchanged).
//
// Methods `stiefel`, `stiefel-cg` and `trust-region` (docs/svd.md): U (m×k) and V (n×k) stay exactly
// orthonormal, on the Stiefel manifolds, while a Riemannian method minimises Brockett's cost
//   f(U, V) = -tr(Uᵀ·M·V·N),  N = diag(k, k-1, ..., 1),
// whose only minimum is the SVD; then σ_j = (UᵀMV)_jj. The gradient comes from the tape, as in the tutorial.
// M is first divided by its norm (and transposed if wide), so the defaults suit any shape and magnitude.
// `trust-region` is the robust one: it converged on every matrix of linalg/test_matrices.hpp's suite (1x1 to
// 64x64, condition numbers to 1e6, repeated and zero values, norms 1e-6 to 1e6) to LAPACK's values within
// 1e-8·σ₁, in at most a few dozen iterations. Their report.losses are ‖M - U·diag(σ)·Vᵀ‖²_F / ‖M‖²_F, the
// relative squared reconstruction error at each iteration.
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/descent.hpp"

namespace tapegrad {

enum class SvdMethod {
    penalty,          // "penalty": the tutorial's loss, with soft orthogonality penalties
    stiefel_descent,  // "stiefel": Riemannian steepest descent on St(m,k)×St(n,k), Barzilai–Borwein steps
    stiefel_cg,       // "stiefel-cg": Riemannian conjugate gradients (Polak–Ribière+)
    trust_region,     // "trust-region": Riemannian trust region with truncated CG (the robust one)
};

std::string_view to_string(SvdMethod method);
SvdMethod parse_svd_method(std::string_view name);  // throws std::invalid_argument listing the choices

// The method to use when nothing else is asked for: the one that converged on every matrix of
// linalg/test_matrices.hpp's suite, fastest (docs/svd.md has the measurements).
SvdMethod most_robust_svd_method();

struct SvdOptions {
    SvdMethod method = SvdMethod::penalty;
    DescentOptions descent{.max_iterations = 20000};  // the tutorial's: lr 0.9, momentum 0.9, 20,000 steps
};

// The options each method is meant to run with. penalty: the tutorial's (as SvdOptions{}). The Riemannian
// methods ignore the optimizer, lr and momentum and use:
//   max_iterations  1000 (trust region) or 20,000 (descent, CG)
//   tolerance       on the norm of the Riemannian gradient of the cost for M/‖M‖_F, so it means the same for
//                   every magnitude; the default 1e-10 bounds the relative reconstruction error by 1.5e-10
//                   and the singular values' by 1.5e-10·sqrt(k)·σ₁ (docs/svd.md). (0 runs every iteration.)
//   seed            of the guess: a random orthonormal V, and U = orthonormalize(M·V)
SvdOptions default_svd_options(SvdMethod method);

struct SvdResult {
    Matrix U;                             // m×k
    std::vector<double> singular_values;  // k values, descending
    Matrix V;                             // n×k
    DescentReport report;
    long tape_passes = 0;  // how many times the loss was recorded and differentiated (gradients, Hessian products)
};

// Throws std::invalid_argument for an empty or non-finite M.
SvdResult svd_by_descent(const Matrix& M, const SvdOptions& options = {});

// Sorts the values descending (permuting U's and V's columns alike) and applies the sign rule above.
void sort_and_fix_signs(Matrix& U, std::vector<double>& singular_values, Matrix& V);

}  // namespace tapegrad
