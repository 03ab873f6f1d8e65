// Steepest descent with the exact step (line_search.hpp): go along −G, as far as the loss keeps falling. There is
// no learning rate left to choose, so no norm of M can make it diverge. It is still slow: with the exact step the
// loss falls each iteration by a factor of at most ((κ² − 1)/(κ² + 1))², κ the condition number of M, because the
// loss's curvature ranges from 2σₙ²/n² to 2σ₁²/n².
#include <utility>

#include "autodiff/tape.hpp"
#include "linalg/inverse_methods.hpp"
#include "linalg/inverse_watch.hpp"
#include "linalg/line_search.hpp"

namespace tapegrad {

InverseResult inverse_by_line_search(const Matrix& M, const InverseOptions& options) {
    const std::size_t n = M.rows();
    const Matrix I = Matrix::identity(n);

    Parameter X(Matrix::random(n, n, options.descent.seed));  // guess
    InverseWatch watch(M, options.descent, StopRule{});
    Tape tape;
    while (watch.running()) {  // improve
        tape.clear();
        const Var loss = inverse_loss(tape.param(X), tape.constant(M), I, options.variant);
        X.zero_grad();
        backward(loss);
        watch.log(loss.item(), X.value);
        if (!watch.running()) break;
        const Matrix P = -X.grad;  // downhill
        add_steps(X.value, exact_steps(X.grad, P, curvatures(P, M, options.variant), options.variant), P, options.variant);
    }
    return watch.finish(std::move(X.value));
}

}  // namespace tapegrad
