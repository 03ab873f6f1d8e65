// Inverse and SVD by descent: the tutorial's results, every status, every optimiser, and bad input.
#include <doctest/doctest.h>

#include <cmath>

#include "helpers.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

TEST_CASE("inverse by descent: the tutorial's two matrices, all three variants, converged to rounding") {
    for (const NamedMatrix& t : tutorial_inverse_matrices())
        for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
            CAPTURE(t.name);
            CAPTURE(to_string(v));
            const InverseResult r = inverse_by_descent(t.M, InverseDescentOptions{.variant = v});
            // Every one of the 10,000 steps taken, and the answer then passed the check against M.
            CHECK(r.report.status == Status::converged);
            CHECK(r.report.iterations == 10000);
            CHECK(r.report.losses.size() == 10001);
            CHECK(r.residual <= r.allowed);
            const InverseComparison c = compare_inverse(t.M, r.inverse, lapack_inverse(t.M), v);
            CHECK(c.residual < 1e-13);
            CHECK(c.relative_error < 1e-13);
        }
}

TEST_CASE("SVD by descent: the tutorial's M1 matches LAPACK's singular values to 1e-6") {
    const Matrix M = tutorial_matrix("svd_M1_5x4.csv");
    const SvdResult r = svd_by_descent(M);
    CHECK(r.report.iterations == 20000);
    CHECK(r.report.status == Status::converged);
    const SvdComparison c = compare_svd(M, r.U, r.singular_values, r.V, lapack_svd(M));
    CHECK(c.max_singular_value_error < 1e-6);
    CHECK(c.reconstruction_error < 1e-6);
    CHECK(c.orthogonality_error_U < 1e-6);
    CHECK(c.orthogonality_error_V < 1e-6);
    CHECK(c.max_vector_error_U < 1e-6);  // the values are distinct, so vectors compare too
    CHECK(c.max_vector_error_V < 1e-6);
}

TEST_CASE("SVD by descent: the other tutorial matrices, and a wide one") {
    for (const std::string name : {"svd_M2_4x4.csv", "svd_M4_4x3.csv", "svd_M5_4x3.csv"}) {
        CAPTURE(name);
        const Matrix M = tutorial_matrix(name);
        const SvdResult r = svd_by_descent(M);
        CHECK(compare_svd(M, r.U, r.singular_values, r.V, lapack_svd(M)).max_singular_value_error < 1e-6);
    }
    // M3's σ3 = 0.612 and σ4 = 0.554 are close: the tutorial's method is still 7e-4 away after 20,000 steps
    // (the "slow tail" issue 5 describes). Held here so a change in that behaviour is noticed.
    // Its answer fails the check, so its status says so: it stopped without converging.
    const Matrix M3 = tutorial_matrix("svd_M3_7x4.csv");
    const SvdResult r3 = svd_by_descent(M3);
    const double e3 = compare_svd(M3, r3.U, r3.singular_values, r3.V, lapack_svd(M3)).max_singular_value_error;
    CHECK(e3 > 1e-4);
    CHECK(e3 < 1e-3);
    CHECK(r3.report.status == Status::max_iterations);
    CHECK(r3.reconstruction_error > r3.allowed);
    const Matrix wide = tutorial_matrix("svd_M4_4x3.csv").transpose();  // 3x4
    const SvdResult r = svd_by_descent(wide);
    CHECK(r.U.shape() == Shape{3, 3});
    CHECK(r.V.shape() == Shape{4, 3});
    CHECK(compare_svd(wide, r.U, r.singular_values, r.V, lapack_svd(wide)).max_singular_value_error < 1e-6);
}

