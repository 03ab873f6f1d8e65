#pragma once
// What the three Riemannian SVD methods share (docs/svd.md): Brockett's cost on the tape (brockett.hpp), the
// current point on St(m, k) × St(n, k) with its evaluation, the stopping test on the Riemannian gradient, and the
// way back from a point to M's SVD. A method supplies its step: stiefel_descent and stiefel_cg (riemannian.cpp)
// search along a direction; trust_region (trust_region.cpp) minimises a model of the cost within a radius.
#include <cstdint>
#include <optional>

#include "linalg/svd/brockett.hpp"
#include "linalg/svd/methods.hpp"

namespace tapegrad {

struct Point {
    StiefelPair x;
    BrockettProblem::Evaluation e;
};

class RiemannianSvd : public SvdSolver {
public:
    // The loss at the current point: ‖M − U·diag(σ)·Vᵀ‖²_F/‖M‖²_F, the relative squared reconstruction error. The
    // point was evaluated on the tape when the step reached it (a step must evaluate where it lands to decide).
    double evaluate() override { return p_.e.loss; }
    // Converged once √2·‖grad‖ <= tolerance: that bounds the relative reconstruction error (docs/svd.md).
    // Truncated, the tolerance is relative to σ₁ (the estimate at this point), as the triplets' check is.
    std::optional<Stop> judge(const History& history) override;
    long tape_passes() const override { return problem_.tape_passes(); }
    SvdFactors answer() const override { return problem_.result(p_.x); }

protected:
    RiemannianSvd(const Matrix& M, double tolerance, std::uint64_t seed, long rank);  // the guess, evaluated

    BrockettProblem problem_;
    Point p_;
    const double tolerance_;
};

// A few hundred ulps of a cost: differences of costs smaller than this are rounding noise.
double ulps(double cost);

}  // namespace tapegrad
