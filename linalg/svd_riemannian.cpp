// Each method reads like the tutorial's loop, guess then improve, with the cost recorded on the tape and its
// gradient from backward(). What differs is what happens to that gradient: it is projected onto the tangent
// space, and the step is retracted onto the manifold, so U and V stay orthonormal at every iteration.
#include "linalg/svd_riemannian.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "linalg/brockett.hpp"
#include "linalg/stiefel.hpp"

namespace tapegrad {

namespace {

// The bookkeeping the three methods share, like linalg/descent.hpp's for the tutorial's loop: the loss of every
// iteration, the stopping tests, the report.
class Run {
public:
    explicit Run(const DescentOptions& options) : options_(options), start_(std::chrono::steady_clock::now()) {
        require_valid_stopping("svd_by_descent", options);
        if (options.max_iterations == 0) stop(Status::max_iterations, "max_iterations is 0: nothing to do");
    }

    // Logs this iteration's loss; true when the method must stop here: stopped already, numbers no longer
    // finite, the gradient small enough, or the iterations used up.
    bool done(const BrockettProblem::Evaluation& e) {
        if (stopped_) return true;
        report_.losses.push_back(e.loss);
        report_.final_loss = e.loss;
        const long i = iteration();
        if (options_.progress && i % options_.progress_interval == 0) options_.progress(i, e.loss);
        if (!std::isfinite(e.loss) || !std::isfinite(e.grad_norm))
            return stop(Status::diverged, "the loss became " + brief(e.loss) + " at iteration " + std::to_string(i));
        if (e.grad_norm <= options_.tolerance)
            return stop(Status::converged, "the gradient's norm reached " + brief(e.grad_norm) + " <= tolerance " +
                                               brief(options_.tolerance) + " at iteration " + std::to_string(i));
        if (i >= options_.max_iterations)
            return stop(Status::max_iterations, "ran all " + std::to_string(i) + " iterations; gradient norm " +
                                                    brief(e.grad_norm) + ", loss " + brief(e.loss));
        return false;
    }

    bool stop(Status status, std::string message) {
        stopped_ = true;
        report_.status = status;
        report_.message = std::move(message);
        return true;
    }

    long iteration() const { return static_cast<long>(report_.losses.size()); }

    DescentReport finish() {
        report_.iterations = iteration();
        report_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        return std::move(report_);
    }

private:
    DescentOptions options_;
    DescentReport report_;
    bool stopped_ = false;
    std::chrono::steady_clock::time_point start_;
};

struct Point {
    StiefelPair x;
    BrockettProblem::Evaluation e;
};

// A few hundred ulps of a cost: differences of costs smaller than this are rounding noise.
double ulps(double cost) { return 1e3 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(cost)); }

// Armijo backtracking from x along a direction d with slope ⟨grad, d⟩ < 0: halve t until the cost is below
// reference + c·t·slope, the reference being the current cost (monotone) or an average of recent costs
// (non-monotone). Near the answer the decrease asked for is smaller than the rounding error of the cost, so a
// cost within a few hundred ulps of that bound passes too; otherwise the search could never succeed there
// and the method would stall with a gradient far above the tolerance. t is the first step to try, and on
// return the step taken. Returns the new point, or nothing after 40 halvings.
std::optional<Point> backtrack(BrockettProblem& problem, const StiefelPair& x, const StiefelPair& d, double slope,
                               double reference, double& t) {
    constexpr double c = 1e-4;
    for (int halvings = 0; halvings < 40; ++halvings, t *= 0.5) {
        StiefelPair trial = retract(x, t * d);
        BrockettProblem::Evaluation e = problem.evaluate(trial);
        if (e.cost <= reference + c * t * slope + ulps(reference)) return Point{std::move(trial), std::move(e)};
    }
    return std::nullopt;
}

}  // namespace

