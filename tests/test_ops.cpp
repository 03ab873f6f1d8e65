// Every op: its value against a closed form, its gradient against central differences (gradcheck) and its
// tangent and Hessian-vector product against central differences of values and gradients (gradgradcheck) on
// several shapes (1x1, a row, a column, non-square, square, the broadcasts), and its shape errors.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <sstream>
#include <vector>

#include "autodiff/autodiff.hpp"
#include "autodiff/squared_distance.hpp"
#include "helpers.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

const std::vector<Shape> shapes = {{1, 1}, {1, 5}, {5, 1}, {3, 4}, {4, 4}};

// Both checks, first and second order.
void check_both(const std::function<Var(Tape&)>& f, const std::vector<Parameter*>& params) {
    const GradcheckResult first = gradcheck(f, params);
    CHECK_MESSAGE(first.passed, first.message);
    const GradcheckResult second = gradgradcheck(f, params);
    CHECK_MESSAGE(second.passed, second.message);
}

// Checks a one-input op on every test shape, with inputs uniform in [low, high).
template <class Op>
void check_unary(Op op, double low = -1.0, double high = 1.0) {
    std::uint64_t seed = 10;
    for (const Shape s : shapes) {
        CAPTURE(to_string(s));
        Parameter x(uniform(s.rows, s.cols, ++seed, low, high));
        check_both([&](Tape& t) { return op(t.param(x)); }, {&x});
    }
}

// Checks a two-input op on pairs of shapes, including broadcast ones when asked.
template <class Op>
void check_binary(Op op, const std::vector<std::pair<Shape, Shape>>& pairs, double low = -1.0, double high = 1.0) {
    std::uint64_t seed = 20;
    for (const auto& [sa, sb] : pairs) {
        CAPTURE(to_string(sa));
        CAPTURE(to_string(sb));
        Parameter a(uniform(sa.rows, sa.cols, ++seed, low, high)), b(uniform(sb.rows, sb.cols, ++seed, low, high));
        check_both([&](Tape& t) { return op(t.param(a), t.param(b)); }, {&a, &b});
        // and with one input a constant: the rules' paths for an input without adjoint or tangent
        check_both([&](Tape& t) { return op(t.param(a), t.constant(b.value)); }, {&a});
        check_both([&](Tape& t) { return op(t.constant(a.value), t.param(b)); }, {&b});
    }
}

std::vector<std::pair<Shape, Shape>> same_shapes() {
    std::vector<std::pair<Shape, Shape>> pairs;
    for (const Shape s : shapes) pairs.emplace_back(s, s);
    return pairs;
}

// Same shapes, then every kind of broadcast: a row, a column, a 1x1 on either side.
std::vector<std::pair<Shape, Shape>> broadcast_shapes() {
    auto pairs = same_shapes();
    pairs.insert(pairs.end(), {{{3, 4}, {1, 4}}, {{3, 4}, {3, 1}}, {{3, 4}, {1, 1}}, {{1, 4}, {3, 4}},
                               {{3, 1}, {3, 4}}, {{1, 1}, {3, 4}}, {{3, 1}, {1, 4}}});
    return pairs;
}

// The value of op on one recording, as a Matrix.
template <class Op>
Matrix value_of(Op op, const Matrix& x) {
    Tape t;
    return Matrix(op(t.constant(x)).value());
}

}  // namespace

TEST_CASE("ops: add, subtract, multiply, divide: values with broadcasting") {
    Tape t;
    const Var a = t.constant(Matrix{{1, 2}, {3, 4}});
    const Var row = t.constant(Matrix{{10, 20}});
    const Var col = t.constant(Matrix{{100}, {200}});
    CHECK(Matrix((a + row).value()) == Matrix{{11, 22}, {13, 24}});
    CHECK(Matrix((a - col).value()) == Matrix{{-99, -98}, {-197, -196}});
    CHECK(Matrix((row * col).value()) == Matrix{{1000, 2000}, {2000, 4000}});
    CHECK(Matrix((a / t.constant(Matrix{{2}})).value()) == Matrix{{0.5, 1}, {1.5, 2}});
    CHECK(Matrix((a * a).value()) == Matrix{{1, 4}, {9, 16}});
}

