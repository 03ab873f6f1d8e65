#include "linalg/inverse_watch.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

constexpr double epsilon = std::numeric_limits<double>::epsilon();
// A loss counts as a new low when it is below the last low by this fraction: smaller changes are rounding noise.
constexpr double new_low = 1e-12;

}  // namespace

InverseWatch::InverseWatch(const Matrix& M, const DescentOptions& options, const StopRule& rule)
    : options_(options), rule_(rule), n_(static_cast<double>(M.rows())), norm_1_M_(norm_1(M)), frobenius_M_(frobenius_norm(M)) {
    require_valid_stopping("descent", options);
    running_ = options.max_iterations > 0;
    if (!running_) report_.message = "max_iterations is 0: nothing to do";
    start_ = std::chrono::steady_clock::now();
}

void InverseWatch::stop(Status status, std::string message) {
    report_.status = status;
    report_.message = std::move(message);
    running_ = false;
}

void InverseWatch::log(double loss, const Matrix& X) {
    report_.losses.push_back(loss);
    const long iteration = static_cast<long>(report_.losses.size());
    if (options_.progress && iteration % options_.progress_interval == 0) options_.progress(iteration, loss);
    if (iteration == 1 || loss < (1.0 - new_low) * low_mark_) {
        low_mark_ = loss;
        since_low_ = 0;
    } else {
        ++since_low_;
    }
    decide(loss, X);
}

void InverseWatch::decide(double loss, const Matrix& X) {
    const long iteration = static_cast<long>(report_.losses.size());
    const std::string at = " at iteration " + std::to_string(iteration);
    if (!std::isfinite(loss)) {
        stop(Status::diverged, "the loss became " + brief(loss) + at);
        return;
    }
    const double residual = n_ * std::sqrt(loss);                // ‖X·M − I‖_F, as computed
    const double floor = std::sqrt(n_) * epsilon * frobenius_M_ * frobenius_norm(X);  // the rounding in computing it
    const double condition = norm_1_M_ * norm_1(X);                  // κ₁(M), once X ≈ M⁻¹
    if (condition * epsilon >= 1.0) {
        stop(Status::singular, "M is numerically singular (condition number ≳ 1/ε), at least for this method: "
                               "‖M‖₁·‖X‖₁ reached " + brief(condition) + at + ", where rounding in X·M is as large as I");
        return;
    }
    // Only an X with ‖X·M − I‖_F < 1/2, rounding included, proves M invertible; only such an X can have converged.
    const bool near = residual + floor < 0.5;
    if (near && options_.tolerance > 0.0 && loss <= options_.tolerance) {
        stop(Status::converged, "the loss reached " + brief(loss) + " <= tolerance " + brief(options_.tolerance) + at);
        return;
    }
    if (near && residual <= floor) {
        stop(Status::converged, "X·M is I to rounding" + at + ": ‖X·M − I‖_F = " + brief(residual) +
                                    " <= √n·ε·‖M‖_F·‖X‖_F = " + brief(floor));
        return;
    }
    if (since_low_ >= (near ? rule_.patience_near : rule_.patience_far)) {
        const std::string paused = "the loss stopped falling at " + brief(low_mark_) + " (‖X·M − I‖_F = " +
                                   brief(n_ * std::sqrt(low_mark_)) + ") by iteration " + std::to_string(iteration);
        if (!near)
            stop(Status::singular, "M is singular: " + paused + ", a positive floor, so no X makes X·M = I (or M is "
                                   "too close to singular for this method to tell)");
        else if (rule_.pause_near_is_convergence)
            stop(Status::converged, paused + ": as close to I as rounding allows (condition number about " +
                                        brief(condition) + ")");
        else
            stop(Status::stalled, paused + ", before X·M reached I to rounding");
        return;
    }
    if (iteration >= options_.max_iterations) {
        stop(Status::max_iterations, "ran all " + std::to_string(iteration) + " iterations; final loss " + brief(loss));
    }
}

InverseResult InverseWatch::finish(Matrix X) {
    report_.iterations = static_cast<long>(report_.losses.size());
    report_.final_loss = report_.losses.empty() ? 0.0 : report_.losses.back();
    report_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return {std::move(X), std::move(report_)};
}

}  // namespace tapegrad
