// The inverse methods beyond the tutorial's (linalg/inverse/inverse.hpp): the most robust one inverts the fast test suite
// to LAPACK's accuracy, Newton–Schulz is right, singular matrices are called singular, the norm of M makes no
// difference, and the tutorial's own method is unchanged.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <string>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"
#include "bench/inverse_history.hpp"
#include "bench/test_matrices.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/inverse/exact_step.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/inverse/methods.hpp"
#include "linalg/losses.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"

using namespace tapegrad;
using testing::error_message;

namespace {

constexpr double epsilon = std::numeric_limits<double>::epsilon();

// The tutorial's M1 (torch.manual_seed(314); torch.rand(4, 4); io/data/inverse_M1_4x4.csv), κ = 18.67.
const Matrix M1 = tutorial_matrix("inverse_M1_4x4.csv");

// LAPACK's inverse is itself only accurate to about κ·ε, relative; ours must agree with it to 1e-8 where the
// condition number allows that, and to 20·κ·ε where it does not (κ > 2e6).
double allowed_error(const Matrix& M) { return std::max(1e-8, 20.0 * condition_number(M) * epsilon); }

InverseResult run(const Matrix& M, InverseMethod method, InverseVariant variant = InverseVariant::right) {
    InverseOptions options = default_inverse_options(method);
    std::visit([variant](auto& o) { o.variant = variant; }, options);
    return inverse_by_descent(M, options);
}

// A random n×n matrix with singular values 1, ..., smallest (geometric), so condition number 1/smallest.
Matrix with_condition(std::size_t n, double condition, std::uint64_t seed) {
    Random rng(seed);
    std::vector<double> s(n);
    for (std::size_t j = 0; j < n; ++j) s[j] = std::pow(condition, -static_cast<double>(j) / static_cast<double>(n - 1));
    return with_singular_values(n, n, s, rng);
}

}  // namespace

TEST_CASE("the most robust method inverts the fast suite to LAPACK's accuracy: 100%") {
    CHECK(most_robust_inverse_method() == InverseMethod::conjugate_gradient);
    for (const TestMatrix& t : inverse_suite(SuiteSize::fast)) {
        CAPTURE(t.name);
        const InverseResult r = run(t.M, most_robust_inverse_method());
        CHECK(r.report.status == Status::converged);
        CHECK(r.report.iterations <= static_cast<long>(t.M.rows()));  // n steps
        CHECK(compare_inverse(t.M, r.inverse, lapack_inverse(t.M)).relative_error <= allowed_error(t.M));
    }
}

TEST_CASE("conjugate gradients with variant left solves M·X = I column by column, just as well") {
    for (const TestMatrix& t : inverse_suite(SuiteSize::fast)) {
        CAPTURE(t.name);
        const InverseResult r = run(t.M, InverseMethod::conjugate_gradient, InverseVariant::left);
        CHECK(r.report.status == Status::converged);
        CHECK(compare_inverse(t.M, r.inverse, lapack_inverse(t.M)).relative_error <= allowed_error(t.M));
    }
    CHECK(error_message([] { return run(M1, InverseMethod::conjugate_gradient, InverseVariant::both); }) ==
          "conjugate_gradient: variant both couples the rows and the columns of X, so the n-step guarantee is lost; "
          "choose right (X·M) or left (M·X)");
}

TEST_CASE("Newton–Schulz: LAPACK's accuracy, forward and residual, on every matrix of the fast suite") {
    for (const TestMatrix& t : inverse_suite(SuiteSize::fast)) {
        CAPTURE(t.name);
        const InverseResult r = run(t.M, InverseMethod::newton_schulz);
        CHECK(compare_inverse(t.M, r.inverse, lapack_inverse(t.M)).relative_error <= allowed_error(t.M));
        // It squares the residual it is judged by (X·M), so that one reaches LAPACK's, κ·ε, at every κ of the
        // suite: the check against M says converged.
        CHECK(r.report.status == Status::converged);
    }
    // Once the residual is small, I − X·M squares: ‖R_{k+1}‖_F ≤ ‖R_k‖_F² (residual = n·√loss).
    const InverseResult r = inverse_by_descent(M1, NewtonSchulzOptions{.max_iterations = 10});
    const std::vector<double>& L = r.report.losses;
    REQUIRE(L.size() == 11);
    for (std::size_t k = 0; k + 1 < L.size(); ++k) {
        const double now = 4.0 * std::sqrt(L[k]), next = 4.0 * std::sqrt(L[k + 1]);
        CAPTURE(k);
        if (now < 0.5 && next > 1e-13) CHECK(next <= now * now * 1.0000001);
    }
}

