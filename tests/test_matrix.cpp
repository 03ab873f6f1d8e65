#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <sstream>

#include "autodiff/matrix.hpp"
#include "autodiff/random.hpp"
#include "helpers.hpp"

using namespace tapegrad;
using testing::error_message;

TEST_CASE("matrix: constructors give the shapes and entries asked for") {
    const Matrix z = Matrix::zeros(2, 3);
    CHECK(z.shape() == Shape{2, 3});
    CHECK(z(1, 2) == 0.0);
    CHECK(Matrix::ones(3, 1)(2, 0) == 1.0);
    const Matrix i = Matrix::identity(3);
    CHECK(i(0, 0) == 1.0);
    CHECK(i(0, 1) == 0.0);
    CHECK(i(2, 2) == 1.0);
    const Matrix m{{1, 2, 3}, {4, 5, 6}};
    CHECK(m.rows() == 2);
    CHECK(m.cols() == 3);
    CHECK(m(1, 0) == 4.0);
    CHECK(Matrix::diag(Matrix{{1, 2, 3}}) == Matrix{{1, 0, 0}, {0, 2, 0}, {0, 0, 3}});
    CHECK(Matrix().empty());
}

TEST_CASE("matrix: ragged initializer lists and bad indices are errors") {
    CHECK(error_message([] { Matrix{{1, 2}, {3}}; }) == "Matrix: row 1 has 1 entries, row 0 has 2");
    Matrix m(2, 2);
    CHECK(error_message([&] { m.at(2, 0); }) == "Matrix::at: index (2, 0) is outside a 2x2 matrix");
    CHECK_THROWS_AS(Matrix::diag(Matrix(2, 2)), std::invalid_argument);
}

TEST_CASE("matrix: linspace includes both ends, evenly spaced") {
    const Matrix x = Matrix::linspace(0.0, 2.0 * std::numbers::pi, 100);
    CHECK(x.shape() == Shape{1, 100});
    CHECK(x(0, 0) == 0.0);
    CHECK(x(0, 99) == 2.0 * std::numbers::pi);
    CHECK(x(0, 50) == doctest::Approx(50 * 2.0 * std::numbers::pi / 99).epsilon(1e-15));
    CHECK(Matrix::linspace(3.0, 5.0, 1) == Matrix{{3.0}});
    CHECK(Matrix::linspace(0.0, 1.0, 5) == Matrix{{0.0, 0.25, 0.5, 0.75, 1.0}});
}

TEST_CASE("random: the same numbers on every platform") {
    // The standard fixes mt19937_64's 10000th output from the default seed; our conversion is fixed arithmetic.
    Random rng(std::mt19937_64::default_seed);
    double last = 0.0;
    for (int i = 0; i < 10000; ++i) last = rng.uniform();
    CHECK(last == static_cast<double>(9981545732273789042ULL >> 11) * 0x1.0p-53);

    const Matrix a = Matrix::random(4, 5, 314), b = Matrix::random(4, 5, 314), c = Matrix::random(4, 5, 315);
    CHECK(a == b);
    CHECK(a != c);
    for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a.data()[k] >= 0.0);
        CHECK(a.data()[k] < 1.0);
    }
    Random normal(1);
    double sum = 0.0, sum_sq = 0.0;
    for (int i = 0; i < 20000; ++i) {
        const double x = normal.normal();
        sum += x, sum_sq += x * x;
    }
    CHECK(std::abs(sum / 20000) < 0.03);
    CHECK(std::abs(sum_sq / 20000 - 1.0) < 0.05);
}

