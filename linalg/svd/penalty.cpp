// The tutorial's method (part 2): the loss of svd_penalty_loss (linalg/losses.hpp) over U, d and V, by a
// torch-style optimiser (by default the tutorial's own momentum loop, lr 0.9, momentum 0.9, 20,000 steps).
//
//   U, d, V = torch.rand(m, k), torch.rand(k), torch.rand(n, k)       guess
//   for i in range(20000):                                            improve
//       loss = mse(U @ diag(d**2) @ V.T, M) + ...; loss.backward()    loss, backward
//       p.data -= lr * p.grad; p.grad *= momentum                     step
#include <algorithm>
#include <cmath>

#include "autodiff/random.hpp"
#include "autodiff/tape.hpp"
#include "linalg/checks.hpp"
#include "linalg/losses.hpp"
#include "linalg/svd/methods.hpp"

namespace tapegrad {

namespace {

// The loss that proves an answer within the tolerance. Each mse term is at most the loss, so with N = m·n:
// ‖U·S·Vᵀ − M‖_F <= √(N·loss), and max|UᵀU − I| <= ‖UᵀU − I‖_F <= 10·k·√loss (the same for V).
double loss_for(const Matrix& M, std::size_t k, double tolerance) {
    const double norm = frobenius_norm(M) > 0.0 ? frobenius_norm(M) : 1.0;
    const double reconstruction = tolerance * norm, orthogonality = tolerance / (10.0 * static_cast<double>(k));
    return std::min(reconstruction * reconstruction / static_cast<double>(M.size()), orthogonality * orthogonality);
}

class Penalty final : public SvdSolver {
public:
    Penalty(const Matrix& M, const PenaltyOptions& o, PenaltyFactors guess)
        : M_(M), I_(Matrix::identity(std::min(M.rows(), M.cols()))), loss_target_(loss_for(M, I_.rows(), o.tolerance)),
          proves_("the answer within the tolerance " + brief(o.tolerance)),
          U_(std::move(guess.U)), d_(std::move(guess.d)), V_(std::move(guess.V)),
          optimizer_(make_optimizer(o.optimizer, {&U_, &d_, &V_}, o.lr, o.momentum)) {}

    double evaluate() override {  // loss, backward
        ++tape_passes_;
        tape_.clear();
        const Var loss = svd_penalty_loss(tape_.param_view(U_), tape_.param_view(d_), tape_.param_view(V_), M_, I_);
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

    SvdFactors answer() const override {
        SvdFactors out{U_.value, std::vector<double>(I_.rows()), V_.value};
        for (std::size_t j = 0; j < I_.rows(); ++j) out.singular_values[j] = d_.value(0, j) * d_.value(0, j);  // σ = d²
        sort_and_fix_signs(out.U, out.singular_values, out.V);
        return out;
    }

private:
    const Matrix& M_;
    const Matrix I_;
    const double loss_target_;
    const std::string proves_;
    Parameter U_, d_, V_;
    std::unique_ptr<Optimizer> optimizer_;
    Tape tape_;
    long tape_passes_ = 0;
};

}  // namespace

std::unique_ptr<SvdSolver> penalty(const Matrix& M, const PenaltyOptions& options) {
    return std::make_unique<Penalty>(M, options, penalty_guess(M, options.seed));  // guess
}

PenaltyFactors penalty_guess(const Matrix& M, std::uint64_t seed) {
    const std::size_t k = std::min(M.rows(), M.cols());
    Random rng(seed);
    const auto uniform = [&rng](std::size_t rows, std::size_t cols) {
        Matrix g(rows, cols);
        for (std::size_t i = 0; i < g.size(); ++i) g.data()[i] = rng.uniform();
        return g;
    };
    PenaltyFactors guess;
    guess.U = uniform(M.rows(), k);  // one statement each: the order of the draws is U, d, V
    guess.d = uniform(1, k);
    guess.V = uniform(M.cols(), k);
    return guess;
}

}  // namespace tapegrad