TEST_CASE("Newton–Schulz's loss is the tape's mse(X·M, I), bit for bit, in every variant") {
    // It computes its loss from the product its step reuses, summed in the order of the tape's mse: the curves in
    // docs/inverse.md compare with the other methods' exactly.
    const Matrix M = Matrix::random(6, 6, 5);
    for (const InverseVariant variant : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
        CAPTURE(static_cast<int>(variant));
        const std::unique_ptr<InverseSolver> method = newton_schulz(M, NewtonSchulzOptions{.variant = variant});
        for (int k = 0; k < 5; ++k) {
            const double loss = method->evaluate();
            Tape tape;
            const Matrix X = method->answer();
            CHECK(loss == inverse_loss(tape.constant(X), tape.constant(M), Matrix::identity(6), variant).item());
            method->step();
        }
    }
}

TEST_CASE("every method but the tutorial's reaches the tutorial's M1 to LAPACK's accuracy") {
    const Matrix reference = lapack_inverse(M1);
    for (const InverseMethod m : {InverseMethod::scaled_descent, InverseMethod::line_search,
                                  InverseMethod::conjugate_gradient, InverseMethod::newton_schulz})
        for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
            if (m == InverseMethod::conjugate_gradient && v == InverseVariant::both) continue;
            CAPTURE(to_string(m));
            CAPTURE(to_string(v));
            const InverseResult r = run(M1, m, v);
            CHECK(r.report.status == Status::converged);
            const InverseComparison c = compare_inverse(M1, r.inverse, reference);
            CHECK(c.residual < 1e-13);
            CHECK(c.relative_error < 1e-13);
        }
}

TEST_CASE("the tutorial's method is unchanged: the default, 10,000 steps, residual < 1e-6 on M1") {
    CHECK(method_of(InverseOptions{}) == InverseMethod::descent);
    CHECK(InverseDescentOptions{}.max_iterations == 10000);
    CHECK(!InverseDescentOptions{}.lr.has_value());
    const InverseResult r = inverse_by_descent(M1);
    CHECK(r.report.status == Status::converged);
    CHECK(r.report.iterations == 10000);
    const InverseComparison c = compare_inverse(M1, r.inverse, lapack_inverse(M1));
    CHECK(c.residual < 1e-6);
    CHECK(c.relative_error < 1e-6);
    // No scaling: the same guess and the same steps as the tutorial's loop, written out here.
    Parameter X(Matrix::random(4, 4, 314));
    Tape tape;
    for (int step = 0; step < 10000; ++step) {
        tape.clear();
        backward(mse(matmul(tape.param(X), tape.constant(M1)), Matrix::identity(4)));
        X.value.add_scaled(X.grad, -0.9);
        X.grad *= 0.9;
    }
    CHECK(r.inverse == X.value);
}

TEST_CASE("a singular matrix is called singular, never converged, by every method") {
    Random rng(7);
    const std::vector<std::pair<std::string, Matrix>> singular = {
        {"rank 1, 2x2", Matrix{{0.1, 0.2}, {0.2, 0.4}}},
        {"rank 3, 5x5", with_singular_values(5, 5, {1.0, 0.5, 0.3, 0.0, 0.0}, rng)},
        {"zero 3x3", Matrix(3, 3)},
        {"zero 1x1", Matrix{{0.0}}},
    };
    for (const auto& [name, M] : singular)
        for (const InverseMethod m : {InverseMethod::scaled_descent, InverseMethod::line_search,
                                      InverseMethod::conjugate_gradient, InverseMethod::newton_schulz}) {
            CAPTURE(name);
            CAPTURE(to_string(m));
            const InverseResult r = run(M, m);
            CHECK(r.report.status == Status::singular);
            CHECK(r.report.message.find("singular") != std::string::npos);
        }
}

