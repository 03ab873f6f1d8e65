// Newton–Schulz: X ← (2I − X·M)·X (X·(2I − M·X) for variant left), for comparison. It is Newton's method for the
// equation X⁻¹ = M, and it is matrix products, not gradients: no tape. Its loss is the others' mse(X·M, I) (M·X
// for variant left), from the same product the step then uses, so a step costs two products.
//
// Each step squares the residual: I − X_new·M = I − (2I − X·M)·X·M = (I − X·M)², and the same holds for I − M·X.
// From X₀ = Mᵀ/(‖M‖₁‖M‖∞) the eigenvalues of X₀·M are σᵢ²/(‖M‖₁‖M‖∞), in (0, 1] because σ₁² ≤ ‖M‖₁‖M‖∞, so the
// residual's eigenvalues 1 − σᵢ²/(‖M‖₁‖M‖∞) lie in [0, 1) and squaring drives them all to 0. The smallest σ is the
// slowest: its residual 1 − δ, δ = σₙ²/(‖M‖₁‖M‖∞) ≥ 1/(n·κ²), needs about log₂(1/δ) ≤ log₂(n·κ²) squarings to fall
// to 1/2, then six more to fall below ε.
#include <utility>

#include "autodiff/gemm.hpp"
#include "autodiff/squared_distance.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/inverse/residual_judge.hpp"
#include "linalg/norms.hpp"

namespace tapegrad {

namespace {

// Near I (‖I − X·M‖_F < 1/2) every eigenvalue of the residual is below 1/2, and six more squarings take it below
// 2⁻⁶⁴ < ε. The loss cannot always show that: for large κ, rounding in X·M hides the last, smallest components, so
// wait six steps after the loss stops falling. Far from I, the loss can look flat for up to about 70 steps when κ
// is near 1/ε (the slowest residual 1 − 2ᵏσₙ²/(‖M‖₁‖M‖∞) moves by less than 1e-12 until 2ᵏ is large); a pause of
// 80 steps there means the loss has hit a positive floor: M is singular.
constexpr Patience newton_patience{.near = 6, .far = 80, .pause_near_is_convergence = true};

void add_to_diagonal(Matrix& A, double c) {
    for (std::size_t i = 0; i < A.rows(); ++i) A(i, i) += c;
}

// mse(P, I) = Σ (P − I)²_ij / n², summed as the tape's mse sums it (squared_distance), so the loss curves are the
// same numbers. D is room for P − I, kept between calls: no allocation per step.
double mse_to_identity(const Matrix& P, const Matrix& I, Matrix& D) {
    return squared_distance(P, I, D.ref()) / static_cast<double>(P.size());
}

Matrix first_guess(const Matrix& M) {
    const double bound = norm_1(M) * norm_inf(M);  // ≥ σ₁²; 0 only for the zero matrix
    return bound > 0.0 ? M.transpose() / bound : Matrix(M.rows(), M.cols());
}

class NewtonSchulz final : public InverseSolver {
public:
    NewtonSchulz(const Matrix& M, const NewtonSchulzOptions& o)
        : M_(M), variant_(o.variant), X_(first_guess(M)),  // guess
          P_(M.rows(), M.cols()), next_(M.rows(), M.cols()), I_(Matrix::identity(M.rows())), D_(M.rows(), M.cols()), judge_(M, o.variant, o.tolerance, newton_patience) {}

    // mse(P, I) with P the product the variant drives to I (for both, the mean of the two), P kept for the step.
    double evaluate() override {
        if (variant_ == InverseVariant::left) {
            gemm(M_, Trans::No, X_, Trans::No, P_.ref());  // P = M·X
            return mse_to_identity(P_, I_, D_);
        }
        gemm(X_, Trans::No, M_, Trans::No, P_.ref());  // P = X·M
        if (variant_ == InverseVariant::right) return mse_to_identity(P_, I_, D_);
        gemm(M_, Trans::No, X_, Trans::No, next_.ref());  // M·X, into the next X's buffer, free until the step
        return (mse_to_identity(P_, I_, D_) + mse_to_identity(next_, I_, D_)) / 2.0;
    }
    std::optional<Stop> judge(const History& h) override { return judge_(h, X_); }
    std::optional<Stop> step() override {
        // Square the residual the variant is judged by, as computed: (I − X·M)² for X·M, (I − M·X)² for M·X.
        // Either form drives both to 0 in exact arithmetic, but in rounding only the squared one reaches I to
        // rounding; the other stops near κ²·ε (for variant both, X·M is the one squared). evaluate() left the
        // product in P; one more product into a buffer kept from the start, so a step allocates nothing.
        P_ *= -1.0;
        add_to_diagonal(P_, 2.0);  // T = 2I − P
        if (variant_ == InverseVariant::left)
            gemm(X_, Trans::No, P_, Trans::No, next_.ref());  // X·T
        else
            gemm(P_, Trans::No, X_, Trans::No, next_.ref());  // T·X
        std::swap(X_, next_);
        return std::nullopt;
    }
    long tape_passes() const override { return 0; }
    Matrix answer() const override { return X_; }

private:
    const Matrix& M_;
    const InverseVariant variant_;
    Matrix X_;
    Matrix P_, next_;  // the product evaluate() computed (then 2I minus it), and the next X
    const Matrix I_;
    Matrix D_;  // P − I, for the loss
    ResidualJudge judge_;
};

}  // namespace

std::unique_ptr<InverseSolver> newton_schulz(const Matrix& M, const NewtonSchulzOptions& options) {
    return std::make_unique<NewtonSchulz>(M, options);
}

}  // namespace tapegrad
