// Conjugate gradients: exact steps (exact_step.hpp) along directions that do not undo each other.
//
// Steepest descent zigzags: each exact step along −G spoils part of what the steps before achieved. Conjugate
// gradients goes along −G made *conjugate* to every earlier direction Pⱼ, ⟨P·M, Pⱼ·M⟩ = 0 (the inner product the
// loss's curvature defines), and then one exact step along each direction is final: the loss is minimised over all
// directions taken so far. Each row of X (variant right; each column, for left) is a problem in n unknowns, so
// after n directions nothing is left: X·M = I. A singular M is found the same way: n directions later the loss
// sits at a positive floor.
//
// Textbook CG makes the new direction conjugate to the last one only (P = −G + β·P_last) and exact arithmetic
// makes it conjugate to the others for free. Rounding breaks that as soon as M is ill-conditioned: in tests, plain
// CG (on all of X at once, or row by row) needed thousands of steps for a 64x64 M with κ = 1e4, and did not
// converge at all with κ = 1e6. So here the
// new direction is made conjugate to every earlier one explicitly, by Gram–Schmidt, twice ("twice is enough").
// That costs keeping the directions (2n² numbers each) and k·n² work at step k.
#include <algorithm>
#include <cmath>
#include <vector>

#include "linalg/inverse/exact_step.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/inverse/residual_judge.hpp"

namespace tapegrad {

namespace {

// Directions kept at most: n of them finish the job. Beyond this many (2·128·n² numbers) CG starts afresh from
// where it is, as if it had just begun, rather than keep more: it still converges, but the n-step promise is gone.
constexpr std::size_t max_directions = 128;

class ConjugateGradient final : public InverseByGradient {
public:
    ConjugateGradient(const Matrix& M, const ConjugateGradientOptions& o)
        : InverseByGradient(M, o.variant, o.seed),  // guess
          cycle_(std::min(M.rows(), max_directions)),
          // Far from I, a pause of a whole cycle means the directions are used up at a positive floor: M is
          // singular. (Near I a pause short of the rounding floor happens only for κ ≳ 1e10, where rounding has
          // spoilt the directions: stalled.)
          judge_(M, o.variant, o.tolerance, {.near = 3, .far = static_cast<long>(cycle_) + 2}) {}

    std::optional<Stop> judge(const History& h) override { return judge_(h, X_.value); }

    std::optional<Stop> step() override {
        if (directions_.size() == cycle_) {  // every row of X has been searched in n directions: start afresh
            directions_.clear();
            images_.clear();
        }
        // Downhill, made conjugate to the earlier directions: P ← P − ⟨P·M, Pⱼ·M⟩·Pⱼ for each j, block by block.
        Matrix P = -X_.grad;
        Matrix Q = image(P, M_, variant_);  // P·M (or M·P), kept up to date alongside P
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t j = 0; j < directions_.size(); ++j) {
                std::vector<double> overlap = block_dots(Q, images_[j], variant_);
                for (double& c : overlap) c = -c;
                add_steps(P, overlap, directions_[j], variant_);
                add_steps(Q, overlap, images_[j], variant_);
            }
        // The exact step along P: its curvature is ‖P·M‖²/n² in each block.
        const std::vector<double> squared_norms = block_dots(Q, Q, variant_);
        std::vector<double> curvature = squared_norms;
        for (double& c : curvature) c /= static_cast<double>(M_.size());
        add_steps(X_.value, exact_steps(X_.grad, P, curvature, variant_), P, variant_);

        // Keep the direction, scaled so that its image has norm 1 in every block (0 where it vanished).
        std::vector<double> unit(squared_norms.size());
        for (std::size_t b = 0; b < unit.size(); ++b) unit[b] = squared_norms[b] > 0.0 ? 1.0 / std::sqrt(squared_norms[b]) : 0.0;
        Matrix unit_P(P.rows(), P.cols()), unit_Q(Q.rows(), Q.cols());
        add_steps(unit_P, unit, P, variant_);
        add_steps(unit_Q, unit, Q, variant_);
        directions_.push_back(std::move(unit_P));
        images_.push_back(std::move(unit_Q));
        return std::nullopt;
    }

private:
    const std::size_t cycle_;
    ResidualJudge judge_;
    std::vector<Matrix> directions_, images_;  // earlier directions Pⱼ and their images Pⱼ·M, scaled to ‖Pⱼ·M‖ = 1
};

}  // namespace

std::unique_ptr<InverseSolver> conjugate_gradient(const Matrix& M, const ConjugateGradientOptions& options) {
    if (options.variant == InverseVariant::both)
        throw std::invalid_argument("conjugate_gradient: variant both couples the rows and the columns of X, so the "
                                    "n-step guarantee is lost; choose right (X·M) or left (M·X)");
    return std::make_unique<ConjugateGradient>(M, options);
}

}  // namespace tapegrad
