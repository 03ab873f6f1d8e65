#include "linalg/iterate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "linalg/checks.hpp"

namespace tapegrad {

namespace {

// A loss counts as a new low only when it is below the last low by this fraction: smaller changes are rounding.
constexpr double new_low = 1e-12;
// Reserved up front for the losses: enough for most runs; a longer run grows the vector as it goes, so a huge
// max_iterations costs nothing until it is used.
constexpr std::size_t initial_capacity = 1 << 14;

}  // namespace

std::string_view to_string(Status status) {
    switch (status) {
        case Status::converged: return "converged";
        case Status::max_iterations: return "max_iterations";
        case Status::diverged: return "diverged";
        case Status::stalled: return "stalled";
        case Status::ill_conditioned: return "ill_conditioned";
        case Status::singular: return "singular";
    }
    return "?";
}

History::History(long max_iterations) {
    losses_.reserve(std::min(static_cast<std::size_t>(max_iterations) + 1, initial_capacity));
}

void History::log(double loss) {
    if (losses_.empty() || loss < (1.0 - new_low) * low_) {
        low_ = loss;
        since_low_ = 0;
    } else {
        ++since_low_;
    }
    losses_.push_back(loss);
}

Report iterate(Method& method, long max_iterations, const Progress& progress) {
    check_nonnegative("iterate", "max_iterations", max_iterations);
    if (progress.show && progress.every <= 0)
        throw std::invalid_argument("iterate: the progress interval must be > 0, got " + std::to_string(progress.every));
    const auto start = std::chrono::steady_clock::now();
    History history(max_iterations);
    std::optional<Stop> stop;
    while (!stop) {
        const double loss = method.evaluate();
        history.log(loss);
        const long i = history.iteration();
        if (progress.show && i > 0 && i % progress.every == 0) progress.show(i, loss);
        if (!std::isfinite(loss))
            stop = Stop{Status::diverged, "the loss became " + brief(loss) + " at iteration " + std::to_string(i)};
        else if (!(stop = method.judge(history)) && i >= max_iterations)
            stop = Stop{Status::max_iterations, "took all " + std::to_string(i) + " steps; final loss " + brief(loss)};
        if (!stop) stop = method.step();
    }
    Report report{.status = stop->status, .message = std::move(stop->why), .iterations = history.iteration()};
    report.final_loss = history.last();
    report.losses = history.take_losses();
    report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.tape_passes = method.tape_passes();
    return report;
}

std::optional<Stop> exploded(const History& history) {
    constexpr double explosion = 1e8;
    if (!(history.first() > 0.0 && history.last() > explosion * history.first())) return std::nullopt;
    return Stop{Status::diverged, "the loss exploded to " + brief(history.last()) + " (from " + brief(history.first()) +
                                      ") at iteration " + std::to_string(history.iteration()) +
                                      "; try a smaller learning rate"};
}

std::optional<Stop> judge_by_loss(const History& history, double target, const std::string& proves) {
    constexpr long patience = 1000;
    if (std::optional<Stop> blown = exploded(history)) return blown;
    if (target == 0.0) return std::nullopt;
    const auto at = [&] { return " at iteration " + std::to_string(history.iteration()); };
    if (history.last() <= target) return Stop{Status::converged, "the loss reached " + brief(history.last()) + ", which proves " + proves + at()};
    if (history.since_low() >= patience) return Stop{Status::stalled, "the loss stopped falling at " + brief(history.low()) + at()};
    return std::nullopt;
}

void settle(Report& report, const Check& check) {
    if (!check.finite) {
        if (report.status != Status::diverged) {
            report.status = Status::diverged;
            report.message += "; but the answer holds a NaN or Inf";
        }
        return;
    }
    if (check.passed) {
        if (report.status != Status::converged) report.message += ", and the answer is within the tolerance";
        report.status = Status::converged;
    } else if (report.status == Status::converged) {
        report.status = Status::stalled;
        report.message += ", but the answer is not within the tolerance";
    }
    report.message += ": " + check.what;
}

}  // namespace tapegrad