TEST_CASE("matrix: transpose, elementwise arithmetic and in-place updates") {
    const Matrix a{{1, 2, 3}, {4, 5, 6}};
    CHECK(a.transpose() == Matrix{{1, 4}, {2, 5}, {3, 6}});
    const Matrix b{{6, 5, 4}, {3, 2, 1}};
    CHECK(a + b == Matrix{{7, 7, 7}, {7, 7, 7}});
    CHECK(a - b == Matrix{{-5, -3, -1}, {1, 3, 5}});
    CHECK(hadamard(a, b) == Matrix{{6, 10, 12}, {12, 10, 6}});
    CHECK(a / Matrix::ones(2, 3) == a);
    CHECK(2.0 * a == Matrix{{2, 4, 6}, {8, 10, 12}});
    CHECK(a * 2.0 == 2.0 * a);
    CHECK(a / 2.0 == Matrix{{0.5, 1, 1.5}, {2, 2.5, 3}});
    CHECK(-a == Matrix{{-1, -2, -3}, {-4, -5, -6}});
    Matrix c = a;
    c.add_scaled(b, -1.0);
    CHECK(c == a - b);
    c *= 0.0;
    CHECK(c == Matrix::zeros(2, 3));
    c += a;
    c -= b;
    CHECK(c == a - b);
    CHECK(error_message([&] { return a + a.transpose(); }) == "operator+: shapes differ, 2x3 vs 3x2");
}

TEST_CASE("matrix: matmul against hand-computed products, and its shape error") {
    const Matrix a{{1, 2}, {3, 4}, {5, 6}};
    const Matrix b{{1, 0, -1}, {2, 1, 0}};
    CHECK(matmul(a, b) == Matrix{{5, 2, -1}, {11, 4, -3}, {17, 6, -5}});
    CHECK(matmul(Matrix{{1, 2, 3}}, Matrix{{4}, {5}, {6}}) == Matrix{{32}});
    CHECK(error_message([] { return matmul(Matrix(5, 4), Matrix(5, 4)); }) == "matmul: cannot multiply 5x4 by 5x4");
}

TEST_CASE("matrix: norms and comparisons, with NaN never hidden") {
    const Matrix a{{3, -4}};
    CHECK(frobenius_norm(a) == 5.0);
    CHECK(max_abs(a) == 4.0);
    CHECK(max_abs_diff(a, Matrix{{3, -3}}) == 1.0);
    CHECK(all_finite(a));
    const Matrix bad{{1, std::nan("")}};
    CHECK_FALSE(all_finite(bad));
    CHECK(std::isnan(max_abs_diff(bad, Matrix{{1, 1}})));
    CHECK(std::isnan(max_abs(bad)));
    CHECK_FALSE(all_finite(Matrix{{HUGE_VAL}}));
}

TEST_CASE("matrix: prints like torch with sci_mode=False") {
    CHECK(to_string(Matrix{{1, -0.00001}, {12.5, 3}}) == "[[ 1.0000, -0.0000],\n [12.5000,  3.0000]]");
    CHECK(to_string(Matrix{{0.71963, 0.62949}}) == "[[0.7196, 0.6295]]");
    CHECK(to_string(Matrix{{16807}}) == "[[16807.0000]]");
    std::ostringstream out;
    out << Matrix::identity(2);
    CHECK(out.str() == "[[1.0000, 0.0000],\n [0.0000, 1.0000]]");
    CHECK(to_string(Matrix()) == "[[]]");
}

TEST_CASE("Matrix: a size that overflows is a clear error, not a wrapped allocation") {
    const std::size_t big = std::size_t{1} << 32;
    CHECK(error_message([&] { Matrix(big, big); }).starts_with("Matrix: a 4294967296x4294967296 matrix has more entries"));
    CHECK(error_message([&] { Matrix(std::numeric_limits<std::size_t>::max(), 2); }).starts_with("Matrix: a 18446744073709551615x2 matrix"));
    CHECK(error_message([&] { Matrix::identity(big); }).starts_with("Matrix: a 4294967296x4294967296 matrix"));
    CHECK(error_message([&] { Matrix::random(big, big, 1); }).starts_with("Matrix: a 4294967296x4294967296"));
    CHECK(Matrix(big, 0).size() == 0);  // no entries: nothing to overflow
}
