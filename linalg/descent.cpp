#include "linalg/descent.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace tapegrad {

namespace {

// A loss this many times its starting value has exploded: no descent recovers from that.
constexpr double explosion_factor = 1e8;
// Stalled: with a tolerance set, the best loss improved by less than 0.1% over this many iterations.
constexpr long stall_window = 1000;
constexpr double stall_improvement = 1e-3;

}  // namespace

std::string brief(double x) {
    std::ostringstream out;
    out.precision(3);
    out << x;
    return out.str();
}

std::string_view to_string(OptimizerKind kind) {
    switch (kind) {
        case OptimizerKind::momentum: return "momentum";
        case OptimizerKind::sgd: return "sgd";
        case OptimizerKind::nesterov: return "nesterov";
        case OptimizerKind::adam: return "adam";
    }
    return "?";
}

std::string_view to_string(Status status) {
    switch (status) {
        case Status::converged: return "converged";
        case Status::max_iterations: return "max_iterations";
        case Status::diverged: return "diverged";
        case Status::stalled: return "stalled";
        case Status::singular: return "singular";
    }
    return "?";
}

OptimizerKind parse_optimizer(std::string_view name) {
    for (const OptimizerKind k : {OptimizerKind::momentum, OptimizerKind::sgd, OptimizerKind::nesterov, OptimizerKind::adam})
        if (name == to_string(k)) return k;
    throw std::invalid_argument("unknown optimizer \"" + std::string(name) + "\" (choose momentum, sgd, nesterov or adam)");
}

double default_lr(OptimizerKind kind) { return kind == OptimizerKind::adam ? 0.01 : 0.9; }

void require_finite_nonempty(const char* who, const Matrix& m) {
    if (m.empty()) throw std::invalid_argument(std::string(who) + ": the matrix is empty (" + to_string(m.shape()) + ")");
    for (std::size_t i = 0; i < m.rows(); ++i)
        for (std::size_t j = 0; j < m.cols(); ++j)
            if (!std::isfinite(m(i, j)))
                throw std::invalid_argument(std::string(who) + ": entry (" + std::to_string(i) + ", " + std::to_string(j) +
                                            ") is " + brief(m(i, j)) + "; every entry must be finite");
}

void require_valid_stopping(const char* who, const DescentOptions& options) {
    const std::string w = who;
    if (options.max_iterations < 0)
        throw std::invalid_argument(w + ": max_iterations must be >= 0, got " + std::to_string(options.max_iterations));
    if (!(options.tolerance >= 0.0)) throw std::invalid_argument(w + ": tolerance must be >= 0, got " + brief(options.tolerance));
    if (options.progress && options.progress_interval <= 0)
        throw std::invalid_argument(w + ": progress_interval must be > 0, got " + std::to_string(options.progress_interval));
}

Descent::Descent(const DescentOptions& options, std::vector<Parameter*> params)
    : options_(options), params_(std::move(params)), lr_(options.lr.value_or(default_lr(options.optimizer))) {
    if (!(lr_ > 0.0) || !std::isfinite(lr_)) throw std::invalid_argument("descent: lr must be > 0, got " + brief(lr_));
    if (!(options.momentum >= 0.0 && options.momentum < 1.0))
        throw std::invalid_argument("descent: momentum must be in [0, 1), got " + brief(options.momentum));
    require_valid_stopping("descent", options);
    switch (options.optimizer) {
        case OptimizerKind::momentum: break;  // the loop itself, in step()
        case OptimizerKind::sgd: optimizer_ = std::make_unique<Sgd>(params_, SgdOptions{.lr = lr_, .momentum = options.momentum}); break;
        case OptimizerKind::nesterov:
            optimizer_ = std::make_unique<Sgd>(params_, SgdOptions{.lr = lr_, .momentum = options.momentum, .nesterov = true});
            break;
        case OptimizerKind::adam: optimizer_ = std::make_unique<Adam>(params_, AdamOptions{.lr = lr_}); break;
    }
    report_.losses.reserve(static_cast<std::size_t>(options.max_iterations));
    running_ = options.max_iterations > 0;
    if (!running_) report_.message = "max_iterations is 0: nothing to do";
    start_ = std::chrono::steady_clock::now();
}

void Descent::zero_grad() {
    if (optimizer_) optimizer_->zero_grad();
}

bool Descent::should_stop(double loss) {
    const long iteration = static_cast<long>(report_.losses.size());  // 1-based: this loss's iteration
    if (!std::isfinite(loss)) {
        report_.status = Status::diverged;
        report_.message = "the loss became " + brief(loss) + " at iteration " + std::to_string(iteration);
        return true;
    }
    const double first = report_.losses.front();
    if (first > 0.0 && loss > explosion_factor * first) {
        report_.status = Status::diverged;
        report_.message = "the loss exploded to " + brief(loss) + " (from " + brief(first) + ") at iteration " +
                          std::to_string(iteration) + "; try a smaller learning rate";
        return true;
    }
    if (options_.tolerance > 0.0 && loss <= options_.tolerance) {
        report_.status = Status::converged;
        report_.message = "the loss reached " + brief(loss) + " <= tolerance " + brief(options_.tolerance) +
                          " at iteration " + std::to_string(iteration);
        return true;
    }
    if (iteration == 1 || loss < best_loss_) best_loss_ = loss;
    if (options_.tolerance > 0.0 && iteration % stall_window == 0) {
        if (iteration > stall_window && best_loss_ > (1.0 - stall_improvement) * best_at_checkpoint_) {
            report_.status = Status::stalled;
            report_.message = "the loss stopped improving at " + brief(best_loss_) + " (tolerance " +
                              brief(options_.tolerance) + ") by iteration " + std::to_string(iteration);
            return true;
        }
        best_at_checkpoint_ = best_loss_;
    }
    if (iteration >= options_.max_iterations) {
        report_.status = Status::max_iterations;
        report_.message = "ran all " + std::to_string(iteration) + " iterations; final loss " + brief(loss);
        return true;
    }
    return false;
}

void Descent::step(double loss) {
    report_.losses.push_back(loss);
    report_.final_loss = loss;
    if (options_.progress && report_.losses.size() % static_cast<std::size_t>(options_.progress_interval) == 0)
        options_.progress(static_cast<long>(report_.losses.size()), loss);
    if (should_stop(loss)) {
        running_ = false;
        return;
    }
    if (optimizer_) {
        optimizer_->step();
        return;
    }
    for (Parameter* p : params_) {  // the tutorial's loop, verbatim
        p->value.add_scaled(p->grad, -lr_);
        p->grad *= options_.momentum;
    }
}

DescentReport Descent::finish() {
    report_.iterations = static_cast<long>(report_.losses.size());
    report_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return std::move(report_);
}

}  // namespace tapegrad
