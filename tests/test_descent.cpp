// Inverse and SVD by descent: the tutorial's results, every status, every optimiser, and bad input.
#include <doctest/doctest.h>

#include <cmath>

#include "demos/tutorial_data.hpp"
#include "helpers.hpp"
#include "linalg/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

TEST_CASE("inverse by descent: the tutorial's two matrices, all three variants, residual < 1e-6") {
    for (const std::string name : {"inverse_M1_4x4.csv", "inverse_M2_diag.csv"})
        for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
            CAPTURE(name);
            CAPTURE(to_string(v));
            const Matrix M = tutorial_matrix(name);
            const InverseResult r = inverse_by_descent(M, {.variant = v});
            CHECK(r.report.status == Status::max_iterations);
            CHECK(r.report.iterations == 10000);
            CHECK(r.report.losses.size() == 10000);
            const InverseComparison c = compare_inverse(M, r.inverse, lapack_inverse(M));
            CHECK(c.residual < 1e-6);
            CHECK(c.relative_error < 1e-6);
        }
}

TEST_CASE("SVD by descent: the tutorial's M1 matches LAPACK's singular values to 1e-6") {
    const Matrix M = tutorial_matrix("svd_M1_5x4.csv");
    const SvdResult r = svd_by_descent(M);
    CHECK(r.report.iterations == 20000);
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
    const Matrix M3 = tutorial_matrix("svd_M3_7x4.csv");
    const SvdResult r3 = svd_by_descent(M3);
    const double e3 = compare_svd(M3, r3.U, r3.singular_values, r3.V, lapack_svd(M3)).max_singular_value_error;
    CHECK(e3 > 1e-4);
    CHECK(e3 < 1e-3);
    const Matrix wide = tutorial_matrix("svd_M4_4x3.csv").transpose();  // 3x4
    const SvdResult r = svd_by_descent(wide);
    CHECK(r.U.shape() == Shape{3, 3});
    CHECK(r.V.shape() == Shape{4, 3});
    CHECK(compare_svd(wide, r.U, r.singular_values, r.V, lapack_svd(wide)).max_singular_value_error < 1e-6);
}

TEST_CASE("the momentum optimiser and sgd with momentum give identical iterates") {
    const Matrix M = tutorial_matrix("svd_M1_5x4.csv");
    SvdOptions a, b;
    a.descent.max_iterations = b.descent.max_iterations = 3000;
    b.descent.optimizer = OptimizerKind::sgd;
    const SvdResult ra = svd_by_descent(M, a), rb = svd_by_descent(M, b);
    CHECK(ra.report.losses == rb.report.losses);
    CHECK(ra.U == rb.U);
    CHECK(ra.V == rb.V);
    CHECK(ra.singular_values == rb.singular_values);
    const Matrix N = tutorial_matrix("inverse_M1_4x4.csv");
    InverseOptions c, d;
    d.descent.optimizer = OptimizerKind::sgd;
    CHECK(inverse_by_descent(N, c).inverse == inverse_by_descent(N, d).inverse);
}

TEST_CASE("nesterov and adam reach the inverse too") {
    const Matrix M = tutorial_matrix("inverse_M1_4x4.csv");
    for (const OptimizerKind k : {OptimizerKind::nesterov, OptimizerKind::adam}) {
        CAPTURE(to_string(k));
        InverseOptions o;
        o.descent.optimizer = k;
        o.descent.max_iterations = 20000;
        if (k == OptimizerKind::nesterov) o.descent.lr = 0.5;
        const InverseResult r = inverse_by_descent(M, o);
        CHECK(compare_inverse(M, r.inverse, lapack_inverse(M)).residual < 1e-6);
    }
}

TEST_CASE("status converged: stops at the tolerance, without a step after it") {
    InverseOptions o;
    o.descent.tolerance = 1e-12;
    const InverseResult r = inverse_by_descent(tutorial_matrix("inverse_M1_4x4.csv"), o);
    CHECK(r.report.status == Status::converged);
    CHECK(r.report.iterations < 10000);
    CHECK(r.report.final_loss <= 1e-12);
    CHECK(r.report.losses.back() == r.report.final_loss);
    CHECK(r.report.losses[r.report.losses.size() - 2] > 1e-12);
    CHECK(r.report.message.find("reached") != std::string::npos);
}

