// The tutorial's loop with a step that scales with M. The loss mse(X·M, I) curves at most by
// L = 2σ₁(M)²/n² in any direction (its Hessian is (2/n²)·M·Mᵀ, acting on each row of X), and σ₁² ≤ ‖M‖₁‖M‖∞.
// A step of fraction/L with 0 < fraction ≤ 1 can never overshoot, whatever the norm or size of M; the tutorial's
// fixed lr 0.9 overshoots as soon as L > 2(1 + momentum)/0.9, and then the loss explodes. Along the flattest
// direction the curvature is 2σₙ²/n², so the loss still falls by only about fraction·σₙ²/σ₁² = fraction/κ² per
// step (times 1/(1 − momentum) with momentum): this fixes divergence, not slowness.
#include "linalg/checks.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/inverse/residual_judge.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

// L = 2·‖M‖₁‖M‖∞/n² ≥ 2σ₁²/n²; for the zero matrix, anything positive.
double curvature_bound(const Matrix& M) {
    const double bound = norm_1(M) * norm_inf(M);
    return 2.0 * (bound > 0.0 ? bound : 1.0) / static_cast<double>(M.size());
}

class ScaledDescent final : public InverseByGradient {
public:
    ScaledDescent(const Matrix& M, const ScaledDescentOptions& o)
        : InverseByGradient(M, o.variant, o.seed),  // guess
          optimizer_({&X_}, {.lr = o.step_fraction / curvature_bound(M), .momentum = o.momentum}),  // torch.optim.SGD
          judge_(M, o.variant, o.tolerance, Patience{}) {}

    std::optional<Stop> judge(const History& h) override { return judge_(h, X_.value); }
    std::optional<Stop> step() override {
        optimizer_.step();
        return std::nullopt;
    }

private:
    Sgd optimizer_;
    ResidualJudge judge_;
};

}  // namespace

std::unique_ptr<InverseSolver> scaled_descent(const Matrix& M, const ScaledDescentOptions& options) {
    check_open_closed("scaled_descent", "step_fraction", options.step_fraction, 0.0, 1.0);
    check_half_open("scaled_descent", "momentum", options.momentum, 0.0, 1.0);
    return std::make_unique<ScaledDescent>(M, options);
}

}  // namespace tapegrad
