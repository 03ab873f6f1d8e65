// The LAPACK reference solvers and the comparison metrics.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "io/tutorial_matrices.hpp"
#include "helpers.hpp"
#include "linalg/metrics.hpp"
#include "linalg/norms.hpp"
#include "linalg/reference.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

TEST_CASE("lapack_svd: the tutorial's M1 has the singular values the data README lists") {
    const ReferenceSvd r = lapack_svd(tutorial_matrix("svd_M1_5x4.csv"));
    const double expected[] = {2.33981531, 0.68729212, 0.25920282, 0.11767751};
    REQUIRE(r.singular_values.size() == 4);
    for (int j = 0; j < 4; ++j) CHECK(r.singular_values[j] == doctest::Approx(expected[j]).epsilon(1e-8));
}

TEST_CASE("lapack_svd: thin factors reconstruct tall, square and wide matrices") {
    for (const Shape s : {Shape{7, 4}, Shape{4, 4}, Shape{3, 6}, Shape{1, 1}, Shape{1, 5}, Shape{5, 1}}) {
        const Matrix M = uniform(s.rows, s.cols, s.rows * 10 + s.cols);
        const ReferenceSvd r = lapack_svd(M);
        const std::size_t k = std::min(s.rows, s.cols);
        CHECK(r.U.shape() == Shape{s.rows, k});
        CHECK(r.V.shape() == Shape{s.cols, k});
        CHECK(max_abs_diff(reconstruct(r.U, r.singular_values, r.V), M) < 1e-14);
        CHECK(orthogonality_error(r.U) < 1e-14);
        CHECK(orthogonality_error(r.V) < 1e-14);
        CHECK(std::is_sorted(r.singular_values.rbegin(), r.singular_values.rend()));
        const std::vector<double> values_only = lapack_singular_values(M);  // another LAPACK path: equal to rounding
        for (std::size_t j = 0; j < k; ++j) CHECK(std::abs(values_only[j] - r.singular_values[j]) < 1e-15);
    }
}

TEST_CASE("lapack_inverse: inverts, and reports singular and non-square matrices as such") {
    const Matrix M = tutorial_matrix("inverse_M1_4x4.csv");
    CHECK(max_abs_diff(matmul(lapack_inverse(M), M), Matrix::identity(4)) < 1e-13);
    CHECK(lapack_inverse(tutorial_matrix("inverse_M2_diag.csv")) == Matrix{{1, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 1.0 / 3, 0}, {0, 0, 0, 0.25}});
    CHECK_THROWS_AS(lapack_inverse(Matrix{{1, 2}, {2, 4}}), SingularMatrixError);
    CHECK(error_message([] { return lapack_inverse(Matrix{{1, 2}, {2, 4}}); }) ==
          "lapack_inverse: the matrix is singular (pivot 2 of its LU factorisation is exactly zero)");
    CHECK(error_message([] { return lapack_inverse(Matrix(4, 3)); }) == "lapack_inverse: needs a square matrix, got 4x3");
    CHECK(error_message([] { return lapack_svd(Matrix()); }) == "lapack_svd: the matrix is empty (0x0)");
}

TEST_CASE("condition_number: σ_max/σ_min, infinite when singular") {
    CHECK(condition_number(tutorial_matrix("inverse_M2_diag.csv")) == doctest::Approx(4.0));
    CHECK(condition_number(tutorial_matrix("inverse_M1_4x4.csv")) == doctest::Approx(18.67).epsilon(1e-3));
    CHECK(std::isinf(condition_number(Matrix{{1, 0}, {0, 0}})));
}

TEST_CASE("compare_svd: zero against itself, sign flips forgiven, real errors seen") {
    const Matrix M = uniform(5, 4, 3);
    const ReferenceSvd r = lapack_svd(M);
    SvdComparison c = compare_svd(M, r.U, r.singular_values, r.V, r);
    CHECK(c.max_singular_value_error == 0.0);
    CHECK(c.reconstruction_error < 1e-14);
    CHECK(c.max_vector_error_U == 0.0);
    Matrix U = r.U, V = r.V;
    for (std::size_t i = 0; i < U.rows(); ++i) U(i, 1) = -U(i, 1);
    for (std::size_t i = 0; i < V.rows(); ++i) V(i, 1) = -V(i, 1);
    c = compare_svd(M, U, r.singular_values, V, r);
    CHECK(c.max_vector_error_U == 0.0);
    CHECK(c.max_vector_error_V == 0.0);
    CHECK(c.reconstruction_error < 1e-14);
    std::vector<double> s = r.singular_values;
    s[2] += 0.01 * s[0];
    c = compare_svd(M, r.U, s, r.V, r);
    CHECK(c.max_singular_value_error == doctest::Approx(0.01));
    CHECK(c.reconstruction_error > 1e-3);
}

TEST_CASE("compare_inverse: residual and error against LAPACK") {
    const Matrix M{{2, 0}, {0, 4}};
    const InverseComparison c = compare_inverse(M, Matrix{{0.5, 0}, {0, 0.26}}, lapack_inverse(M));
    CHECK(c.residual == doctest::Approx(0.04));
    CHECK(c.max_error_vs_reference == doctest::Approx(0.01));
    CHECK(c.relative_error == doctest::Approx(0.02));
}

TEST_CASE("scale_by_power_of_two: the same bits as ldexp, subnormal results and extreme exponents included") {
    const double tiny = std::numeric_limits<double>::denorm_min(), huge = std::numeric_limits<double>::max();
    const Matrix m{{1.0, -3.0, 0.1, 0.0}, {tiny, 3 * tiny, -huge, 1e-300}, {0.7 * huge, 5e-310, 2.5, -1e300}};
    for (const int e : {0, 1, -1, 7, -60, 1000, -1000, 1023, -1022, -1023, -1074, 1074, 1100, -1100}) {
        Matrix scaled = m;
        scale_by_power_of_two(scaled.ref(), e);
        for (std::size_t i = 0; i < m.size(); ++i) {
            const double want = std::ldexp(m.data()[i], e);
            CHECK_MESSAGE((scaled.data()[i] == want || (std::isnan(want) && std::isnan(scaled.data()[i]))),
                          "e = ", e, ", entry ", m.data()[i]);
        }
    }
}
