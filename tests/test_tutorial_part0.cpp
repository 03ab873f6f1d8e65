// Part 0 of the tutorial as tests: tensors and derivatives.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "autodiff/autodiff.hpp"

using namespace tapegrad;

TEST_CASE("part 0: the dot product of (1,2,3) and (4,5,6) is 32, both ways") {
    Tape t;
    const Var a = t.constant(Matrix{{1, 2, 3}}), b = t.constant(Matrix{{4, 5, 6}});
    CHECK(dot(a, b).item() == 32.0);
    CHECK(sum(a * b).item() == 32.0);
    CHECK(matmul(a, transpose(b)).item() == 32.0);
}

TEST_CASE("part 0: z = x·y⁵ at x=3, y=7 has dz/dx = y⁵ = 16807 and dz/dy = 5xy⁴ = 36015") {
    Tape t;
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    const Var z = t.param(x) * pow(t.param(y), 5.0);
    CHECK(z.item() == 50421.0);
    backward(z);
    CHECK(x.grad(0, 0) == 16807.0);
    CHECK(y.grad(0, 0) == 36015.0);
}

TEST_CASE("part 0: the gradient of sum(sin(x)) over linspace(0, 2π, 100) is cos(x)") {
    Tape t;
    Parameter x(Matrix::linspace(0.0, 2.0 * std::numbers::pi, 100));
    backward(sum(sin(t.param(x))));
    double worst = 0.0;
    for (std::size_t j = 0; j < 100; ++j) worst = std::max(worst, std::abs(x.grad(0, j) - std::cos(x.value(0, j))));
    CHECK(worst <= 1e-12);
}

TEST_CASE("part 0: backward from the non-scalar sin(x) with a ones seed gives cos(x) too") {
    Tape t;
    Parameter x(Matrix::linspace(0.0, 2.0 * std::numbers::pi, 100));
    const Var y = sin(t.param(x));
    backward(y, Matrix::ones(1, 100));  // y.backward(torch.ones_like(x))
    Parameter x2(x.value);
    backward(sum(sin(t.param(x2))));  // the same through a sum "loss"
    for (std::size_t j = 0; j < 100; ++j) {
        CHECK(x.grad(0, j) == doctest::Approx(std::cos(x.value(0, j))).epsilon(1e-12));
        CHECK(x.grad(0, j) == x2.grad(0, j));
    }
}