TEST_CASE("the momentum optimiser and sgd with momentum give identical iterates") {
    const Matrix M = tutorial_matrix("svd_M1_5x4.csv");
    const SvdResult ra = svd_by_descent(M, PenaltyOptions{.max_iterations = 3000}),
                    rb = svd_by_descent(M, PenaltyOptions{.optimizer = OptimizerKind::sgd, .max_iterations = 3000});
    CHECK(ra.report.losses == rb.report.losses);
    CHECK(ra.U == rb.U);
    CHECK(ra.V == rb.V);
    CHECK(ra.singular_values == rb.singular_values);
    const Matrix N = tutorial_matrix("inverse_M1_4x4.csv");
    CHECK(inverse_by_descent(N).inverse == inverse_by_descent(N, InverseDescentOptions{.optimizer = OptimizerKind::sgd}).inverse);
}

TEST_CASE("nesterov and adam reach the inverse too") {
    const Matrix M = tutorial_matrix("inverse_M1_4x4.csv");
    for (const OptimizerKind k : {OptimizerKind::nesterov, OptimizerKind::adam}) {
        CAPTURE(to_string(k));
        InverseDescentOptions o{.optimizer = k, .max_iterations = 20000};
        if (k == OptimizerKind::nesterov) o.lr = 0.5;
        const InverseResult r = inverse_by_descent(M, o);
        CHECK(r.report.status == Status::converged);
        CHECK(compare_inverse(M, r.inverse, lapack_inverse(M)).residual < 1e-12);
    }
}

TEST_CASE("status converged: stops once the loss proves the tolerance, without a step after it") {
    const Matrix M = tutorial_matrix("inverse_M1_4x4.csv");
    const InverseResult r = inverse_by_descent(M, InverseDescentOptions{.tolerance = 1e-8});
    CHECK(r.report.status == Status::converged);
    CHECK(r.report.iterations < 10000);
    // ‖X·M − I‖_F = 4·√loss: the last loss proves it within 1e-8, the one before did not.
    CHECK(4.0 * std::sqrt(r.report.final_loss) <= 1e-8);
    CHECK(4.0 * std::sqrt(r.report.losses[r.report.losses.size() - 2]) > 1e-8);
    CHECK(r.report.losses.back() == r.report.final_loss);
    CHECK(r.residual <= 1e-8);
    CHECK(r.report.message.find("proves") != std::string::npos);
    // The SVD's: the loss proves the reconstruction and orthogonality errors within the tolerance.
    const SvdResult s = svd_by_descent(tutorial_matrix("svd_M1_5x4.csv"), PenaltyOptions{.tolerance = 1e-6});
    CHECK(s.report.status == Status::converged);
    CHECK(s.report.iterations < 20000);
    CHECK(s.reconstruction_error <= 1e-6);
    CHECK(s.orthogonality_error <= 1e-6);
}

TEST_CASE("status diverged: a learning rate far too large stops at once and says when") {
    const SvdResult r = svd_by_descent(tutorial_matrix("svd_M1_5x4.csv"), PenaltyOptions{.lr = 50.0});
    CHECK(r.report.status == Status::diverged);
    CHECK(r.report.iterations < 100);
    CHECK(r.report.message.find("at iteration " + std::to_string(r.report.iterations)) != std::string::npos);
}

TEST_CASE("a singular matrix is never reported converged: the tutorial's method calls it singular") {
    for (const double tolerance : {0.0, 1e-10}) {  // every step, or stop when the loss stops falling
        const InverseResult r = inverse_by_descent(Matrix{{0.1, 0.2}, {0.2, 0.4}}, InverseDescentOptions{.tolerance = tolerance});
        CHECK(r.report.status == Status::singular);
        CHECK(r.report.final_loss > 0.01);  // (n - rank)/n² = 1/4 is the floor of mse(X·M, I)
        CHECK(r.report.message.find("no inverse") != std::string::npos);
    }
}

