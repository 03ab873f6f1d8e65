// Part 0 of the tutorial: tensors and derivatives, as a walkthrough. Matrices, the dot product two ways,
// z = x·y⁵ and its partial derivatives, first and second, and the derivative of sin, which the tape finds to be
// cos, and its second derivative, -sin.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numbers>

#include "autodiff/autodiff.hpp"
#include "demos/cli.hpp"
#include "io/plot.hpp"

using namespace tapegrad;

namespace {

struct Results {
    double dot = 0, z = 0, dz_dx = 0, dz_dy = 0, max_sin_derivative_error = 0;
    double d2z_dx2 = 0, d2z_dxdy = 0, d2z_dy2 = 0, max_sin_second_derivative_error = 0;
};

int run_demo(const demo::Common& o) {
    std::optional<OutputDir> out = demo::output_directory(o);  // a bad --out is refused before computing
    const bool talk = !o.json && !o.quiet;
    Results r;
    Tape tape;

    if (talk) {
        std::cout << "== Tensors ==\nMatrix::zeros(2, 3) =\n" << Matrix::zeros(2, 3) << "\nMatrix::identity(3) =\n"
                  << Matrix::identity(3) << "\nMatrix::random(2, 4, /*seed=*/314) =\n" << Matrix::random(2, 4, 314)
                  << "\n\n";
    }

    // The dot product, as one op and as "multiply elementwise, then sum".
    const Var a = tape.constant(Matrix{{1, 2, 3}}), b = tape.constant(Matrix{{4, 5, 6}});
    r.dot = dot(a, b).item();
    const double dot_by_sum = sum(a * b).item();
    if (talk)
        std::cout << "== The dot product ==\na = " << Matrix(a.value()) << ", b = " << Matrix(b.value())
                  << "\ndot(a, b) = " << r.dot << ", sum(a * b) = " << dot_by_sum << "\n\n";

    // z = x·y⁵: the tape gives both partial derivatives in one backward sweep.
    tape.clear();  // a fresh recording: z's nodes are 0 to 3, as docs/autodiff.md traces them
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    const Var X = tape.param(x), Y = tape.param(y);
    const Var z = X * pow(Y, 5.0);
    backward(z);
    const std::string z_graph = to_dot(z, {.names = {{X, "x"}, {Y, "y"}, {z, "z"}}, .adjoints = true});
    r.z = z.item(), r.dz_dx = x.grad(0, 0), r.dz_dy = y.grad(0, 0);
    if (talk)
        std::printf("== z = x·y⁵ at x = 3, y = 7 ==\nz = %.0f\ndz/dx = y⁵ = %.0f (closed form %.0f)\n"
                    "dz/dy = 5xy⁴ = %.0f (closed form %.0f)\n\n",
                    r.z, r.dz_dx, std::pow(7.0, 5), r.dz_dy, 5 * 3 * std::pow(7.0, 4));

    // Its second derivatives, a column of the Hessian per direction: hvp along (1, 0), then along (0, 1), on the
    // same recording (docs/autodiff.md traces the first).
    x.tangent = Matrix{{1.0}}, y.tangent = Matrix{{0.0}};
    hvp(z);
    r.d2z_dx2 = x.grad_tangent(0, 0), r.d2z_dxdy = y.grad_tangent(0, 0);
    x.zero_grad(), y.zero_grad();
    x.tangent = Matrix{{0.0}}, y.tangent = Matrix{{1.0}};
    hvp(z);
    r.d2z_dy2 = y.grad_tangent(0, 0);
    if (talk)
        std::printf("== Its second derivatives (exact Hessian-vector products) ==\nd²z/dx² = %.0f (closed form 0)\n"
                    "d²z/dxdy = 5y⁴ = %.0f (closed form %.0f)\nd²z/dy² = 20xy³ = %.0f (closed form %.0f)\n\n",
                    r.d2z_dx2, r.d2z_dxdy, 5 * std::pow(7.0, 4), r.d2z_dy2, 20 * 3 * std::pow(7.0, 3));

    // d/dx sin(x) over linspace(0, 2π, 100): backward from the non-scalar sin(x) with a ones seed.
    tape.clear();  // a fresh recording; a, b and z are gone with the old one
    Parameter xs(Matrix::linspace(0.0, 2.0 * std::numbers::pi, 100));
    const Var sines = sin(tape.param(xs));
    backward(sines, Matrix::ones(1, 100));  // the tutorial's y.backward(torch.ones_like(x))
    for (std::size_t j = 0; j < 100; ++j)
        r.max_sin_derivative_error = std::max(r.max_sin_derivative_error, std::abs(xs.grad(0, j) - std::cos(xs.value(0, j))));
    if (talk) {
        std::printf("== The derivative of sin ==\n%10s %12s %14s %12s\n", "x", "sin(x)", "tape d/dx", "cos(x)");
        for (const std::size_t j : {0, 12, 25, 37, 50, 62, 75, 87, 99})
            std::printf("%10.4f %12.6f %14.6f %12.6f\n", xs.value(0, j), std::sin(xs.value(0, j)), xs.grad(0, j),
                        std::cos(xs.value(0, j)));
        std::printf("largest |tape d/dx - cos(x)| over 100 points: %.2e\n\n", r.max_sin_derivative_error);
    }

    // d²/dx² sin(x): the Hessian of sum(sin(x)) is diagonal, so its product with ones is every second derivative.
    tape.clear();
    xs.tangent = Matrix::ones(1, 100);
    xs.zero_grad();  // hvp's reverse sweep gives .grad the first derivatives again
    hvp(sum(sin(tape.param(xs))));
    const Matrix& second = xs.grad_tangent;
    for (std::size_t j = 0; j < 100; ++j)
        r.max_sin_second_derivative_error =
            std::max(r.max_sin_second_derivative_error, std::abs(second(0, j) + std::sin(xs.value(0, j))));
    if (talk) {
        std::printf("== The second derivative of sin ==\n%10s %14s %12s\n", "x", "tape d²/dx²", "-sin(x)");
        for (const std::size_t j : {0, 25, 50, 75, 99})
            std::printf("%10.4f %14.6f %12.6f\n", xs.value(0, j), second(0, j), -std::sin(xs.value(0, j)));
        std::printf("largest |tape d²/dx² + sin(x)| over 100 points: %.2e\n\n", r.max_sin_second_derivative_error);
    }

    if (o.json) {
        nlohmann::ordered_json j;
        j["dot"] = r.dot;
        j["z"] = r.z;
        j["dz_dx"] = r.dz_dx;
        j["dz_dy"] = r.dz_dy;
        j["max_sin_derivative_error"] = r.max_sin_derivative_error;
        j["d2z_dx2"] = r.d2z_dx2;
        j["d2z_dxdy"] = r.d2z_dxdy;
        j["d2z_dy2"] = r.d2z_dy2;
        j["max_sin_second_derivative_error"] = r.max_sin_second_derivative_error;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    if (o.quiet)
        std::printf("dot %.0f; z %.0f, dz/dx %.0f, dz/dy %.0f; d²z/dx² %.0f, d²z/dxdy %.0f, d²z/dy² %.0f; "
                    "max |d/dx sin - cos| %.2e, max |d²/dx² sin + sin| %.2e\n",
                    r.dot, r.z, r.dz_dx, r.dz_dy, r.d2z_dx2, r.d2z_dxdy, r.d2z_dy2, r.max_sin_derivative_error,
                    r.max_sin_second_derivative_error);

    // The tape of z = x·y⁵ as a graph, and sin, the tape's first and second derivatives, cos and -sin over
    // [0, 2π] as a plot.
    plot::draw_graph(*out, "tape_z", z_graph);
    plot::Series sine{.name = "sin(x)"}, derivative{.name = "tape: d/dx sin(x)"}, cosine{.name = "cos(x)"};
    plot::Series second_derivative{.name = "tape: d²/dx² sin(x)"}, minus_sine{.name = "-sin(x)"};
    for (std::size_t j = 0; j < 100; ++j) {
        const double v = xs.value(0, j);
        sine.points.emplace_back(v, std::sin(v));
        derivative.points.emplace_back(v, xs.grad(0, j));
        cosine.points.emplace_back(v, std::cos(v));
        second_derivative.points.emplace_back(v, second(0, j));
        minus_sine.points.emplace_back(v, -std::sin(v));
    }
    plot::write_csv(*out, "sin_derivative.csv", "x", {sine, derivative, cosine, second_derivative, minus_sine});
    std::cout << "wrote " << out->target("sin_derivative.csv").string() << "\n";
    plot::Script("sin_derivative.gp")
        .set("data", "sin_derivative.csv")
        .set("title", "tensors_demo: the tape finds d/dx sin = cos and d²/dx² sin = -sin")
        .draw(*out, "sin_derivative");
    out->commit();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Tensors and derivatives (part 0 of the tutorial): the dot product, z = x·y⁵ and its partial\n"
                 "derivatives, first and second, and the derivatives of sin, which the tape finds to be cos and -sin.",
                 "tensors_demo"};
    demo::Common o;
    demo::add_output_flags(app, o, "Print the results as one JSON object on stdout; writes no files");
    return demo::run(app, argc, argv, [&] { return run_demo(o); });
}
