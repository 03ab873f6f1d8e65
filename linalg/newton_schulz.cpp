// Newton–Schulz: X ← X·(2I − M·X), for comparison. It is Newton's method for the equation X⁻¹ = M, and it is
// matrix products, not gradients from the tape: the tape only records the loss, so the curves compare.
//
// Each step squares the residual: I − M·X_new = I − M·X·(2I − M·X) = (I − M·X)², and the same holds for I − X·M.
// From X₀ = Mᵀ/(‖M‖₁‖M‖∞) the eigenvalues of X₀·M are σᵢ²/(‖M‖₁‖M‖∞), in (0, 1] because σ₁² ≤ ‖M‖₁‖M‖∞, so the
// residual's eigenvalues 1 − σᵢ²/(‖M‖₁‖M‖∞) lie in [0, 1) and squaring drives them all to 0. The smallest σ is the
// slowest: its residual 1 − δ, δ = σₙ²/(‖M‖₁‖M‖∞) ≥ 1/(n·κ²), needs about log₂(1/δ) ≤ log₂(n·κ²) squarings to fall
// to 1/2, then six more to fall below ε.
#include <utility>

#include "autodiff/tape.hpp"
#include "linalg/inverse_methods.hpp"
#include "linalg/inverse_watch.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

InverseResult inverse_by_newton_schulz(const Matrix& M, const InverseOptions& options) {
    const std::size_t n = M.rows();
    const Matrix I = Matrix::identity(n), two_I = 2.0 * I;
    const double bound = norm_1(M) * norm_inf(M);  // ≥ σ₁²; 0 only for the zero matrix

    Matrix X = bound > 0.0 ? M.transpose() / bound : Matrix(n, n);  // guess
    // Near I (‖I − X·M‖_F < 1/2) every eigenvalue of the residual is below 1/2, and six more squarings take it below
    // 2⁻⁶⁴ < ε. The loss cannot always show that: for large κ, rounding in X·M hides the last, smallest components,
    // so wait six steps after the loss stops falling. Far from I, the loss can look flat for up to about 70 steps
    // when κ is near 1/ε (the slowest residual 1 − 2ᵏσₙ²/(‖M‖₁‖M‖∞) moves by less than 1e-12 until 2ᵏ is large); a
    // pause of 80 steps there means the loss has hit a positive floor: M is singular.
    InverseWatch watch(M, options.descent, {.patience_near = 6, .patience_far = 80, .pause_near_is_convergence = true});
    Tape tape;
    const NoGrad no_grad(tape);  // the loss is only logged, never differentiated
    while (watch.running()) {    // improve
        tape.clear();
        watch.log(inverse_loss(tape.constant(X), tape.constant(M), I, options.variant).item(), X);
        if (!watch.running()) break;
        X = matmul(X, two_I - matmul(M, X));
    }
    return watch.finish(std::move(X));
}

}  // namespace tapegrad
