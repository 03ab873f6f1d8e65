// The result contract (linalg/iterate.hpp): `converged` only after an independent check of the answer against the
// input; entries near the largest double neither overflow nor give NaN; invertible but ill-conditioned matrices
// are inverted to LAPACK's accuracy or called ill_conditioned, never singular; the driver's bookkeeping.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "bench/test_matrices.hpp"
#include "helpers.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::error_message;

using tapegrad::testing::contains;

namespace {

constexpr double epsilon = std::numeric_limits<double>::epsilon();

// ‖P − I‖_F for P = X·M.
double residual(const Matrix& M, const Matrix& X) { return frobenius_norm(matmul(X, M) - Matrix::identity(M.rows())); }

// An n×n matrix with singular values 1 .. 1/condition, geometric, and random singular vectors.
Matrix with_condition(std::size_t n, double condition, std::uint64_t seed) {
    Random rng(seed);
    std::vector<double> s(n);
    for (std::size_t j = 0; j < n; ++j) s[j] = std::pow(condition, -static_cast<double>(j) / static_cast<double>(n - 1));
    return with_singular_values(n, n, s, rng);
}

Matrix hilbert(std::size_t n) {
    Matrix H(n, n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) H(i, j) = 1.0 / static_cast<double>(i + j + 1);
    return H;
}

// A small mock method for the driver: its loss is a list, its judge and step say what they are told.
class Scripted final : public Method {
public:
    explicit Scripted(std::vector<double> losses) : losses_(std::move(losses)) {}
    double evaluate() override { return losses_[std::min(at_, losses_.size() - 1)]; }
    std::optional<Stop> judge(const History& h) override {
        return h.last() == 0.5 ? std::optional<Stop>(Stop{Status::converged, "a half"}) : std::nullopt;
    }
    std::optional<Stop> step() override {
        ++at_;
        return std::nullopt;
    }
    long tape_passes() const override { return 7; }

private:
    std::vector<double> losses_;
    std::size_t at_ = 0;
};

}  // namespace

TEST_CASE("iterate: one loss per evaluation, the guess's first; stops on the judge, a NaN, or the step limit") {
    Scripted judged({4.0, 2.0, 1.0, 0.5, 0.25});
    const Report r = iterate(judged, 100);
    CHECK(r.status == Status::converged);
    CHECK(r.iterations == 3);
    CHECK(r.losses == std::vector<double>{4.0, 2.0, 1.0, 0.5});
    CHECK(r.final_loss == 0.5);
    CHECK(r.tape_passes == 7);
    Scripted limited({4.0, 2.0, 1.0, 0.75});
    const Report l = iterate(limited, 2);
    CHECK(l.status == Status::max_iterations);
    CHECK(l.losses == std::vector<double>{4.0, 2.0, 1.0});
    CHECK(l.message == "took all 2 steps; final loss 1");
    Scripted nan({4.0, NAN});
    const Report n = iterate(nan, 10);
    CHECK(n.status == Status::diverged);
    CHECK(n.message == "the loss became nan at iteration 1");
    Scripted none({4.0});
    CHECK(iterate(none, 0).losses == std::vector<double>{4.0});
}

TEST_CASE("settle: converged only when the check passes, whatever stopped the loop") {
    Report r{.status = Status::max_iterations, .message = "took all 5 steps"};
    settle(r, {.finite = true, .passed = true, .what = "error 1e-16 <= 1e-13"});
    CHECK(r.status == Status::converged);
    CHECK(r.message == "took all 5 steps, and the answer is within the tolerance: error 1e-16 <= 1e-13");
    Report claimed{.status = Status::converged, .message = "the gradient is small"};
    settle(claimed, {.finite = true, .passed = false, .what = "error 1e-3 > 1e-13"});
    CHECK(claimed.status == Status::stalled);
    CHECK(contains(claimed.message, "but the answer is not within the tolerance: error 1e-3"));
    Report infinite{.status = Status::converged, .message = "the gradient is small"};
    settle(infinite, {.finite = false});
    CHECK(infinite.status == Status::diverged);
    CHECK(contains(infinite.message, "NaN or Inf"));
}

TEST_CASE("the SVD of entries near the largest double: no overflow, no NaN, LAPACK's values (issue 8's h.csv)") {
    const Matrix h{{1e308, 1e308}, {1e308, -1e308}};  // σ = √2·1e308, twice
    for (const SvdMethod m : {SvdMethod::stiefel_descent, SvdMethod::stiefel_cg, SvdMethod::trust_region}) {
        CAPTURE(to_string(m));
        const SvdResult r = svd_by_descent(h, default_svd_options(m));
        CHECK(r.report.status == Status::converged);
        for (const double s : r.singular_values) CHECK(s == doctest::Approx(std::sqrt(2.0) * 1e308).epsilon(1e-15));
        CHECK(r.reconstruction_error <= 1e-15);
        CHECK(compare_svd(h, r.U, r.singular_values, r.V, lapack_svd(h)).max_singular_value_error <= 1e-15);
    }
    // A 4x4 whose entries reach 4e307: σ₁ is below the largest double, and every method gets LAPACK's values.
    const Matrix big = 4e307 * testing::uniform(4, 4, 5);
    const ReferenceSvd ref = lapack_svd(big);
    for (const SvdMethod m : {SvdMethod::stiefel_descent, SvdMethod::stiefel_cg, SvdMethod::trust_region}) {
        CAPTURE(to_string(m));
        const SvdResult r = svd_by_descent(big, default_svd_options(m));
        CHECK(r.report.status == Status::converged);
        const SvdComparison c = compare_svd(big, r.U, r.singular_values, r.V, ref);
        CHECK(c.max_singular_value_error <= 1e-10);
        CHECK(c.reconstruction_error <= 1e-10);  // computed scaled: no NaN
    }
    // Where σ₁ itself is beyond the largest double, no answer is representable: said so, not "converged".
    const Matrix beyond = 1e308 * Matrix::ones(4, 4);  // σ₁ = 4e308
    for (const SvdMethod m : {SvdMethod::stiefel_descent, SvdMethod::stiefel_cg, SvdMethod::trust_region})
        CHECK(contains(error_message([&] { return svd_by_descent(beyond, default_svd_options(m)); }), "beyond the largest double"));
    // The tutorial's method works on M as given: its loss overflows, and it says so.
    CHECK(svd_by_descent(h).report.status == Status::diverged);
    // reconstruction_error is scaled too: entries near 1e300 give 0, not NaN.
    const Matrix M = 1e300 * Matrix::identity(3);
    CHECK(reconstruction_error(M, Matrix::identity(3), {1e300, 1e300, 1e300}, Matrix::identity(3)) == 0.0);
}

