#pragma once
// What every descent in linalg/ shares: the options a user sets, the optimiser they pick, and the bookkeeping
// of a run (the loss of every iteration, when to stop, and why). A solver's loop reads like the tutorial:
//
//   while (descent.running()) {
//       tape.clear();
//       const Var loss = ...;          // record the loss on the tape
//       descent.zero_grad();
//       backward(loss);                // gradients into each parameter's .grad
//       descent.step(loss.item());     // log the loss, stop if done or diverged, else update
//   }
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autodiff/optim.hpp"

namespace tapegrad {

enum class OptimizerKind {
    momentum,  // the tutorial's hand-written loop: p -= lr·p.grad; p.grad *= momentum
    sgd,       // torch.optim.SGD with momentum (the same iterates as `momentum`)
    nesterov,  // torch.optim.SGD with nesterov=True
    adam,      // torch.optim.Adam, betas (0.9, 0.999)
};

enum class Status {
    converged,       // the loss reached the tolerance
    max_iterations,  // ran every iteration allowed (always the case with tolerance 0)
    diverged,        // the loss became NaN or Inf, or exploded; stopped at once
    stalled,         // the loss stopped improving before reaching the tolerance
    singular,        // the loss stopped at a positive floor, or ‖M‖·‖X‖ ≳ 1/ε: M is (numerically) singular
};

std::string_view to_string(OptimizerKind kind);
std::string_view to_string(Status status);
OptimizerKind parse_optimizer(std::string_view name);  // throws std::invalid_argument listing the choices

struct DescentOptions {
    OptimizerKind optimizer = OptimizerKind::momentum;
    std::optional<double> lr{};  // unset: 0.9 for the momentum family (the tutorial's), 0.01 for Adam
    double momentum = 0.9;
    long max_iterations = 10000;
    double tolerance = 0.0;  // stop once the loss is <= tolerance; 0 runs every iteration
    std::uint64_t seed = 314;  // of the initial guess
    // Called every progress_interval iterations with (iteration, loss), e.g. to show progress on a terminal.
    std::function<void(long, double)> progress{};
    long progress_interval = 1000;
};

double default_lr(OptimizerKind kind);

struct DescentReport {
    Status status = Status::max_iterations;
    long iterations = 0;          // steps taken
    std::vector<double> losses;   // the loss at every iteration, before its step
    double final_loss = 0.0;      // the last loss computed
    double wall_seconds = 0.0;    // the descent alone, not set-up or post-processing
    std::string message;          // why it stopped, in words
};

class Descent {
public:
    // Throws std::invalid_argument on options no descent can use (negative counts, non-positive lr, ...).
    Descent(const DescentOptions& options, std::vector<Parameter*> params);

    bool running() const { return running_; }
    void zero_grad();          // the tutorial's momentum loop keeps its gradients instead
    void step(double loss);    // log the loss; stop (converged, diverged, stalled, done) or update
    DescentReport finish();    // the report; call once the loop has ended

private:
    bool should_stop(double loss);

    DescentOptions options_;
    std::vector<Parameter*> params_;
    std::unique_ptr<Optimizer> optimizer_;  // null for the tutorial's momentum loop
    double lr_;
    DescentReport report_;
    bool running_ = true;
    double best_loss_ = 0.0, best_at_checkpoint_ = 0.0;
    std::chrono::steady_clock::time_point start_;
};

// Throws std::invalid_argument, naming `who`, for stopping options no method can use: max_iterations < 0,
// tolerance < 0 or NaN, a progress callback with progress_interval <= 0. Every method checks these.
void require_valid_stopping(const char* who, const DescentOptions& options);

// x to 3 significant digits, as the stop messages print numbers: "1.48e-31", "0.9".
std::string brief(double x);

// Throws std::invalid_argument naming `who` when m is empty or holds a NaN or Inf.
void require_finite_nonempty(const char* who, const Matrix& m);

}  // namespace tapegrad
