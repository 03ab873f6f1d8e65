// Each method reads like the tutorial's loop, guess then improve, with the cost recorded on the tape and its
// gradient from backward(). What differs is what happens to that gradient: it is projected onto the tangent
// space, and the step is retracted onto the manifold, so U and V stay orthonormal at every iteration.
#include "linalg/svd/riemannian.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "linalg/checks.hpp"

namespace tapegrad {

double ulps(double cost) { return 1e3 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(cost)); }

RiemannianSvd::RiemannianSvd(const Matrix& M, double tolerance, std::uint64_t seed, long rank)
    : problem_(M, static_cast<std::size_t>(rank)), p_{problem_.guess(seed), {}}, tolerance_(tolerance) {
    p_.e = problem_.evaluate(p_.x);
}

std::optional<Stop> RiemannianSvd::judge(const History& history) {
    const auto at = [&] { return " at iteration " + std::to_string(history.iteration()); };
    if (!std::isfinite(p_.e.grad_norm)) return Stop{Status::diverged, "the gradient became " + brief(p_.e.grad_norm) + at()};
    const double sigma_1 = problem_.truncated() ? *std::max_element(p_.e.sigma.begin(), p_.e.sigma.end()) : 1.0;
    if (std::sqrt(2.0) * p_.e.grad_norm <= tolerance_ * sigma_1)
        return Stop{Status::converged, "√2·‖grad‖ = " + brief(std::sqrt(2.0) * p_.e.grad_norm) + " <= tolerance " +
                                           brief(tolerance_) + (problem_.truncated() ? "·σ₁" : "") + at()};
    return std::nullopt;
}

namespace {

// Armijo backtracking from x along a direction d with slope ⟨grad, d⟩ < 0: halve t until the cost is below
// reference + c·t·slope, the reference being the current cost (monotone) or an average of recent costs
// (non-monotone). Near the answer the decrease asked for is smaller than the rounding error of the cost, so a
// cost within a few hundred ulps of that bound passes too; otherwise the search could never succeed there
// and the method would stall with a gradient far above the tolerance. t is the first step to try, and on
// return the step taken. The point found goes into `trial` (t·d into `step`: both keep their storage, so a
// search allocates nothing); false after 40 halvings.
bool backtrack(BrockettProblem& problem, const StiefelPair& x, const StiefelPair& d, double slope, double reference,
               double& t, StiefelPair& step, Point& trial) {
    constexpr double c = 1e-4;
    for (int halvings = 0; halvings < 40; ++halvings, t *= 0.5) {
        assign_scaled(step, d, t);
        retract_into(x.U, step.U, trial.x.U);
        retract_into(x.V, step.V, trial.x.V);
        problem.evaluate(trial.x, trial.e);
        if (trial.e.cost <= reference + c * t * slope + ulps(reference)) return true;
    }
    return false;
}

Stop no_decrease(const Point& p) {
    return Stop{Status::stalled, "the line search found no decrease; gradient norm " + brief(p.e.grad_norm)};
}

// Wen and Yin, "A feasible method for optimization with orthogonality constraints" (2013), with the QR
// retraction in place of their Cayley transform: steepest descent, Barzilai–Borwein step sizes, and a
// non-monotone Armijo search. Allocates nothing after the first iteration: the direction, the step and the
// trial point keep their storage, and an accepted trial trades places with the current point.
class StiefelDescent final : public RiemannianSvd {
public:
    StiefelDescent(const Matrix& M, const StiefelDescentOptions& o)
        : RiemannianSvd(M, o.tolerance, o.seed, o.rank),  // guess
          t_(1.0 / static_cast<double>(problem_.k())),  // a first step: the weights, and so the gradient, grow with k
          reference_(p_.e.cost) {}