// Wen and Yin, "A feasible method for optimization with orthogonality constraints" (2013), with the QR
// retraction in place of their Cayley transform.
SvdResult svd_stiefel_descent(const Matrix& M, const SvdOptions& options) {
    BrockettProblem problem(M);
    Run run(options.descent);
    Point p{problem.guess(options.descent.seed), {}};  // guess
    p.e = problem.evaluate(p.x);
    double t = 1.0 / static_cast<double>(problem.k());  // a first step: the weights, and so the gradient, grow with k
    double reference = p.e.cost, weight = 1.0;          // Zhang and Hager's running average of the costs
    while (!run.done(p.e)) {                            // improve
        std::optional<Point> next = backtrack(problem, p.x, -1.0 * p.e.grad, -p.e.grad_norm * p.e.grad_norm, reference, t);
        if (!next) {
            run.stop(Status::stalled, "the line search found no decrease at iteration " + std::to_string(run.iteration()) +
                                          "; gradient norm " + brief(p.e.grad_norm));
            break;
        }
        // Barzilai–Borwein: the step size that fits the curvature seen between the last two points, the two
        // forms taken in turn. s and y are differences in the embedding space, as in Wen and Yin.
        const StiefelPair s = next->x - p.x, y = next->e.grad - p.e.grad;
        const double sy = std::abs(inner(s, y));
        if (sy > 0.0) t = std::clamp(run.iteration() % 2 == 0 ? inner(s, s) / sy : sy / inner(y, y), 1e-10, 1e10);
        const double previous_weight = weight;
        weight = 0.85 * weight + 1.0;
        reference = (0.85 * previous_weight * reference + next->e.cost) / weight;
        p = std::move(*next);
    }
    return problem.result(std::move(p.x), run.finish());
}

SvdResult svd_stiefel_cg(const Matrix& M, const SvdOptions& options) {
    BrockettProblem problem(M);
    Run run(options.descent);
    Point p{problem.guess(options.descent.seed), {}};  // guess
    p.e = problem.evaluate(p.x);
    StiefelPair d = -1.0 * p.e.grad;
    double t = 1.0 / static_cast<double>(problem.k());
    while (!run.done(p.e)) {  // improve
        double slope = inner(p.e.grad, d);
        if (!(slope < 0.0)) {  // not a descent direction: start again from the gradient
            d = -1.0 * p.e.grad;
            slope = -p.e.grad_norm * p.e.grad_norm;
        }
        // The first step to try minimises the quadratic model along d: t = -slope / ⟨d, Hess·d⟩ (one more tape
        // pass). Where the curvature is not positive, the last step is tried again.
        const double curvature = inner(d, problem.hessian(p.x, p.e, d));
        if (curvature > 0.0) t = -slope / curvature;
        std::optional<Point> next = backtrack(problem, p.x, d, slope, p.e.cost, t);
        if (!next) {
            run.stop(Status::stalled, "the line search found no decrease at iteration " + std::to_string(run.iteration()) +
                                          "; gradient norm " + brief(p.e.grad_norm));
            break;
        }
        // Carry the old direction and gradient to the new point's tangent space by projecting them there.
        const StiefelPair d_moved = project(next->x, d), g_moved = project(next->x, p.e.grad);
        const double beta = std::max(0.0, inner(next->e.grad, next->e.grad - g_moved) / (p.e.grad_norm * p.e.grad_norm));
        d = beta * d_moved - next->e.grad;
        p = std::move(*next);
    }
    return problem.result(std::move(p.x), run.finish());
}

