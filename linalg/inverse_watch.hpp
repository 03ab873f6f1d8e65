#pragma once
// When an inverse by iteration should stop, and what its loss then says about M. The methods' loops read like
// the tutorial's, with the watch where the tutorial's loop counts to 10,000:
//
//   while (watch.running()) {
//       tape.clear();
//       const Var loss = inverse_loss(tape.param(X), tape.constant(M), I, variant);
//       X.zero_grad();
//       backward(loss);
//       watch.log(loss.item(), X.value);  // stop if done
//       if (!watch.running()) break;
//       ...step...
//   }
//   return watch.finish(X.value);
//
// The loss is mse(X·M, I) = ‖X·M − I‖²/n², so r = n·√loss is the residual ‖X·M − I‖_F (for variant both, the root
// mean square of the two residuals). Computing X·M rounds each entry by about ε·Σₖ|x_ik·m_kj|, so r is known to
// within about √n·ε·‖M‖_F·‖X‖_F, its rounding floor. That tells convergence from singularity:
//
// - ‖M‖₁·‖X‖₁ ≥ 1/ε: X is so large that rounding in X·M is as large as I. For X ≈ M⁻¹ this product is the
//   condition number κ₁(M) (LAPACK's and MATLAB's "numerically singular" is κ₁ ≳ 1/ε). Singular.
// - r < 1/2, rounding included, proves M invertible: X·M = I + R with ‖R‖₂ ≤ r < 1 is invertible. Only such an
//   X can converge: when r is down to its rounding error, X·M is I as far as double precision can tell. Converged.
// - If the loss stops falling while r ≥ 1/2, it has hit a positive floor: for a singular M of rank k the least
//   loss is (n − k)/n² (r = √(n − k) ≥ 1), and no X makes X·M = I. Singular (or, when κ is merely huge, too
//   close to singular for the method to get near M⁻¹ in double precision; the message says so).
// - If it stops falling while r < 1/2, short of the rounding: converged for Newton–Schulz, whose residual, once
//   below 1/2, is squared at every step until rounding stops it; stalled for the others.
#include <chrono>

#include "autodiff/matrix.hpp"
#include "linalg/descent.hpp"
#include "linalg/inverse.hpp"

namespace tapegrad {

// How a method's loss behaves, which decides how long a pause in its progress may last. The defaults suit the slow
// methods (scaled_descent, line_search), whose loss may fall slowly for a long time.
struct StopRule {
    long patience_near = 1000;  // iterations without a new lowest loss while r < 1/2, before stopping
    long patience_far = 1000;   // the same while r ≥ 1/2 (then M is singular)
    bool pause_near_is_convergence = false;  // true when, once r < 1/2, only rounding can stop the loss falling
};

class InverseWatch {
public:
    // M is the matrix being inverted (already scaled). Throws std::invalid_argument on options no method can
    // use, with Descent's messages.
    InverseWatch(const Matrix& M, const DescentOptions& options, const StopRule& rule);

    bool running() const { return running_; }
    // Logs the loss of X and stops (with a status) when it is time.
    void log(double loss, const Matrix& X);
    // The answer X, the last iterate, and the report. (Not the iterate of least loss: once the loss is at the
    // rounding floor it is noise, and Newton–Schulz's later iterates are the more accurate ones.)
    InverseResult finish(Matrix X);

private:
    void decide(double loss, const Matrix& X);  // stop() if it is time
    void stop(Status status, std::string message);

    DescentOptions options_;
    StopRule rule_;
    double n_;
    double norm_1_M_, frobenius_M_;
    DescentReport report_;
    bool running_ = true;
    double low_mark_ = 0.0;  // the last loss that counted as a new low
    long since_low_ = 0;     // iterations since then
    std::chrono::steady_clock::time_point start_;
};

}  // namespace tapegrad
