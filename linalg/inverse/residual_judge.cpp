#include "linalg/inverse/residual_judge.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "linalg/checks.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

constexpr double epsilon = std::numeric_limits<double>::epsilon();

}  // namespace

ResidualJudge::ResidualJudge(const Matrix& M, InverseVariant variant, double tolerance, const Patience& patience)
    : variant_(variant), tolerance_(tolerance), patience_(patience), n_(static_cast<double>(M.rows())),
      norm_1_M_(norm_1(M)), frobenius_M_(frobenius_norm(M)) {}

std::optional<Stop> ResidualJudge::operator()(const History& history, const Matrix& X) const {
    const double loss = history.last();
    const auto at = [&] { return " at iteration " + std::to_string(history.iteration()); };
    const std::string product(product_name(variant_));
    const double residual = n_ * std::sqrt(loss);                                       // ‖X·M − I‖_F, as computed
    const double floor = std::sqrt(n_) * epsilon * frobenius_M_ * frobenius_norm(X);  // the rounding in computing it
    const double condition = norm_1_M_ * norm_1(X, column_sums_);                                    // κ₁(M), once X ≈ M⁻¹
    if (condition * epsilon >= 1.0)
        return Stop{Status::singular, "M is numerically singular (condition number ≳ 1/ε), at least for this method: "
                                      "‖M‖₁·‖X‖₁ reached " + brief(condition) + at() + ", where rounding in " + product +
                                      " is as large as I"};
    // Only an X with ‖X·M − I‖_F < 1/2, rounding included, proves M invertible; only such an X can have converged.
    const bool near = residual + floor < 0.5;
    if (near && residual <= tolerance_)
        return Stop{Status::converged, "‖" + product + " − I‖_F reached " + brief(residual) + " <= tolerance " +
                                           brief(tolerance_) + at()};
    if (near && residual <= floor)
        return Stop{Status::converged, product + " is I to rounding" + at() + ": ‖" + product + " − I‖_F = " +
                                           brief(residual) + " <= √n·ε·‖M‖_F·‖X‖_F = " + brief(floor)};
    if (history.since_low() >= (near ? patience_.near : patience_.far)) {
        const std::string paused = "the loss stopped falling at " + brief(history.low()) + " (‖" + product +
                                   " − I‖_F = " + brief(n_ * std::sqrt(history.low())) + ")" + at();
        if (!near)
            return Stop{Status::singular, "M looks singular: " + paused + ", a positive floor, so no X makes " + product +
                                              " = I"};
        if (patience_.pause_near_is_convergence)  // the check of the answer says whether that is close enough
            return Stop{Status::converged, paused + ", where rounding stops the residual squaring (condition number "
                                                    "about " + brief(condition) + ")"};
        return Stop{Status::stalled, paused + ", before " + product + " reached I to rounding"};
    }
    return std::nullopt;
}

}  // namespace tapegrad