    std::optional<Stop> step() override {  // improve
        assign_scaled(d_, p_.e.grad, -1.0);
        if (!backtrack(problem_, p_.x, d_, -p_.e.grad_norm * p_.e.grad_norm, reference_, t_, step_, trial_))
            return no_decrease(p_);
        // Barzilai–Borwein: the step size that fits the curvature seen between the last two points, the two
        // forms taken in turn. s and y are differences in the embedding space, as in Wen and Yin.
        const Point& next = trial_;
        s_ = next.x;  // into kept storage: no allocation
        add_scaled(s_, p_.x, -1.0);
        y_ = next.e.grad;
        add_scaled(y_, p_.e.grad, -1.0);
        const double sy = std::abs(inner(s_, y_));
        ++steps_;
        if (sy > 0.0) t_ = std::clamp(steps_ % 2 == 0 ? inner(s_, s_) / sy : sy / inner(y_, y_), 1e-10, 1e10);
        // Zhang and Hager's running average of the costs, the non-monotone search's reference.
        const double previous_weight = weight_;
        weight_ = 0.85 * weight_ + 1.0;
        reference_ = (0.85 * previous_weight * reference_ + next.e.cost) / weight_;
        std::swap(p_, trial_);
        return std::nullopt;
    }

private:
    double t_, reference_, weight_ = 1.0;
    long steps_ = 0;
    StiefelPair d_, step_, s_, y_;
    Point trial_;
};

// Conjugate gradients (Polak–Ribière+), directions carried between points by projection, Armijo backtracking.
// Allocates nothing after the first iteration, as StiefelDescent.
class StiefelCg final : public RiemannianSvd {
public:
    StiefelCg(const Matrix& M, const StiefelCgOptions& o)
        : RiemannianSvd(M, o.tolerance, o.seed, o.rank),  // guess
          t_(1.0 / static_cast<double>(problem_.k())) {
        assign_scaled(d_, p_.e.grad, -1.0);
    }

    std::optional<Stop> step() override {  // improve
        double slope = inner(p_.e.grad, d_);
        if (!(slope < 0.0)) {  // not a descent direction: start again from the gradient
            assign_scaled(d_, p_.e.grad, -1.0);
            slope = -p_.e.grad_norm * p_.e.grad_norm;
        }
        // The first step to try minimises the quadratic model along d: t = -slope / ⟨d, Hess·d⟩ (one more tape
        // pass). Where the curvature is not positive, the last step is tried again.
        problem_.hessian(p_.x, p_.e, d_, Hd_);
        const double curvature = inner(d_, Hd_);
        if (curvature > 0.0) t_ = -slope / curvature;
        if (!backtrack(problem_, p_.x, d_, slope, p_.e.cost, t_, step_, trial_)) return no_decrease(p_);
        const Point& next = trial_;
        // Carry the old direction and gradient to the new point's tangent space by projecting them there.
        project_into(next.x.U, d_.U, d_moved_.U, scratch_);
        project_into(next.x.V, d_.V, d_moved_.V, scratch_);
        project_into(next.x.U, p_.e.grad.U, g_moved_.U, scratch_);
        project_into(next.x.V, p_.e.grad.V, g_moved_.V, scratch_);
        g_moved_ *= -1.0;
        add_scaled(g_moved_, next.e.grad, 1.0);  // grad − g_moved, in place
        const double beta = std::max(0.0, inner(next.e.grad, g_moved_) / (p_.e.grad_norm * p_.e.grad_norm));
        assign_scaled(d_, d_moved_, beta);
        add_scaled(d_, next.e.grad, -1.0);  // d = β·d_moved − grad
        std::swap(p_, trial_);
        return std::nullopt;
    }

private:
    StiefelPair d_;  // the search direction
    double t_;
    StiefelPair Hd_, step_, d_moved_, g_moved_;
    Matrix scratch_;  // k×k, project_into's
    Point trial_;
};

}  // namespace

std::unique_ptr<SvdSolver> stiefel_descent(const Matrix& M, const StiefelDescentOptions& options) {
    return std::make_unique<StiefelDescent>(M, options);
}

std::unique_ptr<SvdSolver> stiefel_cg(const Matrix& M, const StiefelCgOptions& options) {
    return std::make_unique<StiefelCg>(M, options);
}

}  // namespace tapegrad
