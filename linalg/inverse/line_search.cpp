// Steepest descent with the exact step (exact_step.hpp): go along −G, as far as the loss keeps falling. There is
// no learning rate left to choose, so no norm of M can make it diverge. It is still slow: with the exact step the
// loss falls each iteration by a factor of at most ((κ² − 1)/(κ² + 1))², κ the condition number of M, because the
// loss's curvature ranges from 2σₙ²/n² to 2σ₁²/n².
#include "linalg/inverse/exact_step.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/inverse/residual_judge.hpp"

namespace tapegrad {

namespace {

class LineSearch final : public InverseByGradient {
public:
    LineSearch(const Matrix& M, const LineSearchOptions& o)
        : InverseByGradient(M, o.variant, o.seed), judge_(M, o.variant, o.tolerance, Patience{}) {}

    std::optional<Stop> judge(const History& h) override { return judge_(h, X_.value); }
    std::optional<Stop> step() override {
        const Matrix P = -X_.grad;  // downhill
        add_steps(X_.value, exact_steps(X_.grad, P, curvatures(P, M_, variant_), variant_), P, variant_);
        return std::nullopt;
    }

private:
    ResidualJudge judge_;
};

}  // namespace

std::unique_ptr<InverseSolver> line_search(const Matrix& M, const LineSearchOptions& options) {
    return std::make_unique<LineSearch>(M, options);
}

}  // namespace tapegrad
