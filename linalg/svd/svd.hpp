#pragma once
// The singular value decomposition M = U·diag(σ)·Vᵀ by gradient descent (part 2 of the tutorial).
//
// Method `penalty` (the tutorial's, penalty.cpp): parameters U (m×k), d (1×k) and V (n×k), k = min(m, n), σ = d²;
// minimise
//   mse(U·diag(d²)·Vᵀ, M) + mse(UᵀU, I)/100 + mse(VᵀV, I)/100
// from a seeded uniform guess. Wide matrices (m < n) need nothing special: k = m, U is square and V is n×m.
//
// Methods `stiefel`, `stiefel-cg` and `trust-region` (riemannian.cpp, trust_region.cpp; docs/svd.md): U and V
// stay exactly orthonormal, on the Stiefel manifolds, while a Riemannian method minimises Brockett's cost
//   f(U, V) = -tr(Uᵀ·M·V·N),  N = diag(k, k-1, ..., 1),
// whose only minimum is the SVD; then σ_j = (UᵀMV)_jj. The gradient comes from the tape, as in the tutorial.
// `trust-region` is the robust one: it converges on every matrix of the test suite (bench/test_matrices.hpp).
//
// Each method has an options type of its own, and the type chosen is the method run:
//
//   svd_by_descent(M)                          the tutorial's method and settings
//   svd_by_descent(M, TrustRegionOptions{})    the robust one
//
// The Riemannian methods also take `rank`: k > 0 asks for the k largest singular triplets only (a truncated SVD,
// k <= min(m, n)): U is m×k, V is n×k, by the same method at O(m·n·k) a step. Its answer cannot rebuild M, so
// its check is by the triplets' residuals instead: max_j max(‖M·v_j − σ_j·u_j‖, ‖Mᵀ·u_j − σ_j·v_j‖)/σ₁ and
// the orthogonality error, both within the tolerance (or 100·ε·max(m, n)). rank 0 (the default) is the full SVD.
//
// Every method's `tolerance` means the same: the largest relative reconstruction error
// ‖M − U·diag(σ)·Vᵀ‖_F/‖M‖_F and orthogonality error max|UᵀU − I|, max|VᵀV − I| a converged answer may have.
// `converged` is said only after that check, made on the answer (in arithmetic scaled by a power of two, so entries
// near 1e308 neither overflow nor lose digits), passes: within the tolerance, or with tolerance 0 within what
// double precision allows, 100·ε·max(m, n).
//
// Afterwards every method sorts the values in descending order, with U's and V's columns permuted to match, and
// fixes each column pair's sign by one rule: the entry of largest magnitude in each column of U is positive
// (flipping u_j and v_j together leaves U·diag(σ)·Vᵀ unchanged).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "autodiff/matrix.hpp"
#include "autodiff/optim.hpp"
#include "linalg/iterate.hpp"