TEST_CASE("bad input and bad options are errors that say what is wrong") {
    CHECK(error_message([] { return inverse_by_descent(Matrix(4, 3)); }) == "inverse_by_descent: needs a square matrix, got 4x3");
    CHECK(error_message([] { return inverse_by_descent(Matrix{{1, NAN}, {0, 1}}); }) ==
          "inverse_by_descent: entry (0, 1) is nan; every entry must be finite");
    CHECK(error_message([] { return svd_by_descent(Matrix{{INFINITY}}); }) ==
          "svd_by_descent: entry (0, 0) is inf; every entry must be finite");
    CHECK(error_message([] { return svd_by_descent(Matrix()); }) == "svd_by_descent: the matrix is empty (0x0)");
    const Matrix M = Matrix::identity(2);
    CHECK(error_message([&] { return inverse_by_descent(M, InverseDescentOptions{.lr = -1.0}); }) ==
          "make_optimizer(momentum): lr must be finite and > 0, got -1");
    CHECK(error_message([&] { return inverse_by_descent(M, InverseDescentOptions{.max_iterations = -5}); }) ==
          "descent: max_iterations must be >= 0, got -5");
    CHECK(error_message([&] { return inverse_by_descent(M, InverseDescentOptions{.momentum = 1.0}); }) ==
          "make_optimizer(momentum): momentum must be in [0, 1), got 1");
    CHECK(error_message([&] { return svd_by_descent(M, PenaltyOptions{.optimizer = OptimizerKind::adam, .momentum = 0.5}); }) ==
          "make_optimizer(adam): adam takes no momentum (its betas are 0.9 and 0.999)");
    CHECK(error_message([&] { return svd_by_descent(M, PenaltyOptions{.tolerance = NAN}); }) ==
          "penalty: tolerance must be finite and >= 0, got nan");
    CHECK(error_message([&] { return svd_by_descent(M, TrustRegionOptions{.tolerance = -1}); }) ==
          "trust-region: tolerance must be finite and >= 0, got -1");
    CHECK(inverse_method_named("conjugate_gradient") == InverseMethod::conjugate_gradient);
    CHECK(!inverse_method_named("cg"));
    CHECK(svd_method_named("stiefel-cg") == SvdMethod::stiefel_cg);
    CHECK(!svd_method_named("stiefel_cg"));
}

TEST_CASE("sort_and_fix_signs: descending values, columns follow, largest entry of each u positive") {
    Matrix U{{0.1, -0.9}, {0.2, 0.3}}, V{{1, 2}, {3, 4}};
    std::vector<double> s{1.0, 5.0};
    sort_and_fix_signs(U, s, V);
    CHECK(s == std::vector<double>{5.0, 1.0});
    CHECK(U == Matrix{{0.9, 0.1}, {-0.3, 0.2}});  // old column 1, flipped; old column 0 as it was
    CHECK(V == Matrix{{-2, 1}, {-4, 3}});
}

TEST_CASE("progress is reported every interval, and max_iterations 0 logs the guess's loss") {
    std::vector<long> seen;
    const Progress progress{.show = [&](long iteration, double) { seen.push_back(iteration); }, .every = 1000};
    inverse_by_descent(Matrix::identity(3), InverseDescentOptions{.max_iterations = 2500}, progress);
    CHECK(seen == std::vector<long>{1000, 2000});
    const Matrix M = tutorial_matrix("inverse_M1_4x4.csv");
    const InverseResult r = inverse_by_descent(M, InverseDescentOptions{.max_iterations = 0});
    CHECK(r.report.iterations == 0);
    REQUIRE(r.report.losses.size() == 1);
    // The guess, untouched: Matrix::random(4, 4, 314), and its loss.
    CHECK(r.inverse == Matrix::random(4, 4, 314));
    Tape tape;
    CHECK(r.report.losses[0] == mse(matmul(tape.constant(r.inverse), tape.constant(M)), Matrix::identity(4)).item());
    CHECK(r.report.status == Status::max_iterations);
    const SvdResult s = svd_by_descent(tutorial_matrix("svd_M1_5x4.csv"), TrustRegionOptions{.max_iterations = 0});
    CHECK(s.report.losses.size() == 1);
    CHECK(s.report.losses[0] > 1e-3);  // the guess is no SVD
    CHECK(s.report.status == Status::max_iterations);
    CHECK(error_message([] {
              return inverse_by_descent(Matrix::identity(2), InverseDescentOptions{}, Progress{.show = [](long, double) {}, .every = 0});
          }) == "iterate: the progress interval must be > 0, got 0");
}
