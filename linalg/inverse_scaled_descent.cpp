// The tutorial's loop with a step that scales with M. The loss mse(X·M, I) curves at most by
// L = 2σ₁(M)²/n² in any direction (its Hessian is (2/n²)·M·Mᵀ, acting on each row of X), and σ₁² ≤ ‖M‖₁‖M‖∞.
// A step of lr/L with 0 < lr ≤ 1 can never overshoot, whatever the norm or size of M; the tutorial's fixed lr 0.9
// overshoots as soon as L > 2(1 + momentum)/0.9, and then the loss explodes. Along the flattest direction the
// curvature is 2σₙ²/n², so the loss still falls by only about lr·σₙ²/σ₁² = lr/κ² per step (times 1/(1 − momentum)
// with momentum): this fixes divergence, not slowness.
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "autodiff/optim.hpp"
#include "autodiff/tape.hpp"
#include "linalg/inverse_methods.hpp"
#include "linalg/inverse_watch.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

std::string format(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

}  // namespace

InverseResult inverse_by_scaled_descent(const Matrix& M, const InverseOptions& options) {
    const std::size_t n = M.rows();
    const Matrix I = Matrix::identity(n);
    const double lr = options.descent.lr.value_or(1.0), momentum = options.descent.momentum;
    if (!(lr > 0.0 && lr <= 1.0)) throw std::invalid_argument("scaled_descent: lr must be in (0, 1], got " + format(lr));
    if (!(momentum >= 0.0 && momentum < 1.0))
        throw std::invalid_argument("scaled_descent: momentum must be in [0, 1), got " + format(momentum));
    const double bound = norm_1(M) * norm_inf(M);  // ≥ σ₁²; 0 only for the zero matrix
    const double curvature = 2.0 * (bound > 0.0 ? bound : 1.0) / static_cast<double>(n * n);

    Parameter X(Matrix::random(n, n, options.descent.seed));  // guess
    // torch.optim.SGD with momentum: the same iterates as the tutorial's hand-written loop.
    Sgd optimizer({&X}, {.lr = lr / curvature, .momentum = momentum});
    InverseWatch watch(M, options.descent, StopRule{});
    Tape tape;
    while (watch.running()) {  // improve
        tape.clear();
        const Var loss = inverse_loss(tape.param(X), tape.constant(M), I, options.variant);
        optimizer.zero_grad();
        backward(loss);
        watch.log(loss.item(), X.value);
        if (!watch.running()) break;
        optimizer.step();
    }
    return watch.finish(std::move(X.value));
}

}  // namespace tapegrad