TEST_CASE("ops: add and subtract gradcheck, broadcast included") {
    check_binary([](const Var& a, const Var& b) { return a + b; }, broadcast_shapes());
    check_binary([](const Var& a, const Var& b) { return a - b; }, broadcast_shapes());
}

TEST_CASE("ops: elementwise multiply and divide gradcheck, broadcast included") {
    check_binary([](const Var& a, const Var& b) { return a * b; }, broadcast_shapes());
    check_binary([](const Var& a, const Var& b) { return a / b; }, broadcast_shapes(), 0.5, 2.0);
}

TEST_CASE("ops: elementwise shape errors name the op and both shapes") {
    Tape t;
    const Var a = t.constant(Matrix(2, 3)), b = t.constant(Matrix(3, 2));
    CHECK(error_message([&] { return a + b; }) == "add: cannot broadcast 2x3 with 3x2");
    CHECK(error_message([&] { return a - b; }) == "subtract: cannot broadcast 2x3 with 3x2");
    CHECK(error_message([&] { return a * b; }) == "multiply: cannot broadcast 2x3 with 3x2");
    CHECK(error_message([&] { return a / t.constant(Matrix(2, 2)); }) == "divide: cannot broadcast 2x3 with 2x2");
}

TEST_CASE("ops: negate and the scalar forms") {
    const Matrix x{{1, -2}};
    CHECK(value_of([](const Var& v) { return -v; }, x) == Matrix{{-1, 2}});
    CHECK(value_of([](const Var& v) { return v + 1.5; }, x) == Matrix{{2.5, -0.5}});
    CHECK(value_of([](const Var& v) { return 1.5 + v; }, x) == Matrix{{2.5, -0.5}});
    CHECK(value_of([](const Var& v) { return v - 1.0; }, x) == Matrix{{0, -3}});
    CHECK(value_of([](const Var& v) { return 1.0 - v; }, x) == Matrix{{0, 3}});
    CHECK(value_of([](const Var& v) { return 2.0 * v; }, x) == Matrix{{2, -4}});
    CHECK(value_of([](const Var& v) { return v * 2.0; }, x) == Matrix{{2, -4}});
    CHECK(value_of([](const Var& v) { return v / 4.0; }, x) == Matrix{{0.25, -0.5}});
    check_unary([](const Var& v) { return -v; });
    check_unary([](const Var& v) { return v + 1.5; });
    check_unary([](const Var& v) { return 1.5 + v; });
    check_unary([](const Var& v) { return v - 1.5; });
    check_unary([](const Var& v) { return 1.5 - v; });
    check_unary([](const Var& v) { return -3.0 * v; });
    check_unary([](const Var& v) { return v * 0.5; });
    check_unary([](const Var& v) { return v / 7.0; });
}

TEST_CASE("ops: square and pow") {
    CHECK(value_of([](const Var& v) { return square(v); }, Matrix{{-3}}) == Matrix{{9}});
    CHECK(value_of([](const Var& v) { return pow(v, 3.0); }, Matrix{{2, -1}}) == Matrix{{8, -1}});
    CHECK(value_of([](const Var& v) { return pow(v, 0.5); }, Matrix{{4}}) == Matrix{{2}});
    check_unary([](const Var& v) { return square(v); });
    check_unary([](const Var& v) { return pow(v, 5.0); });
    check_unary([](const Var& v) { return pow(v, -1.5); }, 0.5, 2.0);
}