TEST_CASE("status diverged: a learning rate far too large stops at once and says when") {
    SvdOptions o;
    o.descent.lr = 50.0;
    const SvdResult r = svd_by_descent(tutorial_matrix("svd_M1_5x4.csv"), o);
    CHECK(r.report.status == Status::diverged);
    CHECK(r.report.iterations < 100);
    CHECK(r.report.message.find("at iteration " + std::to_string(r.report.iterations)) != std::string::npos);
}

TEST_CASE("a singular matrix is never reported converged: it stalls") {
    InverseOptions o;
    o.descent.tolerance = 1e-10;
    const InverseResult r = inverse_by_descent(Matrix{{0.1, 0.2}, {0.2, 0.4}}, o);
    CHECK(r.report.status == Status::stalled);
    CHECK(r.report.final_loss > 0.01);  // (n - rank)/n² = 1/4 is the floor of mse(X·M, I)
}

TEST_CASE("bad input and bad options are errors that say what is wrong") {
    CHECK(error_message([] { return inverse_by_descent(Matrix(4, 3)); }) == "inverse_by_descent: needs a square matrix, got 4x3");
    CHECK(error_message([] { return inverse_by_descent(Matrix{{1, NAN}, {0, 1}}); }) ==
          "inverse_by_descent: entry (0, 1) is nan; every entry must be finite");
    CHECK(error_message([] { return svd_by_descent(Matrix{{INFINITY}}); }) ==
          "svd_by_descent: entry (0, 0) is inf; every entry must be finite");
    CHECK(error_message([] { return svd_by_descent(Matrix()); }) == "svd_by_descent: the matrix is empty (0x0)");
    const Matrix M = Matrix::identity(2);
    CHECK(error_message([&] {
              InverseOptions o;
              o.descent.lr = -1.0;
              return inverse_by_descent(M, o);
          }) == "descent: lr must be > 0, got -1");
    CHECK(error_message([&] {
              InverseOptions o;
              o.descent.max_iterations = -5;
              return inverse_by_descent(M, o);
          }) == "descent: max_iterations must be >= 0, got -5");
    CHECK(error_message([&] {
              InverseOptions o;
              o.descent.momentum = 1.0;
              return inverse_by_descent(M, o);
          }) == "descent: momentum must be in [0, 1), got 1");
    CHECK(error_message([] { return parse_optimizer("sgdd"); }) ==
          "unknown optimizer \"sgdd\" (choose momentum, sgd, nesterov or adam)");
    CHECK(parse_inverse_variant("both") == InverseVariant::both);
    CHECK_THROWS_AS(parse_inverse_variant("middle"), std::invalid_argument);
}

TEST_CASE("sort_and_fix_signs: descending values, columns follow, largest entry of each u positive") {
    Matrix U{{0.1, -0.9}, {0.2, 0.3}}, V{{1, 2}, {3, 4}};
    std::vector<double> s{1.0, 5.0};
    sort_and_fix_signs(U, s, V);
    CHECK(s == std::vector<double>{5.0, 1.0});
    CHECK(U == Matrix{{0.9, 0.1}, {-0.3, 0.2}});  // old column 1, flipped; old column 0 as it was
    CHECK(V == Matrix{{-2, 1}, {-4, 3}});
}

TEST_CASE("progress is reported every interval, and max_iterations 0 does nothing") {
    std::vector<long> seen;
    InverseOptions o;
    o.descent.max_iterations = 2500;
    o.descent.progress = [&](long iteration, double) { seen.push_back(iteration); };
    inverse_by_descent(Matrix::identity(3), o);
    CHECK(seen == std::vector<long>{1000, 2000});
    o.descent.max_iterations = 0;
    const InverseResult r = inverse_by_descent(Matrix::identity(3), o);
    CHECK(r.report.iterations == 0);
}
