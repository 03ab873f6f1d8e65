// Newton–Schulz: X ← X·(2I − M·X), for comparison. It is Newton's method for the equation X⁻¹ = M, and it is
// matrix products, not gradients from the tape: the tape only records the loss, so the curves compare.
//
// Each step squares the residual: I − M·X_new = I − M·X·(2I − M·X) = (I − M·X)², and the same holds for I − X·M.
// From X₀ = Mᵀ/(‖M‖₁‖M‖∞) the eigenvalues of X₀·M are σᵢ²/(‖M‖₁‖M‖∞), in (0, 1] because σ₁² ≤ ‖M‖₁‖M‖∞, so the
// residual's eigenvalues 1 − σᵢ²/(‖M‖₁‖M‖∞) lie in [0, 1) and squaring drives them all to 0. The smallest σ is the
// slowest: its residual 1 − δ, δ = σₙ²/(‖M‖₁‖M‖∞) ≥ 1/(n·κ²), needs about log₂(1/δ) ≤ log₂(n·κ²) squarings to fall
// to 1/2, then six more to fall below ε.
#include "linalg/inverse/methods.hpp"
#include "linalg/inverse/residual_judge.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

// Near I (‖I − X·M‖_F < 1/2) every eigenvalue of the residual is below 1/2, and six more squarings take it below
// 2⁻⁶⁴ < ε. The loss cannot always show that: for large κ, rounding in X·M hides the last, smallest components, so
// wait six steps after the loss stops falling. Far from I, the loss can look flat for up to about 70 steps when κ
// is near 1/ε (the slowest residual 1 − 2ᵏσₙ²/(‖M‖₁‖M‖∞) moves by less than 1e-12 until 2ᵏ is large); a pause of
// 80 steps there means the loss has hit a positive floor: M is singular.
constexpr Patience newton_patience{.near = 6, .far = 80, .pause_near_is_convergence = true};

Matrix first_guess(const Matrix& M) {
    const double bound = norm_1(M) * norm_inf(M);  // ≥ σ₁²; 0 only for the zero matrix
    return bound > 0.0 ? M.transpose() / bound : Matrix(M.rows(), M.cols());
}

class NewtonSchulz final : public InverseSolver {
public:
    NewtonSchulz(const Matrix& M, const NewtonSchulzOptions& o)
        : M_(M), I_(Matrix::identity(M.rows())), two_I_(2.0 * I_), variant_(o.variant), X_(first_guess(M)),  // guess
          judge_(M, o.variant, o.tolerance, newton_patience) {}

    double evaluate() override {  // the loss is only logged, never differentiated
        tape_.clear();
        return inverse_loss(tape_.constant_view(X_), tape_.constant_view(M_), I_, variant_).item();
    }
    std::optional<Stop> judge(const History& h) override { return judge_(h, X_); }
    std::optional<Stop> step() override {
        X_ = matmul(X_, two_I_ - matmul(M_, X_));
        return std::nullopt;
    }
    long tape_passes() const override { return 0; }
    Matrix answer() const override { return X_; }

private:
    const Matrix& M_;
    const Matrix I_, two_I_;
    const InverseVariant variant_;
    Matrix X_;
    ResidualJudge judge_;
    Tape tape_;
    const NoGrad no_grad_{tape_};
};

}  // namespace

std::unique_ptr<InverseSolver> newton_schulz(const Matrix& M, const NewtonSchulzOptions& options) {
    return std::make_unique<NewtonSchulz>(M, options);
}

}  // namespace tapegrad
