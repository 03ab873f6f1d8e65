// The SVD by Riemannian optimisation (linalg/svd/brockett.hpp, linalg/svd/riemannian.hpp): the manifold's
// operations, the cost's gradient and Hessian, and the robust method on the fast slice of the test suite, on
// the tutorial's M1 and on the shapes and spectra that break the tutorial's method. Also: the tutorial's
// penalty method is unchanged.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"
#include "bench/test_matrices.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/brockett.hpp"
#include "linalg/svd/stiefel.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

// The tutorial's M1 (io/data/svd_M1_5x4.csv): torch.manual_seed(314); torch.rand(5, 4), in float32.
const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");

SvdResult robust_svd(const Matrix& M) { return svd_by_descent(M, default_svd_options(most_robust_svd_method())); }

// The tutorial's M1's singular values, from LAPACK (io/data/README.md).
const std::vector<double> M1_values{2.33981531, 0.68729212, 0.25920282, 0.11767751};

// The acceptance test of issue 5: every value within 1e-8·σ₁ of LAPACK's, reconstruction within 1e-8,
// orthonormal factors, and the subspaces of clusters of equal values within `max_sine` of LAPACK's.
void check_against_lapack(const Matrix& M, const SvdResult& r, double max_sine = 1e-5) {
    const ReferenceSvd ref = lapack_svd(M);
    const SvdComparison c = compare_svd(M, r.U, r.singular_values, r.V, ref);
    CHECK(c.max_singular_value_error <= 1e-8);
    CHECK(c.reconstruction_error <= 1e-8);
    CHECK(c.orthogonality_error_U <= 1e-12);
    CHECK(c.orthogonality_error_V <= 1e-12);
    const SubspaceComparison s = compare_subspaces(r.U, r.V, ref);
    CHECK(s.max_sine_U <= max_sine);
    CHECK(s.max_sine_V <= max_sine);
}

// A tangent vector at X: a random matrix projected.
Matrix random_tangent(const Matrix& X, std::uint64_t seed) { return project(X, uniform(X.rows(), X.cols(), seed)); }

}  // namespace

TEST_CASE("stiefel: orthonormalize, project and retract keep to the manifold") {
    Random rng(1);
    for (const Shape s : {Shape{1, 1}, Shape{5, 1}, Shape{5, 3}, Shape{4, 4}}) {
        CAPTURE(to_string(s));
        const Matrix X = random_stiefel(s.rows, s.cols, rng);
        CHECK(orthogonality_error(X) <= 1e-14);
        // A tangent vector ξ has Xᵀξ skew-symmetric, and projecting it again changes nothing.
        const Matrix xi = random_tangent(X, 2);
        const Matrix Xt_xi = matmul(X.transpose(), xi);
        CHECK(max_abs_diff(Xt_xi, -1.0 * Xt_xi.transpose()) <= 1e-14);
        CHECK(max_abs_diff(project(X, xi), xi) <= 1e-14);
        // The retraction lands on the manifold, and to first order at X + ξ.
        CHECK(orthogonality_error(retract(X, xi)) <= 1e-14);
        const Matrix small = 1e-5 * xi;
        CHECK(max_abs_diff(retract(X, small), X + small) <= 1e-8);
    }
}

TEST_CASE("stiefel: orthonormalize completes rank-deficient input") {
    const Matrix A{{1, 2, 0}, {1, 2, 0}, {0, 0, 0}, {0, 0, 0}};  // column 2 = 2·column 1; column 3 is zero
    const Matrix Q = orthonormalize(A);
    CHECK(orthogonality_error(Q) <= 1e-14);
    CHECK(std::abs(Q(0, 0) - 1 / std::sqrt(2.0)) <= 1e-15);  // the first column keeps its direction
    CHECK(orthogonality_error(orthonormalize(Matrix(3, 3))) <= 1e-14);
    CHECK(error_message([] { orthonormalize(Matrix(2, 3)); }).find("at least as many rows") != std::string::npos);
}

TEST_CASE("brockett_cost: -tr(UᵀMVN), with the tape's gradient (-MVN, -MᵀUN)") {
    const Matrix M = uniform(5, 3, 3), w{{3, 2, 1}};
    Parameter U(uniform(5, 3, 4)), V(uniform(3, 3, 5));
    Tape tape;
    const Var f = brockett_cost(tape.param(U), tape.param(V), tape.constant(M), tape.constant(w));
    const Matrix N = Matrix::diag(w);
    const Matrix UtMVN = matmul(matmul(matmul(U.value.transpose(), M), V.value), N);
    double trace = 0.0;
    for (std::size_t i = 0; i < 3; ++i) trace += UtMVN(i, i);
    CHECK(f.item() == doctest::Approx(-trace).epsilon(1e-14));
    backward(f);
    CHECK(max_abs_diff(U.grad, -1.0 * matmul(matmul(M, V.value), N)) <= 1e-14);
    CHECK(max_abs_diff(V.grad, -1.0 * matmul(matmul(M.transpose(), U.value), N)) <= 1e-14);
    const GradcheckResult r = gradcheck(
        [&](Tape& t) { return brockett_cost(t.param(U), t.param(V), t.constant(M), t.constant(w)); }, {&U, &V});
    CHECK_MESSAGE(r.passed, r.message);
}