namespace tapegrad {

enum class SvdMethod {
    penalty,          // "penalty": the tutorial's loss, with soft orthogonality penalties
    stiefel_descent,  // "stiefel": Riemannian steepest descent on St(m,k)×St(n,k), Barzilai–Borwein steps
    stiefel_cg,       // "stiefel-cg": Riemannian conjugate gradients (Polak–Ribière+)
    trust_region,     // "trust-region": Riemannian trust region with truncated CG (the robust one)
};

constexpr SvdMethod all_svd_methods[] = {SvdMethod::penalty, SvdMethod::stiefel_descent, SvdMethod::stiefel_cg,
                                         SvdMethod::trust_region};
std::string_view to_string(SvdMethod method);
std::optional<SvdMethod> svd_method_named(std::string_view name);  // to_string's inverse; nothing for another name

// The method to use when nothing else is asked for: the one that converged on every matrix of the test suite,
// fastest (docs/svd.md has the measurements).
SvdMethod most_robust_svd_method();

// The tutorial's method and settings: lr 0.9, momentum 0.9, 20,000 steps.
struct PenaltyOptions {
    OptimizerKind optimizer = OptimizerKind::momentum;  // the tutorial's hand-written loop
    std::optional<double> lr{};                          // unset: 0.9 (the tutorial's), 0.01 for adam
    std::optional<double> momentum{};                    // unset: 0.9 (the tutorial's); adam takes none
    long max_iterations = 20000;
    double tolerance = 0.0;    // stop once the loss proves the answer within it; 0 takes every step
    std::uint64_t seed = 314;  // of the guess
};

// The Riemannian methods: no learning rate to choose. They stop once the Riemannian gradient's norm proves the
// tolerance (the relative reconstruction error is at most √2 times it; docs/svd.md). Their guess: a random V with
// orthonormal columns (from the seed), and U = orthonormalize(M·V).
struct StiefelDescentOptions {
    long max_iterations = 20000;
    double tolerance = 1.5e-10;
    std::uint64_t seed = 314;
    long rank = 0;  // k > 0: the k largest triplets only; 0: all min(m, n)
};

struct StiefelCgOptions {
    long max_iterations = 20000;
    double tolerance = 1.5e-10;
    std::uint64_t seed = 314;
    long rank = 0;  // k > 0: the k largest triplets only; 0: all min(m, n)
};

// How the trust region gets Hessian-vector products: exactly, from the tape's forward-over-reverse sweep
// (autodiff's hvp), or as Manopt does, from a finite difference of two tape gradients. For Brockett's cost, whose
// gradient is linear, both are exact to rounding and take the same iterations; the difference was a few percent
// faster over the suite (docs/svd.md, build/bin/hessian_products), so it is the default.
enum class HessianProducts { exact, finite_difference };

struct TrustRegionOptions {
    long max_iterations = 1000;
    HessianProducts hessian = HessianProducts::finite_difference;
    double tolerance = 1.5e-10;
    std::uint64_t seed = 314;
    long rank = 0;  // k > 0: the k largest triplets only; 0: all min(m, n)
};

using SvdOptions = std::variant<PenaltyOptions, StiefelDescentOptions, StiefelCgOptions, TrustRegionOptions>;

SvdMethod method_of(const SvdOptions& options);
long rank_of(const SvdOptions& options);  // the options' rank; 0 (all) for a method that has none
SvdOptions default_svd_options(SvdMethod method);

struct SvdResult {
    Matrix U;                             // m×k
    std::vector<double> singular_values;  // k values, descending
    Matrix V;                             // n×k
    Report report;
    // The check behind the status: the relative reconstruction error (a truncated SVD: the largest triplet
    // residual relative to σ₁), the larger orthogonality error of U and V, and what a converged answer may have:
    // max(tolerance, 100·ε·max(m, n)).
    double reconstruction_error = 0.0;
    double triplet_residual = 0.0;
    double orthogonality_error = 0.0;
    double allowed = 0.0;
};

// Throws std::invalid_argument for an empty or non-finite M, and for options the method cannot use (a rank
// above min(m, n) among them).
SvdResult svd_by_descent(const Matrix& M, const SvdOptions& options = PenaltyOptions{}, const Progress& progress = {});

// The size guard (linalg/memory.hpp). svd_memory_need: the bytes svd_by_descent allocates for an m×n M with these
// options (M itself not counted), from the matrices each method holds at once: the penalty method's tape holds
// m×n products; a Riemannian method holds copies of M and O((m + n)·k) for its points, gradients and inner
// iterations. check_svd_memory throws OutOfMemory when need + extra is more than the memory available, naming the
// size and both numbers, and for a full SVD by a Riemannian method it says what the 10 largest triplets would
// need, as `rank_flag` spells it ("rank = " in the library, "--rank " for svd_demo). svd_by_descent calls it.
double svd_memory_need(std::size_t m, std::size_t n, const SvdOptions& options);
void check_svd_memory(const std::string& who, std::size_t m, std::size_t n, const SvdOptions& options,
                      const std::string& rank_flag = "rank = ", double extra = 0.0);

// The tutorial's guess for M (the penalty method's): U (m×k), d (1×k), V (n×k) uniform in [0, 1), like torch.rand,
// from one stream seeded with `seed`, in that order.
struct PenaltyFactors {
    Matrix U, d, V;
};
PenaltyFactors penalty_guess(const Matrix& M, std::uint64_t seed);

// Sorts the values descending (permuting U's and V's columns alike) and applies the sign rule above.
void sort_and_fix_signs(Matrix& U, std::vector<double>& singular_values, Matrix& V);

}  // namespace tapegrad