TEST_CASE("a numerically singular matrix (condition number 1e17 > 1/ε) is called singular too") {
    for (const std::size_t n : {2, 4, 12, 30}) {
        const Matrix M = with_condition(n, 1e17, 40 + n);
        for (const InverseMethod m : {InverseMethod::conjugate_gradient, InverseMethod::newton_schulz}) {
            CAPTURE(n);
            CAPTURE(to_string(m));
            const InverseResult r = run(M, m);
            CHECK(r.report.status == Status::singular);
            CHECK(r.report.message.find("singular") != std::string::npos);
        }
    }
    // With one tiny singular value among ones, too.
    Random rng(9);
    const InverseResult r = run(with_singular_values(6, 6, {1, 1, 1, 1, 1, 1e-17}, rng), most_robust_inverse_method());
    CHECK(r.report.status == Status::singular);
}

TEST_CASE("1x1 matrices, and the norm of M makes no difference") {
    for (const double m : {5.0, -3e-7, 1e-300, 2e300}) {
        CAPTURE(m);
        for (const InverseMethod method : {InverseMethod::conjugate_gradient, InverseMethod::newton_schulz}) {
            const InverseResult r = run(Matrix{{m}}, method);
            CHECK(r.report.status == Status::converged);
            CHECK(r.inverse(0, 0) == doctest::Approx(1.0 / m).epsilon(1e-15));
        }
    }
    // M is scaled by a power of two before the descent and the answer after it, which changes no digit: the
    // inverse of 2^k·M is exactly the inverse of M divided by 2^k.
    const Matrix M = with_condition(7, 1e3, 5);
    for (const InverseMethod method : {InverseMethod::scaled_descent, InverseMethod::line_search,
                                       InverseMethod::conjugate_gradient, InverseMethod::newton_schulz}) {
        CAPTURE(to_string(method));
        const InverseResult base = run(M, method);
        for (const int k : {-20, -7, 9, 20}) {  // about 1e-6 .. 1e6
            const InverseResult scaled = run(std::ldexp(1.0, k) * M, method);
            CHECK(scaled.inverse == base.inverse * std::ldexp(1.0, -k));
            CHECK(scaled.report.losses == base.report.losses);
        }
    }
    // Norms 1e-6 and 1e6 (not powers of two) are inverted to LAPACK's accuracy.
    for (const double norm : {1e-6, 1e6}) {
        const Matrix N = norm * with_condition(9, 1e4, 6);
        CAPTURE(norm);
        const InverseResult r = run(N, most_robust_inverse_method());
        CHECK(r.report.status == Status::converged);
        CHECK(compare_inverse(N, r.inverse, lapack_inverse(N)).relative_error <= 1e-8);
    }
    // The tutorial's step does not scale: it diverges on 1000·M1.
    CHECK(inverse_by_descent(1000.0 * M1).report.status == Status::diverged);
}

TEST_CASE("the exact step minimises the loss along the direction, block by block") {
    const Matrix M = testing::uniform(5, 5, 11), P = testing::uniform(5, 5, 12);
    Parameter X(testing::uniform(5, 5, 13));
    const Matrix I = Matrix::identity(5);
    for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
        CAPTURE(to_string(v));
        Tape tape;
        X.zero_grad();
        backward(inverse_loss(tape.param(X), tape.constant(M), I, v));
        const std::vector<double> steps = exact_steps(X.grad, P, curvatures(P, M, v), v);
        CHECK(steps.size() == (v == InverseVariant::both ? 1u : 5u));
        const auto loss_at = [&](double factor) {
            Matrix Y = X.value;
            std::vector<double> scaled = steps;
            for (double& s : scaled) s *= factor;
            add_steps(Y, scaled, P, v);
            Tape t;
            return inverse_loss(t.constant(Y), t.constant(M), I, v).item();
        };
        const double at_step = loss_at(1.0);
        CHECK(at_step < loss_at(0.0));
        CHECK(at_step < loss_at(0.99));
        CHECK(at_step < loss_at(1.01));
    }
}

