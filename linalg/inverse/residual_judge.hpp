#pragma once
// When an inverse by iteration (beyond the tutorial's) should stop, and what its loss then says about M.
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
//   loss is (n − k)/n² (r = √(n − k) ≥ 1), and no X makes X·M = I. Singular (or M is too close to singular for
//   the method; inverse_by_descent asks LAPACK which, before it says so).
// - If it stops falling while r < 1/2, short of the rounding: converged for Newton–Schulz, whose residual, once
//   below 1/2, is squared at every step until rounding stops it; stalled for the others.
#include <optional>
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/iterate.hpp"

namespace tapegrad {

// How a method's loss behaves, which decides how long a pause in its progress may last. The defaults suit the
// slow methods (scaled_descent, line_search), whose loss may fall slowly for a long time.
struct Patience {
    long near = 1000;  // steps without a new lowest loss while r < 1/2, before stopping
    long far = 1000;   // the same while r ≥ 1/2 (then M is singular)
    bool pause_near_is_convergence = false;  // true when, once r < 1/2, only rounding can stop the loss falling
};

class ResidualJudge {
public:
    // M is the matrix being inverted (already scaled); tolerance is on ‖X·M − I‖_F, 0 for "to rounding".
    ResidualJudge(const Matrix& M, InverseVariant variant, double tolerance, const Patience& patience);

    // Stop at this loss of X?
    std::optional<Stop> operator()(const History& history, const Matrix& X) const;

private:
    InverseVariant variant_;
    double tolerance_;
    Patience patience_;
    double n_;
    double norm_1_M_, frobenius_M_;
    mutable std::vector<double> column_sums_;  // norm_1's, kept: judging allocates nothing until it stops
};

}  // namespace tapegrad
