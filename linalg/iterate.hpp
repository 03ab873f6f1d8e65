#pragma once
// The one loop every method runs, the tutorial's and the robust ones alike: guess, then improve.
//
//   guess                              the method's constructor
//   repeat:
//       loss = method.evaluate()       record the loss on the tape and call backward(): the gradients
//       stop if the loss is not finite (diverged),
//         or the method judges itself done (what converged, or stuck, means for that method),
//         or max_iterations steps have been taken
//       method.step()                  improve, with the gradients
//
// iterate() keeps the books, so no method does: every loss, progress on a terminal, the time, why it stopped.
// After the loop, the caller checks the answer against the input (svd.cpp, inverse.cpp) and settle()s the
// status: `converged` is only ever said of an answer that passed that check.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrad {

enum class Status {
    converged,        // the answer passed the check against the input, to the tolerance asked for
    max_iterations,   // every step allowed was taken, and the answer is not yet within the tolerance
    diverged,         // the loss (or the answer) became NaN or Inf, or exploded; stopped at once
    stalled,          // the method could make no more progress, short of the tolerance
    ill_conditioned,  // the inverse: M is invertible, but too ill-conditioned for this method to reach the tolerance
    singular,         // the inverse: M has no inverse in double precision (LAPACK agrees)
};

std::string_view to_string(Status status);

// Why a method stopped, in words: "the gradient's norm reached 3.1e-11 at iteration 7".
struct Stop {
    Status status;
    std::string why;
};

// The losses so far, for a method's judge to read.
class History {
public:
    explicit History(long max_iterations);  // reserves room for the losses of a typical run (no more)

    const std::vector<double>& losses() const { return losses_; }
    long iteration() const { return static_cast<long>(losses_.size()) - 1; }  // steps taken before the last loss
    double first() const { return losses_.front(); }
    double last() const { return losses_.back(); }
    double low() const { return low_; }            // the lowest loss so far
    long since_low() const { return since_low_; }  // losses logged since the loss last fell to a new low

    void log(double loss);
    std::vector<double> take_losses() { return std::move(losses_); }

private:
    std::vector<double> losses_;
    double low_ = 0.0;
    long since_low_ = 0;
};

// What a method supplies. Its constructor makes the guess.
class Method {
public:
    virtual ~Method() = default;
    // The loss at the current point, recorded on the tape and differentiated.
    virtual double evaluate() = 0;
    // Stop here? Called after every evaluation with the losses so far (the last one is this evaluation's).
    virtual std::optional<Stop> judge(const History& history) = 0;
    // Improve the current point. Returns a Stop when no step is possible (a line search that finds no decrease).
    virtual std::optional<Stop> step() = 0;
    // How many times the loss was recorded and differentiated: one per evaluate() unless the method does more
    // (the trust region's Hessian products).
    virtual long tape_passes() const = 0;
};

// Called every `every` steps with (iteration, loss), e.g. to show progress on a terminal.
struct Progress {
    std::function<void(long, double)> show;
    long every = 1000;
};

struct Report {
    Status status = Status::max_iterations;
    std::string message{};        // why it stopped, and what the check of the answer found, in words
    long iterations = 0;          // steps taken
    std::vector<double> losses{}; // losses[i]: the loss after i steps, so losses.front() is the guess's
    double final_loss = 0.0;      // the loss of the answer returned: losses.back()
    double wall_seconds = 0.0;    // the loop alone, not set-up or the check
    long tape_passes = 0;
};

// Runs the loop above. Throws std::invalid_argument for max_iterations < 0 or a progress interval <= 0.
Report iterate(Method& method, long max_iterations, const Progress& progress = {});

// Descent with a learning rate can blow up: a loss 1e8 times the first one has exploded, and no such descent comes
// back from that. The tutorial's methods' judges call this.
std::optional<Stop> exploded(const History& history);

// The tutorial's methods judge by their loss alone. A loss that exploded is divergence; with a target (the loss
// that proves the answer within the tolerance), a loss at or below it is converged, and one that has not fallen to
// a new low for 1000 steps never will get there: stalled. target 0: no tolerance, every step is taken. `proves`
// says what the target proves, for the message: "the answer within the tolerance 1e-08".
std::optional<Stop> judge_by_loss(const History& history, double target, const std::string& proves);

// The independent check of an answer against the input, which settle() turns into the final status.
struct Check {
    bool finite = true;   // every number of the answer is finite
    bool passed = false;  // ... and within the tolerance: an error measured on the answer itself
    std::string what{};   // the measurement, in words: "‖X·M − I‖_F = 3.1e-15 <= 2.2e-14"
};

// converged if the check passed, whatever stopped the loop (a run that used up its iterations with the answer
// inside the tolerance has converged); never converged if it did not: an answer that is not finite is diverged,
// and a method that judged itself converged although the check failed is stalled. The message gains the
// check's measurement.
void settle(Report& report, const Check& check);

}  // namespace tapegrad
