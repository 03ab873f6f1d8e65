// The trust region: minimise a quadratic model of the cost (gradient and Hessian, both from the tape) within a
// radius by preconditioned truncated conjugate gradients, and adapt the radius to how well the model predicted.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "linalg/checks.hpp"
#include "linalg/svd/riemannian.hpp"

namespace tapegrad {

namespace {

struct ModelStep {
    StiefelPair eta;
    StiefelPair Heta;  // Hess·η, for the model's value
    bool reached_boundary = false;
};

// The inner iterations' vectors, kept between outer iterations so that none allocates after the first.
struct InnerVectors {
    StiefelPair r, z, delta, Hdelta;
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
// convergence, but never below half the tolerance, since the stopping test needs no more, nor below the
// rounding error of the residual itself, about ε·‖egrad‖ (with tolerance 0 CG would otherwise go on iterating on
// rounding noise, lose conjugacy, and report a false negative curvature that throws the step across the manifold).
void truncated_cg(BrockettProblem& problem, const Point& p, double radius, double tolerance, InnerVectors& v,
                  ModelStep& out) {
    const long max_inner = static_cast<long>(std::max<std::size_t>(problem.dimension(), 1));
    const double rounding = 100.0 * std::numeric_limits<double>::epsilon() * norm(p.e.egrad);
    const double target = std::max({p.e.grad_norm * std::min(p.e.grad_norm, 0.1), 0.5 * tolerance, rounding});
    auto& [r, z, delta, Hdelta] = v;
    assign_scaled(out.eta, p.e.grad, 0.0);
    assign_scaled(out.Heta, p.e.grad, 0.0);
    out.reached_boundary = false;
    r = p.e.grad;  // the model's gradient at η
    problem.precondition(p.x, p.e, r, z);
    assign_scaled(delta, z, -1.0);
    double r_z = inner(r, z);
    for (long j = 0; j < max_inner; ++j) {
        problem.hessian(p.x, p.e, delta, Hdelta);
        const double curvature = inner(delta, Hdelta);  // ⟨δ, Hess·δ⟩
        const double alpha = r_z / curvature;
        const double eta_eta = inner(out.eta, out.eta), eta_delta = inner(out.eta, delta), delta_delta = inner(delta, delta);
        if (curvature <= 0.0 || eta_eta + 2.0 * alpha * eta_delta + alpha * alpha * delta_delta >= radius * radius) {
            // Negative curvature, or the step would leave the region: go along δ to the boundary.
            const double tau = to_boundary(out.eta, delta, radius);
            add_scaled(out.eta, delta, tau);
            add_scaled(out.Heta, Hdelta, tau);
            out.reached_boundary = true;
            return;
        }
        add_scaled(out.eta, delta, alpha);
        add_scaled(out.Heta, Hdelta, alpha);
        add_scaled(r, Hdelta, alpha);
        if (norm(r) <= target) return;
        problem.precondition(p.x, p.e, r, z);
        const double next_r_z = inner(r, z);
        const double beta = next_r_z / r_z;
        r_z = next_r_z;
        delta *= beta;
        add_scaled(delta, z, -1.0);  // δ = -z + β·δ
    }
}

// Absil, Baker and Gallivan, "Trust-region methods on Riemannian manifolds" (2007): Manopt's default solver.
class TrustRegion final : public RiemannianSvd {
public:
    TrustRegion(const Matrix& M, const TrustRegionOptions& o)
        : RiemannianSvd(M, o.tolerance, o.seed, o.rank),  // guess
          // A step may cross the whole manifold (‖x‖_F = sqrt(2k)); the radius shrinks only when the model fails.
          max_radius_(std::sqrt(2.0 * static_cast<double>(problem_.k()))), radius_(max_radius_) {
        problem_.use_exact_hessian(o.hessian == HessianProducts::exact);
    }

    // Allocates nothing after the first iteration: the step, the inner vectors and the candidate point keep their
    // storage, and an accepted candidate trades places with the current point.
    std::optional<Stop> step() override {  // improve
        ModelStep& step = step_;
        truncated_cg(problem_, p_, radius_, tolerance_ / std::sqrt(2.0), inner_, step);
        Point& candidate = candidate_;
        retract_into(p_.x.U, step.eta.U, candidate.x.U);
        retract_into(p_.x.V, step.eta.V, candidate.x.V);
        problem_.evaluate(candidate.x, candidate.e);
        // ρ = actual decrease / the model's predicted decrease. Near the answer both are differences of costs
        // of order 1 that agree to the last digits; a few hundred ulps added to each keep ρ near 1 there
        // rather than rounding noise (Manopt does the same).
        const double predicted = -(inner(p_.e.grad, step.eta) + 0.5 * inner(step.eta, step.Heta));
        const double rho = (p_.e.cost - candidate.e.cost + ulps(p_.e.cost)) / (predicted + ulps(p_.e.cost));
        if (!(rho >= 0.25) || !(predicted >= 0.0))
            radius_ /= 4.0;  // the model was poor: trust it over a smaller region
        else if (rho > 0.75 && step.reached_boundary)
            radius_ = std::min(2.0 * radius_, max_radius_);  // good, and the region was what limited the step
        if (radius_ < 1e-14 * max_radius_)
            return Stop{Status::stalled, "the trust region shrank to nothing; gradient norm " + brief(p_.e.grad_norm)};
        if (predicted >= 0.0 && rho > 0.1) std::swap(p_, candidate);
        return std::nullopt;
    }

private:
    const double max_radius_;
    double radius_;
    ModelStep step_;
    InnerVectors inner_;
    Point candidate_;
};

}  // namespace

std::unique_ptr<SvdSolver> trust_region(const Matrix& M, const TrustRegionOptions& options) {
    return std::make_unique<TrustRegion>(M, options);
}

}  // namespace tapegrad
