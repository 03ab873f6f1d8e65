// The tutorial's method (part 1), as the tutorial runs it: on M as given, from a random guess, the loss
// mse(X·M, I), and a torch-style optimiser (by default the tutorial's own momentum loop, lr 0.9, momentum 0.9).
//
//   X = torch.rand(4, 4)                              guess
//   for i in range(10000):                            improve
//       loss = mse(X @ M, I); loss.backward()         loss, backward
//       X.data -= lr * X.grad; X.grad *= momentum     step
#include <cmath>

#include "linalg/checks.hpp"
#include "linalg/inverse/methods.hpp"

namespace tapegrad {

namespace {

// With a tolerance: the loss has not fallen to a new low for this many steps, so it never will reach it.
constexpr long patience = 1000;

class TutorialDescent final : public InverseSolver {
public:
    TutorialDescent(const Matrix& M, const InverseDescentOptions& o)
        : M_(M), I_(Matrix::identity(M.rows())), variant_(o.variant), tolerance_(o.tolerance),
          X_(Matrix::random(M.rows(), M.cols(), o.seed)),  // guess
          optimizer_(make_optimizer(o.optimizer, {&X_}, o.lr, o.momentum)) {}

    double evaluate() override {  // loss, backward
        ++tape_passes_;
        tape_.clear();
        const Var loss = inverse_loss(tape_.param(X_), tape_.constant(M_), I_, variant_);
        optimizer_->zero_grad();
        backward(loss);
        return loss.item();
    }

    std::optional<Stop> judge(const History& h) override {
        if (std::optional<Stop> blown = exploded(h)) return blown;
        if (tolerance_ == 0.0) return std::nullopt;  // the tutorial's: every step
        // mse over n² entries: ‖X·M − I‖_F = n·√loss (for both, the two residuals' root mean square, so the larger
        // is at most √2 times that).
        const double n = static_cast<double>(M_.rows());
        const double bound = n * std::sqrt(h.last()) * (variant_ == InverseVariant::both ? std::sqrt(2.0) : 1.0);
        const auto at = [&] { return " at iteration " + std::to_string(h.iteration()); };
        if (bound <= tolerance_)
            return Stop{Status::converged, "the loss proves ‖" + std::string(product_name(variant_)) + " − I‖_F <= " +
                                               brief(bound) + " <= tolerance " + brief(tolerance_) + at()};
        if (h.since_low() >= patience)
            return Stop{Status::stalled, "the loss stopped falling at " + brief(h.low()) + at()};
        return std::nullopt;
    }

    std::optional<Stop> step() override {  // improve
        optimizer_->step();
        return std::nullopt;
    }

    long tape_passes() const override { return tape_passes_; }
    Matrix answer() const override { return X_.value; }

private:
    const Matrix& M_;
    const Matrix I_;
    const InverseVariant variant_;
    const double tolerance_;
    Parameter X_;
    std::unique_ptr<Optimizer> optimizer_;
    Tape tape_;
    long tape_passes_ = 0;
};

}  // namespace

std::unique_ptr<InverseSolver> tutorial_descent(const Matrix& M, const InverseDescentOptions& options) {
    return std::make_unique<TutorialDescent>(M, options);
}

}  // namespace tapegrad