TEST_CASE("ops: sin, cos, exp, log, tanh") {
    const Matrix x{{0.3, -1.2}};
    const Matrix positive{{0.3, 2.0}};
    CHECK(value_of([](const Var& v) { return sin(v); }, x) == Matrix{{std::sin(0.3), std::sin(-1.2)}});
    CHECK(value_of([](const Var& v) { return cos(v); }, x) == Matrix{{std::cos(0.3), std::cos(-1.2)}});
    CHECK(value_of([](const Var& v) { return exp(v); }, x) == Matrix{{std::exp(0.3), std::exp(-1.2)}});
    CHECK(value_of([](const Var& v) { return log(v); }, positive) == Matrix{{std::log(0.3), std::log(2.0)}});
    CHECK(value_of([](const Var& v) { return tanh(v); }, x) == Matrix{{std::tanh(0.3), std::tanh(-1.2)}});
    check_unary([](const Var& v) { return sin(v); }, -3.0, 3.0);
    check_unary([](const Var& v) { return cos(v); }, -3.0, 3.0);
    check_unary([](const Var& v) { return exp(v); }, -2.0, 2.0);
    check_unary([](const Var& v) { return log(v); }, 0.2, 3.0);
    check_unary([](const Var& v) { return tanh(v); }, -2.0, 2.0);
}

TEST_CASE("ops: relu, away from its kink") {
    CHECK(value_of([](const Var& v) { return relu(v); }, Matrix{{-1, 0, 2}}) == Matrix{{0, 0, 2}});
    check_unary([](const Var& v) { return relu(v); });  // seeded inputs stay > 1e-6 from 0
    Tape t;
    Parameter p(Matrix{{-1, 0, 2}});
    backward(sum(relu(t.param(p))));
    CHECK(p.grad == Matrix{{0, 0, 1}});  // PyTorch's convention: relu'(0) = 0
}

TEST_CASE("ops: matmul value, gradcheck and shape error") {
    Tape t;
    const Var a = t.constant(Matrix{{1, 2}, {3, 4}, {5, 6}}), b = t.constant(Matrix{{1, 0, -1}, {2, 1, 0}});
    CHECK(Matrix(matmul(a, b).value()) == Matrix{{5, 2, -1}, {11, 4, -3}, {17, 6, -5}});
    CHECK(error_message([&] { return matmul(a, a); }) == "matmul: cannot multiply 3x2 by 3x2");
    check_binary([](const Var& x, const Var& y) { return matmul(x, y); },
                 {{{1, 1}, {1, 1}}, {{1, 5}, {5, 1}}, {{5, 1}, {1, 5}}, {{3, 4}, {4, 2}}, {{4, 4}, {4, 4}},
                  {{2, 30}, {30, 30}}});  // the last is above the BLAS threshold
}

TEST_CASE("ops: matmul_transposed is matmul(a, transpose(b)) as one node") {
    check_binary([](const Var& x, const Var& y) { return matmul_transposed(x, y); },
                 {{{1, 1}, {1, 1}}, {{1, 5}, {1, 5}}, {{5, 1}, {3, 1}}, {{3, 4}, {2, 4}}, {{4, 4}, {4, 4}},
                  {{2, 30}, {30, 30}}});
    for (const Shape s : {Shape{5, 4}, Shape{40, 30}}) {  // both gemm paths
        Parameter a1(uniform(s.rows, s.cols, 31)), b1(uniform(s.rows + 1, s.cols, 32)), a2(a1.value), b2(b1.value);
        Tape t;
        const Matrix w = uniform(s.rows, s.rows + 1, 33);
        const Var fused = matmul_transposed(t.param(a1), t.param(b1));
        const Var plain = matmul(t.param(a2), transpose(t.param(b2)));
        CHECK(max_abs_diff(fused.value(), plain.value()) < 1e-13);
        backward(fused, w);
        backward(plain, w);
        CHECK(max_abs_diff(a1.grad, a2.grad) < 1e-13);
        CHECK(max_abs_diff(b1.grad, b2.grad) < 1e-13);
    }
    Tape t;
    CHECK(error_message([&] { return matmul_transposed(t.constant(Matrix(5, 4)), t.constant(Matrix(3, 5))); }) ==
          "matmul_transposed: cannot multiply 5x4 by the transpose of 3x5");
}

