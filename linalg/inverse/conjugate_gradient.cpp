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
// That costs keeping the directions (2n² numbers each, in one buffer reserved up front) and k·n² work at step k.
#include <algorithm>
#include <cmath>
#include <vector>

#include "autodiff/gemm.hpp"
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
          judge_(M, o.variant, o.tolerance, {.near = 3, .far = static_cast<long>(cycle_) + 2}),
          P_(M.rows(), M.cols()), Q_(M.rows(), M.cols()) {
        // Room for a whole cycle of directions, reserved once: memory the system hands out as it is written, and
        // no allocation in any later step.
        directions_.reserve(cycle_ * M.size());
        images_.reserve(cycle_ * M.size());
    }

    std::optional<Stop> judge(const History& h) override { return judge_(h, X_.value); }

    std::optional<Stop> step() override {
        if (count_ == cycle_) {  // every row of X has been searched in n directions: start afresh
            directions_.clear();
            images_.clear();
            count_ = 0;
        }
        // Downhill, made conjugate to the earlier directions: P ← P − ⟨P·M, Pⱼ·M⟩·Pⱼ for each j, block by block.
        P_ = X_.grad;
        P_ *= -1.0;
        image_into(P_, Q_);  // P·M (or M·P), kept up to date alongside P
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t j = 0; j < count_; ++j) {
                block_dots(Q_, kept(images_, j), variant_, overlap_);
                for (double& c : overlap_) c = -c;
                add_steps(P_, overlap_, kept(directions_, j), variant_);
                add_steps(Q_, overlap_, kept(images_, j), variant_);
            }
        // The exact step along P: its curvature is ‖P·M‖²/n² in each block.
        block_dots(Q_, Q_, variant_, squared_norms_);
        curvature_ = squared_norms_;
        for (double& c : curvature_) c /= static_cast<double>(M_.size());
        exact_steps(X_.grad, P_, curvature_, variant_, steps_);
        add_steps(X_.value, steps_, P_, variant_);

        // Keep the direction, scaled so that its image has norm 1 in every block (0 where it vanished).
        for (std::size_t b = 0; b < squared_norms_.size(); ++b)
            steps_[b] = squared_norms_[b] > 0.0 ? 1.0 / std::sqrt(squared_norms_[b]) : 0.0;
        add_steps(keep(directions_), steps_, P_, variant_);
        add_steps(keep(images_), steps_, Q_, variant_);
        ++count_;
        return std::nullopt;
    }

private:
    // Direction j of those kept, an n×n view into one buffer; and room for the next one, zeroed.
    ConstMatrixRef kept(const std::vector<double>& buffer, std::size_t j) const {
        return {buffer.data() + j * M_.size(), M_.rows(), M_.cols()};
    }
    MatrixRef keep(std::vector<double>& buffer) {
        buffer.resize(buffer.size() + M_.size(), 0.0);  // within the reserved capacity: no allocation
        return {buffer.data() + count_ * M_.size(), M_.rows(), M_.cols()};
    }
    void image_into(const Matrix& P, Matrix& Q) const {
        if (variant_ == InverseVariant::right)
            gemm(P, Trans::No, M_, Trans::No, Q.ref());
        else
            gemm(M_, Trans::No, P, Trans::No, Q.ref());
    }

    const std::size_t cycle_;
    ResidualJudge judge_;
    // Earlier directions Pⱼ and their images Pⱼ·M, scaled to ‖Pⱼ·M‖ = 1, one after another; count_ of them.
    std::vector<double> directions_, images_;
    std::size_t count_ = 0;
    Matrix P_, Q_;  // the new direction and its image
    std::vector<double> overlap_, squared_norms_, curvature_, steps_;
};

}  // namespace

std::unique_ptr<InverseSolver> conjugate_gradient(const Matrix& M, const ConjugateGradientOptions& options) {
    if (options.variant == InverseVariant::both)
        throw std::invalid_argument("conjugate_gradient: variant both couples the rows and the columns of X, so the "
                                    "n-step guarantee is lost; choose right (X·M) or left (M·X)");
    return std::make_unique<ConjugateGradient>(M, options);
}

}  // namespace tapegrad