TEST_CASE("BrockettProblem: the Hessian is symmetric, is the gradient's derivative, and the preconditioner inverts it at the answer") {
    const Matrix M = uniform(6, 4, 6);
    BrockettProblem problem(M);  // M is tall, so the problem's A is M/‖M‖_F and the answer is LAPACK's (U, V)
    SUBCASE("symmetric at any point") {
        const StiefelPair x = problem.guess(7);
        const BrockettProblem::Evaluation e = problem.evaluate(x);
        const StiefelPair a{random_tangent(x.U, 8), random_tangent(x.V, 9)}, b{random_tangent(x.U, 10), random_tangent(x.V, 11)};
        CHECK(inner(a, problem.hessian(x, e, b)) == doctest::Approx(inner(problem.hessian(x, e, a), b)).epsilon(1e-12));
    }
    SUBCASE("at the answer") {
        const ReferenceSvd ref = lapack_svd(M);
        const StiefelPair x{ref.U, ref.V};
        const BrockettProblem::Evaluation e = problem.evaluate(x);
        CHECK(e.grad_norm <= 1e-14);
        const StiefelPair a{random_tangent(x.U, 12), random_tangent(x.V, 13)};
        const StiefelPair Ha = problem.hessian(x, e, a);
        // At a critical point the Hessian is the derivative of the gradient along any curve through x with
        // velocity a, e.g. the retraction's: compare with a central difference, moved back to x's tangent space.
        const double h = 1e-5;
        const StiefelPair plus = problem.evaluate(retract(x, h * a)).grad, minus = problem.evaluate(retract(x, -h * a)).grad;
        const StiefelPair difference = (0.5 / h) * (project(x, plus) - project(x, minus));
        CHECK(norm(difference - Ha) <= 1e-6 * norm(Ha));
        // The preconditioner is exact there: it undoes the Hessian.
        CHECK(norm(problem.precondition(x, e, Ha) - a) <= 1e-10 * norm(a));
    }
}

TEST_CASE("svd names: every method round-trips through its name, and the defaults") {
    for (const SvdMethod m : all_svd_methods) {
        CHECK(svd_method_named(to_string(m)) == m);
        CHECK(method_of(default_svd_options(m)) == m);
    }
    CHECK(to_string(SvdMethod::trust_region) == "trust-region");
    CHECK(to_string(SvdMethod::stiefel_descent) == "stiefel");
    CHECK(!svd_method_named("newton"));
    CHECK(most_robust_svd_method() == SvdMethod::trust_region);
    // The tutorial's method stays the default, with the tutorial's settings.
    CHECK(method_of(SvdOptions{}) == SvdMethod::penalty);
    CHECK(PenaltyOptions{}.max_iterations == 20000);
    CHECK(!PenaltyOptions{}.lr.has_value());  // make_optimizer's default: 0.9
    CHECK(TrustRegionOptions{}.tolerance > 0.0);
}

TEST_CASE("trust region: the fast suite, every matrix to LAPACK's accuracy, never diverging") {
    for (const TestMatrix& t : svd_suite(SuiteSize::fast)) {
        CAPTURE(t.name);
        const SvdResult r = robust_svd(t.M);
        CHECK(r.report.status == Status::converged);
        CHECK(r.report.iterations <= 100);
        check_against_lapack(t.M, r);
    }
}

TEST_CASE("trust region: the tutorial's M1 in at most 100 iterations") {
    const SvdResult r = robust_svd(M1);
    CHECK(r.report.status == Status::converged);
    CHECK(r.report.iterations <= 100);
    CHECK(r.report.losses.size() == static_cast<std::size_t>(r.report.iterations) + 1);
    CHECK(r.report.final_loss <= 1e-16);
    check_against_lapack(M1, r, 1e-9);
    for (std::size_t j = 0; j < 4; ++j) CHECK(r.singular_values[j] == doctest::Approx(M1_values[j]).epsilon(1e-8));
}

