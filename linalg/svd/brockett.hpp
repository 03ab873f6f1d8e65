#pragma once
// The SVD as a minimisation over matrices with orthonormal columns (docs/svd.md derives all of this):
//
//   minimise  f(U, V) = -tr(Uᵀ·M·V·N),  N = diag(k, k-1, ..., 1),  over U ∈ St(m, k), V ∈ St(n, k).
//
// By von Neumann's trace inequality f >= -Σ_j (k+1-j)·σ_j, with equality exactly when U's and V's columns are
// singular vectors of M in descending order (the distinct weights in N fix the order). Every other critical
// point is a saddle, so a descent that stays on the manifolds has nowhere else to end. That holds for any
// k <= min(m, n): with k < min(m, n) (a truncated SVD) the minimum is the k largest singular triplets, and a
// step costs O(m·n·k), products with M, where a full SVD costs O(m·n·min(m, n)).
//
// BrockettProblem is what the Riemannian methods (riemannian.hpp) need from this cost: its value and
// Riemannian gradient from one recording on the tape, its Riemannian Hessian applied to a direction, a
// preconditioner, and the way back from a point (U, V) to M's SVD.
#include <cstdint>
#include <vector>

#include "autodiff/ops.hpp"
#include "autodiff/tape.hpp"
#include "linalg/svd/methods.hpp"
#include "linalg/svd/stiefel.hpp"

namespace tapegrad {

// f(U, V) = -tr(Uᵀ·M·V·N) = -Σ_ij U_ij·(M·V)_ij·w_j, recorded on the tape; weights is the 1×k row w, the
// diagonal of N. (The sum of an elementwise product costs O(mk) after M·V, where tr(Uᵀ·(M·V)·N) would form a
// k×k product for its diagonal alone.)
Var brockett_cost(const Var& U, const Var& V, const Var& M, const Var& weights);

class BrockettProblem {
public:
    // The methods work on A, M made tall (transposed if wide, so that n = min(m, n) is A's column count) and
    // scaled to ‖A‖_F = 1, so that one step size and one tolerance suit every matrix, whatever its shape or
    // magnitude. rank is k, the number of triplets wanted; 0 means all, k = n (then V is square). Throws
    // std::invalid_argument for an empty or non-finite M, or a rank above min(m, n).
    explicit BrockettProblem(const Matrix& M, std::size_t rank = 0);

    std::size_t m() const { return A_.rows(); }  // A is m×n, m >= n
    std::size_t n() const { return A_.cols(); }
    std::size_t k() const { return k_; }         // U is m×k, V is n×k
    bool truncated() const { return k_ < n(); }
    std::size_t dimension() const;  // of St(m, k) × St(n, k): how many independent directions there are

    // The guess: a random V with orthonormal columns (from the seed), and U = orthonormalize(A·V), the
    // directions A sends V's columns to: already a pairing of the kind the answer has (A·v_j = σ_j·u_j).
    StiefelPair guess(std::uint64_t seed) const;

    struct Evaluation {
        double cost = 0.0;
        StiefelPair egrad;       // the tape's (Euclidean) gradient ∂f/∂U, ∂f/∂V
        Matrix sym_U, sym_V;     // sym(Uᵀ·∂f/∂U), sym(Vᵀ·∂f/∂V): used by the projection and the Hessian
        StiefelPair grad;        // the Riemannian gradient: egrad - X·sym(Xᵀ·egrad) for each factor
        double grad_norm = 0.0;  // the stopping test's number
        std::vector<double> sigma;  // (UᵀAV)_jj: the singular value estimates at this point
        // Full (k = n): ‖A - U·diag(σ)·Vᵀ‖_F², the squared reconstruction error, relative (‖A‖_F = 1).
        // Truncated: Σ_j ‖A·v_j - σ_j·u_j‖² + ‖Aᵀ·u_j - σ_j·v_j‖², the squared triplet residuals (relative too).
        double loss = 0.0;
    };

    // Records f at x on the tape and calls backward(): everything in Evaluation.
    Evaluation evaluate(const StiefelPair& x);

    // The Riemannian Hessian at x applied to a tangent vector η: by default from one more tape recording (a finite
    // difference of gradients); after use_exact_hessian(), from autodiff's exact hvp on the recording at x.
    StiefelPair hessian(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& eta);
    void use_exact_hessian(bool exact) { exact_hessian_ = exact; }

    // An approximation of Hess⁻¹·r that is exact at the answer, cheap (no tape), and positive definite
    // everywhere: what makes the trust region's inner iterations few on ill-conditioned matrices.
    StiefelPair precondition(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& r);

    // The same three, into storage the caller keeps: after the first call with a given output none of them
    // allocates (the tape reuses its arena, and the scratch matrices below are sized once).
    void evaluate(const StiefelPair& x, Evaluation& out);
    void hessian(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& eta, StiefelPair& out);
    void precondition(const StiefelPair& x, const Evaluation& at_x, const StiefelPair& r, StiefelPair& out);

    // M's SVD from a point: σ_j = (UᵀAV)_jj made non-negative (flipping v_j) and scaled back by M's norm,
    // U and V swapped back for a wide M, then svd.hpp's order and sign rule.
    SvdFactors result(StiefelPair x) const;

    long tape_passes() const { return tape_passes_; }

private:
    double record_and_backward();  // f at (U_.value, V_.value); its gradient into U_.grad, V_.grad
    // D egrad(x)[η], the derivative of the tape's gradient along η, into U_.grad_tangent and V_.grad_tangent.
    void exact_gradient_derivative(const StiefelPair& x, const StiefelPair& eta);

    Matrix A_;
    std::size_t k_ = 0;
    // M = 2^exponent·norm·A (or its transpose): the power of two brings M's largest entry near 1, exactly, and
    // the norm is what is then left. Kept apart, so that σ₁ near the largest double does not overflow on the way.
    int exponent_ = 0;
    double norm_ = 1.0;
    bool wide_ = false;   // A holds Mᵀ
    Matrix weights_;      // 1×k: k, k-1, ..., 1
    Parameter U_, V_;     // where the tape's gradients land
    Tape tape_;
    Var cost_;                    // f, as last recorded on tape_ (at U_.value, V_.value)
    bool exact_hessian_ = false;
    Matrix OU_, OV_, ZU_, ZV_;   // k×k scratch of evaluate and precondition, sized once
    std::vector<double> scale_;  // k: precondition's 1/λ for the columns of K
    long tape_passes_ = 0;
};

}  // namespace tapegrad