TEST_CASE("names, options and progress") {
    for (const InverseMethod m : all_inverse_methods) {
        CHECK(inverse_method_named(to_string(m)) == m);
        CHECK(method_of(default_inverse_options(m)) == m);
    }
    CHECK(to_string(Status::singular) == "singular");
    CHECK(to_string(Status::ill_conditioned) == "ill_conditioned");

    std::vector<long> seen;
    const Progress progress{.show = [&](long iteration, double) { seen.push_back(iteration); }, .every = 10};
    const InverseResult r = inverse_by_descent(with_condition(6, 1e4, 3), LineSearchOptions{.max_iterations = 25}, progress);
    CHECK(seen == std::vector<long>{10, 20});
    CHECK(r.report.status == Status::max_iterations);
    CHECK(r.report.iterations == 25);
    CHECK(inverse_by_descent(M1, LineSearchOptions{.max_iterations = 0}).report.iterations == 0);
    CHECK(error_message([&] { return inverse_by_descent(M1, LineSearchOptions{.max_iterations = -1}); }) ==
          "line_search: max_iterations must be >= 0, got -1");
    CHECK(error_message([&] { return inverse_by_descent(M1, ScaledDescentOptions{.step_fraction = 0.0}); }) ==
          "scaled_descent: step_fraction must be in (0, 1], got 0");
    CHECK(error_message([&] { return inverse_by_descent(M1, ScaledDescentOptions{.step_fraction = 1.5}); }) ==
          "scaled_descent: step_fraction must be in (0, 1], got 1.5");
    CHECK(error_message([] { return inverse_by_descent(Matrix(2, 3), NewtonSchulzOptions{}); }) ==
          "inverse_by_descent: needs a square matrix, got 2x3");
}

TEST_CASE("a user tolerance stops a method early, but only once X·M is close to I") {
    const InverseResult r = inverse_by_descent(M1, NewtonSchulzOptions{.tolerance = 1e-5});
    CHECK(r.report.status == Status::converged);
    CHECK(4.0 * std::sqrt(r.report.final_loss) <= 1e-5);  // ‖X·M − I‖_F = n·√loss
    CHECK(4.0 * std::sqrt(r.report.losses[r.report.losses.size() - 2]) > 1e-5);
    CHECK(r.residual <= 1e-5);
    CHECK(r.allowed == 1e-5);
    CHECK(r.report.message.find("tolerance") != std::string::npos);
    // A singular M's residual is below 10 from the start, but X·M is nowhere near I.
    CHECK(inverse_by_descent(Matrix{{0.1, 0.2}, {0.2, 0.4}}, NewtonSchulzOptions{.tolerance = 10.0}).report.status ==
          Status::singular);
}

TEST_CASE("the convergence CSV has a row per iteration of each method") {
    std::ostringstream out;
    write_inverse_convergence_csv(out, M1, {InverseMethod::conjugate_gradient, InverseMethod::newton_schulz});
    const std::string csv = out.str();
    CHECK(csv.rfind("method,iteration,loss,residual\n", 0) == 0);
    const long rows = std::count(csv.begin(), csv.end(), '\n') - 1;
    CHECK(rows == run(M1, InverseMethod::conjugate_gradient).report.iterations + 1 +
                      run(M1, InverseMethod::newton_schulz).report.iterations + 1);
    CHECK(csv.find("\nconjugate_gradient,0,") != std::string::npos);
    CHECK(csv.find("\nnewton_schulz,0,") != std::string::npos);
}