TEST_CASE("LAPACK's own inverse is within the floor the check allows, so the check asks no more than LAPACK gives") {
    for (const TestMatrix& t : inverse_suite(SuiteSize::fast)) {
        CAPTURE(t.name);
        const Matrix X = lapack_inverse(t.M);
        const double n = static_cast<double>(t.M.rows());
        CHECK(residual(t.M, X) <= std::sqrt(n) * epsilon * frobenius_norm(t.M) * frobenius_norm(X));
    }
}

TEST_CASE("ill-conditioned but invertible: LAPACK's accuracy, or ill_conditioned with the residual; never singular") {
    const std::pair<std::string, Matrix> cases[] = {{"cond 1e12 8x8", with_condition(8, 1e12, 7)}, {"Hilbert 8", hilbert(8)}};
    for (const auto& [name, M] : cases) {
        const double lapack_residual = residual(M, lapack_inverse(M));
        for (const InverseMethod method : {InverseMethod::conjugate_gradient, InverseMethod::newton_schulz}) {
            CAPTURE(name);
            CAPTURE(to_string(method));
            const InverseResult r = inverse_by_descent(M, default_inverse_options(method));
            CHECK(r.report.status != Status::singular);
            // Newton–Schulz squares the very residual it is judged by (docs/inverse.md), and reaches LAPACK's.
            if (method == InverseMethod::newton_schulz) CHECK(r.report.status == Status::converged);
            if (r.report.status == Status::converged) {
                CHECK(residual(M, r.inverse) <= 10.0 * lapack_residual);
            } else {
                CHECK(r.report.status == Status::ill_conditioned);
                CHECK(contains(r.report.message, "LAPACK's condition number is"));
                CHECK(contains(r.report.message, "‖X·M − I‖_F = "));  // the residual it reached
                CHECK(r.residual > r.allowed);
            }
        }
    }
}

TEST_CASE("an ill-conditioned matrix never passes as converged beyond LAPACK's residual") {
    // κ = 1e6. Newton–Schulz squares the residual it computes, and that one reaches LAPACK's (κε): X·M for variant
    // right, M·X for left. Variant both is judged by both products, and the one not squared stays far above κε: the
    // check says so (stalled), where the method alone said "converged".
    const Matrix M = with_condition(10, 1e6, 3);
    const double lapack = residual(M, lapack_inverse(M));
    const InverseResult right = inverse_by_descent(M, NewtonSchulzOptions{});
    CHECK(right.report.status == Status::converged);
    CHECK(right.residual <= 10.0 * lapack);
    const InverseResult left = inverse_by_descent(M, NewtonSchulzOptions{.variant = InverseVariant::left});
    CHECK(left.report.status == Status::converged);
    CHECK(left.residual <= 10.0 * frobenius_norm(matmul(M, lapack_inverse(M)) - Matrix::identity(10)));
    const InverseResult both = inverse_by_descent(M, NewtonSchulzOptions{.variant = InverseVariant::both});
    CHECK(both.report.status == Status::stalled);
    CHECK(contains(both.report.message, "but the answer is not within the tolerance"));
    CHECK(both.residual > 100.0 * lapack);
    // Conjugate gradients reaches LAPACK's residual there too.
    const InverseResult cg = inverse_by_descent(M, ConjugateGradientOptions{});
    CHECK(cg.report.status == Status::converged);
    CHECK(cg.residual <= 10.0 * lapack);
}

TEST_CASE("variant left: the message and the residual are M·X's") {
    const Matrix M = with_condition(5, 10.0, 4);
    const InverseResult r = inverse_by_descent(M, ConjugateGradientOptions{.variant = InverseVariant::left});
    CHECK(r.report.status == Status::converged);
    CHECK(contains(r.report.message, "M·X"));
    CHECK(!contains(r.report.message, "X·M"));
    CHECK(r.residual == doctest::Approx(frobenius_norm(matmul(M, r.inverse) - Matrix::identity(5))).epsilon(1e-12));
    const InverseResult both = inverse_by_descent(M, InverseDescentOptions{.variant = InverseVariant::both});
    CHECK(contains(both.report.message, "X·M and M·X"));
}