TEST_CASE("trust region: shapes and special matrices") {
    SUBCASE("1x1") {
        for (const double v : {3.0, -2.5, 0.0}) {
            const SvdResult r = robust_svd(Matrix{{v}});
            CHECK(r.report.status == Status::converged);
            CHECK(r.singular_values[0] == std::abs(v));
            CHECK(r.U(0, 0) * r.singular_values[0] * r.V(0, 0) == v);
        }
    }
    SUBCASE("a row, a column, wide and tall") {
        for (const Matrix& M : {uniform(1, 7, 20), uniform(7, 1, 21), uniform(3, 8, 22), uniform(8, 3, 23)}) {
            CAPTURE(to_string(M.shape()));
            const SvdResult r = robust_svd(M);
            CHECK(r.U.shape() == Shape{M.rows(), std::min(M.rows(), M.cols())});
            CHECK(r.V.shape() == Shape{M.cols(), std::min(M.rows(), M.cols())});
            check_against_lapack(M, r);
        }
    }
    SUBCASE("the zero matrix: every σ is 0, U and V still orthonormal") {
        for (const Matrix& M : {Matrix(4, 3), Matrix(3, 4), Matrix(1, 1)}) {
            const SvdResult r = robust_svd(M);
            CHECK(r.report.status == Status::converged);
            for (const double s : r.singular_values) CHECK(s == 0.0);
            CHECK(orthogonality_error(r.U) <= 1e-14);
            CHECK(orthogonality_error(r.V) <= 1e-14);
        }
    }
    SUBCASE("repeated values: the subspaces match LAPACK's") {
        Random rng(5);
        const Matrix identity = Matrix::identity(6);
        const Matrix clusters = with_singular_values(7, 5, {2.0, 2.0, 2.0, 1.0, 1.0}, rng);
        const Matrix null_space = with_singular_values(5, 5, {3.0, 3.0, 1.0, 0.0, 0.0}, rng);
        for (const Matrix& M : {identity, clusters, null_space}) {
            const SvdResult r = robust_svd(M);
            check_against_lapack(M, r, 1e-9);
        }
    }
    SUBCASE("any magnitude: σ scales with M, the iterations do not change") {
        const Matrix M = uniform(6, 4, 24);
        const SvdResult one = robust_svd(M);
        for (const double scale : {1e-300, 1e-6, 1e6, 1e300}) {
            CAPTURE(scale);
            const SvdResult scaled = robust_svd(scale * M);
            CHECK(scaled.report.iterations == one.report.iterations);
            for (std::size_t j = 0; j < 4; ++j)
                CHECK(scaled.singular_values[j] == doctest::Approx(scale * one.singular_values[j]).epsilon(1e-12));
        }
    }
}

TEST_CASE("trust region: options and reports") {
    SUBCASE("tolerance 0 runs every iteration, then the check says converged") {
        const SvdResult r = svd_by_descent(M1, TrustRegionOptions{.max_iterations = 30, .tolerance = 0.0});
        CHECK(r.report.status == Status::converged);
        CHECK(r.report.iterations == 30);
        CHECK(r.report.message.find("took all 30 steps") != std::string::npos);
        check_against_lapack(M1, r);
    }
    SUBCASE("max_iterations stops early; progress is called") {
        long calls = 0;
        const SvdResult r = svd_by_descent(M1, TrustRegionOptions{.max_iterations = 3},
                                           Progress{.show = [&](long, double) { ++calls; }, .every = 1});
        CHECK(r.report.status == Status::max_iterations);
        CHECK(r.report.iterations == 3);
        CHECK(calls == 3);
    }
    SUBCASE("bad input and options throw") {
        Matrix bad = M1;
        bad(1, 1) = std::nan("");
        CHECK(error_message([&] { svd_by_descent(bad, TrustRegionOptions{}); }).find("finite") != std::string::npos);
        CHECK(error_message([&] { svd_by_descent(Matrix(), TrustRegionOptions{}); }).find("empty") != std::string::npos);
        CHECK(error_message([&] { svd_by_descent(M1, TrustRegionOptions{.max_iterations = -1}); }) ==
              "trust-region: max_iterations must be >= 0, got -1");
    }
}

TEST_CASE("steepest descent and conjugate gradients on the Stiefel manifolds also solve M1") {
    for (const SvdMethod m : {SvdMethod::stiefel_descent, SvdMethod::stiefel_cg}) {
        CAPTURE(to_string(m));
        const SvdResult r = svd_by_descent(M1, default_svd_options(m));
        CHECK(r.report.status == Status::converged);
        check_against_lapack(M1, r);
    }
}

TEST_CASE("penalty: the tutorial's method is unchanged and still finds M1's SVD in 20,000 steps") {
    const SvdResult r = svd_by_descent(M1);  // PenaltyOptions{}: lr 0.9, momentum 0.9, 20,000 steps
    CHECK(r.report.iterations == 20000);
    CHECK(r.report.tape_passes == 20001);  // the guess's loss, then one after each step
    const SvdComparison c = compare_svd(M1, r.U, r.singular_values, r.V, lapack_svd(M1));
    CHECK(c.max_singular_value_error <= 1e-6);
    CHECK(c.reconstruction_error <= 1e-6);
}
