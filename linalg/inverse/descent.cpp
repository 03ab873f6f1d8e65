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

// The loss that proves ‖X·M − I‖_F <= tolerance. The loss is an mse over n² entries, so ‖X·M − I‖_F = n·√loss;
// for variant both, the loss is the mean of two, and the larger residual is at most √2·n·√loss.
double loss_for(std::size_t n, InverseVariant variant, double tolerance) {
    const double r = tolerance / static_cast<double>(n) / (variant == InverseVariant::both ? std::sqrt(2.0) : 1.0);
    return r * r;
}

class TutorialDescent final : public InverseSolver {
public:
    TutorialDescent(const Matrix& M, const InverseDescentOptions& o)
        : M_(M), I_(Matrix::identity(M.rows())), variant_(o.variant), loss_target_(loss_for(M.rows(), o.variant, o.tolerance)),
          proves_("‖" + std::string(product_name(o.variant)) + " − I‖_F <= " + brief(o.tolerance)),
          X_(Matrix::random(M.rows(), M.cols(), o.seed)),  // guess
          optimizer_(make_optimizer(o.optimizer, {&X_}, o.lr, o.momentum)) {}

    double evaluate() override {  // loss, backward
        ++tape_passes_;
        tape_.clear();
        const Var loss = inverse_loss(tape_.param_view(X_), tape_.constant_view(M_), I_, variant_);
        optimizer_->zero_grad();
        backward(loss);
        return loss.item();
    }

    std::optional<Stop> judge(const History& h) override { return judge_by_loss(h, loss_target_, proves_); }

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
    const double loss_target_;
    const std::string proves_;
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