TEST_CASE("ops: transpose and gram") {
    const Matrix x{{1, 2, 3}, {4, 5, 6}};
    CHECK(value_of([](const Var& v) { return transpose(v); }, x) == x.transpose());
    CHECK(value_of([](const Var& v) { return gram(v); }, x) == matmul(x.transpose(), x));
    check_unary([](const Var& v) { return transpose(v); });
    check_unary([](const Var& v) { return gram(v); });
    // gram equals matmul(transpose(X), X) in value and gradient, on both gemm paths
    for (const Shape s : {Shape{5, 4}, Shape{40, 30}}) {
        Parameter p1(uniform(s.rows, s.cols, 3)), p2(p1.value);
        Tape t;
        const Matrix w = uniform(s.cols, s.cols, 4);
        const Var g1 = gram(t.param(p1)), g2 = matmul(transpose(t.param(p2)), t.param(p2));
        CHECK(max_abs_diff(g1.value(), g2.value()) < 1e-12);
        backward(g1, w);
        backward(g2, w);
        CHECK(max_abs_diff(p1.grad, p2.grad) < 1e-12);
    }
}

TEST_CASE("ops: diag and diagonal") {
    CHECK(value_of([](const Var& v) { return diag(v); }, Matrix{{1, 2}}) == Matrix{{1, 0}, {0, 2}});
    CHECK(value_of([](const Var& v) { return diag(v); }, Matrix{{1}, {2}}) == Matrix{{1, 0}, {0, 2}});
    CHECK(value_of([](const Var& v) { return diagonal(v); }, Matrix{{1, 2, 3}, {4, 5, 6}}) == Matrix{{1, 5}});
    check_unary([](const Var& v) { return diagonal(v); });
    for (const Shape s : {Shape{1, 1}, Shape{1, 5}, Shape{5, 1}}) {
        Parameter v(uniform(s.rows, s.cols, 5));
        check_both([&](Tape& t) { return diag(t.param(v)); }, {&v});
    }
    Tape t;
    CHECK(error_message([&] { return diag(t.constant(Matrix(2, 2))); }) ==
          "diag: expects a row or column vector, got 2x2 (use diagonal() to take a matrix's diagonal)");
}

TEST_CASE("ops: sum and mean") {
    const Matrix x{{1, 2}, {3, 6}};
    CHECK(value_of([](const Var& v) { return sum(v); }, x) == Matrix{{12}});
    CHECK(value_of([](const Var& v) { return mean(v); }, x) == Matrix{{3}});
    check_unary([](const Var& v) { return sum(v); });
    check_unary([](const Var& v) { return mean(v); });
    Tape t;
    CHECK(error_message([&] { return mean(t.constant(Matrix(0, 3))); }) == "mean: the mean of an empty 0x3 matrix");
}

TEST_CASE("ops: dot of two vectors, rows or columns") {
    Tape t;
    CHECK(dot(t.constant(Matrix{{1, 2, 3}}), t.constant(Matrix{{4}, {5}, {6}})).item() == 32.0);
    check_binary([](const Var& a, const Var& b) { return dot(a, b); },
                 {{{1, 1}, {1, 1}}, {{1, 5}, {1, 5}}, {{5, 1}, {5, 1}}, {{1, 5}, {5, 1}}});
    CHECK(error_message([&] { return dot(t.constant(Matrix(2, 2)), t.constant(Matrix(2, 2))); }) ==
          "dot: expects two vectors of equal length, got 2x2 and 2x2");
    CHECK(error_message([&] { return dot(t.constant(Matrix(1, 3)), t.constant(Matrix(1, 4))); }) ==
          "dot: expects two vectors of equal length, got 1x3 and 1x4");
}

TEST_CASE("ops: mse against a variable and against a constant target") {
    Tape t;
    CHECK(mse(t.constant(Matrix{{1, 2}}), t.constant(Matrix{{3, 2}})).item() == 2.0);
    CHECK(mse(t.constant(Matrix{{1, 2}}), Matrix{{1, 5}}).item() == 4.5);
    check_binary([](const Var& a, const Var& b) { return mse(a, b); }, same_shapes());
    const Matrix target = uniform(3, 4, 77);
    Parameter x(uniform(3, 4, 78));
    check_both([&](Tape& tape) { return mse(tape.param(x), target) * 3.0; }, {&x});
    CHECK(error_message([&] { return mse(t.constant(Matrix(5, 4)), t.constant(Matrix(4, 5))); }) ==
          "mse: shapes differ, 5x4 vs 4x5");
    CHECK(error_message([&] { return mse(t.constant(Matrix(5, 4)), Matrix(4, 4)); }) == "mse: shapes differ, 5x4 vs 4x4");
}