namespace {

struct ModelStep {
    StiefelPair eta;
    StiefelPair Heta;  // Hess·η, for the model's value
    bool reached_boundary = false;
};

// The τ >= 0 with ‖η + τ·δ‖ = radius.
double to_boundary(const StiefelPair& eta, const StiefelPair& delta, double radius) {
    const double ed = inner(eta, delta), dd = inner(delta, delta), ee = inner(eta, eta);
    return (-ed + std::sqrt(ed * ed + dd * (radius * radius - ee))) / dd;
}

// The trust-region subproblem: minimise the model m(η) = f + ⟨grad, η⟩ + ½⟨η, Hess·η⟩ over tangent vectors
// with ‖η‖ <= radius, approximately, by preconditioned conjugate gradients on Hess·η = -grad from η = 0
// (Steihaug and Toint), stopped when a step leaves the region or finds negative curvature (then it goes to
// the boundary), or once the residual is small enough: ‖r‖ <= ‖grad‖·min(‖grad‖, 0.1), for quadratic
// convergence, but never below half the tolerance, since the stopping test needs no more.
ModelStep truncated_cg(BrockettProblem& problem, const Point& p, double radius, double tolerance) {
    const long max_inner = static_cast<long>(std::max<std::size_t>(problem.dimension(), 1));
    const double target = std::max(p.e.grad_norm * std::min(p.e.grad_norm, 0.1), 0.5 * tolerance);
    ModelStep out{0.0 * p.e.grad, 0.0 * p.e.grad};
    StiefelPair r = p.e.grad;  // the model's gradient at η
    StiefelPair z = problem.precondition(p.x, p.e, r);
    StiefelPair delta = -1.0 * z;
    double r_z = inner(r, z);
    for (long j = 0; j < max_inner; ++j) {
        const StiefelPair Hdelta = problem.hessian(p.x, p.e, delta);
        const double curvature = inner(delta, Hdelta);  // ⟨δ, Hess·δ⟩
        const double alpha = r_z / curvature;
        const double eta_eta = inner(out.eta, out.eta), eta_delta = inner(out.eta, delta), delta_delta = inner(delta, delta);
        if (curvature <= 0.0 || eta_eta + 2.0 * alpha * eta_delta + alpha * alpha * delta_delta >= radius * radius) {
            // Negative curvature, or the step would leave the region: go along δ to the boundary.
            const double tau = to_boundary(out.eta, delta, radius);
            add_scaled(out.eta, delta, tau);
            add_scaled(out.Heta, Hdelta, tau);
            out.reached_boundary = true;
            return out;
        }
        add_scaled(out.eta, delta, alpha);
        add_scaled(out.Heta, Hdelta, alpha);
        add_scaled(r, Hdelta, alpha);
        if (norm(r) <= target) return out;
        z = problem.precondition(p.x, p.e, r);
        const double next_r_z = inner(r, z);
        const double beta = next_r_z / r_z;
        r_z = next_r_z;
        delta *= beta;
        add_scaled(delta, z, -1.0);  // δ = -z + β·δ
    }
    return out;
}

}  // namespace

// Absil, Baker and Gallivan, "Trust-region methods on Riemannian manifolds" (2007): Manopt's default solver.
SvdResult svd_trust_region(const Matrix& M, const SvdOptions& options) {
    BrockettProblem problem(M);
    Run run(options.descent);
    Point p{problem.guess(options.descent.seed), {}};  // guess
    p.e = problem.evaluate(p.x);
    // A step may cross the whole manifold (‖x‖_F = sqrt(2k)); the radius shrinks only when the model fails.
    const double max_radius = std::sqrt(2.0 * static_cast<double>(problem.k()));
    double radius = max_radius;
    while (!run.done(p.e)) {  // improve
        const ModelStep step = truncated_cg(problem, p, radius, options.descent.tolerance);
        Point candidate{retract(p.x, step.eta), {}};
        candidate.e = problem.evaluate(candidate.x);
        // ρ = actual decrease / the model's predicted decrease. Near the answer both are differences of costs
        // of order 1 that agree to the last digits; a few hundred ulps added to each keep ρ near 1 there
        // rather than rounding noise (Manopt does the same).
        const double predicted = -(inner(p.e.grad, step.eta) + 0.5 * inner(step.eta, step.Heta));
        const double rho = (p.e.cost - candidate.e.cost + ulps(p.e.cost)) / (predicted + ulps(p.e.cost));
        if (!(rho >= 0.25) || !(predicted >= 0.0))
            radius /= 4.0;  // the model was poor: trust it over a smaller region
        else if (rho > 0.75 && step.reached_boundary)
            radius = std::min(2.0 * radius, max_radius);  // good, and the region was what limited the step
        if (predicted >= 0.0 && rho > 0.1) p = std::move(candidate);
        if (radius < 1e-14 * max_radius) {
            run.stop(Status::stalled, "the trust region shrank to nothing at iteration " + std::to_string(run.iteration()) +
                                          "; gradient norm " + brief(p.e.grad_norm));
            break;
        }
    }
    return problem.result(std::move(p.x), run.finish());
}

}  // namespace tapegrad