TEST_CASE("squared_distance: four running sums in a fixed order, the differences written, shapes checked") {
    // Sizes with and without a short last group of four, and one smaller than four.
    for (const Shape shape : {Shape{5, 4}, Shape{3, 5}, Shape{1, 3}, Shape{7, 7}}) {
        CAPTURE(to_string(shape));
        const Matrix a = uniform(shape.rows, shape.cols, 90), b = uniform(shape.rows, shape.cols, 91);
        Matrix difference(shape.rows, shape.cols, std::nan(""));
        const double got = squared_distance(a, b, difference.ref());
        double lane[4] = {0.0, 0.0, 0.0, 0.0};  // entry k adds into sum k mod 4, in order
        for (std::size_t k = 0; k < a.size(); ++k) {
            const double d = a.data()[k] - b.data()[k];
            CHECK(difference.data()[k] == d);
            lane[k % 4] += d * d;
        }
        CHECK(got == (lane[0] + lane[1]) + (lane[2] + lane[3]));
        // mse's value is this sum over N, to the bit (Newton–Schulz's loss relies on it).
        Tape t;
        CHECK(mse(t.constant(a), b).item() == got / static_cast<double>(a.size()));
    }
    Matrix room(2, 2);
    CHECK(error_message([&] { return squared_distance(Matrix(2, 2), Matrix(2, 3), room.ref()); }) ==
          "squared_distance: shapes differ, 2x2 vs 2x3");
    CHECK(error_message([&] { return squared_distance(Matrix(3, 2), Matrix(3, 2), room.ref()); }) ==
          "squared_distance: cannot store the difference of two 3x2 matrices in 2x2");
}

TEST_CASE("ops: a number over a Var, and a Var with a constant matrix on either side") {
    CHECK(value_of([](const Var& v) { return 1.0 / v; }, Matrix{{2, -4}}) == Matrix{{0.5, -0.25}});
    check_unary([](const Var& v) { return 3.0 / v; }, 0.5, 2.0);
    const Matrix m{{1, 2}, {4, 8}}, row{{2, 4}};
    CHECK(value_of([&](const Var& v) { return v + m; }, row) == Matrix{{3, 6}, {6, 12}});
    CHECK(value_of([&](const Var& v) { return m + v; }, row) == Matrix{{3, 6}, {6, 12}});
    CHECK(value_of([&](const Var& v) { return v - m; }, row) == Matrix{{1, 2}, {-2, -4}});
    CHECK(value_of([&](const Var& v) { return m - v; }, row) == Matrix{{-1, -2}, {2, 4}});
    CHECK(value_of([&](const Var& v) { return v * m; }, row) == Matrix{{2, 8}, {8, 32}});
    CHECK(value_of([&](const Var& v) { return m * v; }, row) == Matrix{{2, 8}, {8, 32}});
    CHECK(value_of([&](const Var& v) { return v / m; }, row) == Matrix{{2, 2}, {0.5, 0.5}});
    CHECK(value_of([&](const Var& v) { return m / v; }, row) == Matrix{{0.5, 0.5}, {2, 2}});
    const Matrix c = uniform(3, 4, 41, 0.5, 2.0);
    Parameter x(uniform(3, 4, 42, 0.5, 2.0));
    check_both([&](Tape& t) { return (t.param(x) - c) * (c + t.param(x)) / c + c / t.param(x); }, {&x});
}

TEST_CASE("ops: a value view prints as its matrix") {
    Tape t;
    const Var v = t.constant(Matrix{{1, -2.5}});
    std::ostringstream out;
    out << v.value();
    CHECK(out.str() == to_string(Matrix{{1, -2.5}}));
}
