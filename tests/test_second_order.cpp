// Forward mode and second derivatives: jvp and hvp against closed forms (x·y⁵, mse, sin, the SVD penalty loss,
// Brockett's cost), gradgradcheck on the losses, a wrong curvature rule caught, and the adjoints and tangents of
// intermediate results.
#include <doctest/doctest.h>

#include <cmath>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"
#include "linalg/losses.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/brockett.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

// Entry by entry within 1e-12 relative to the closed form's largest entry: the bar for closed forms.
bool close(ConstMatrixRef tape, ConstMatrixRef exact) {
    return max_abs_diff(tape, exact) <= 1e-12 * std::max(1.0, max_abs(exact));
}

// z = x·y⁵ at x = 3, y = 7, along the tangent (ẋ, ẏ): H·v as the row [∂/∂x, ∂/∂y], after checking that the
// first-order sweep ran too.
Matrix hvp_of_x_y5(double x_dot, double y_dot) {
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    x.tangent = Matrix{{x_dot}};
    y.tangent = Matrix{{y_dot}};
    Tape tape;
    hvp(tape.param(x) * pow(tape.param(y), 5.0));
    CHECK(x.grad(0, 0) == 16807.0);  // ∂z/∂x = y⁵
    CHECK(y.grad(0, 0) == 36015.0);  // ∂z/∂y = 5x·y⁴
    return Matrix{{x.grad_tangent(0, 0), y.grad_tangent(0, 0)}};
}

// An op whose tangent and reverse rules are right but whose curvature is wrong at entry 2: y = x³ with
// d²y/dx² = 6x, except 7x there.
Var cube_with_a_curvature_bug(const Var& x) {
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            const ConstMatrixRef v = t.value(n.a);
            for (std::size_t k = 0; k < v.size(); ++k) t.grad(n.a).data[k] += n.grad.data[k] * 3.0 * v.data[k] * v.data[k];
        },
        [](Tape& t, const Node& n) {
            const ConstMatrixRef v = t.value(n.a);
            for (std::size_t k = 0; k < v.size(); ++k) t.tangent(n).data[k] += 3.0 * v.data[k] * v.data[k] * t.tangent(n.a).data[k];
        },
        [](Tape& t, const Node& n) {
            const ConstMatrixRef v = t.value(n.a);
            for (std::size_t k = 0; k < v.size(); ++k)
                t.grad_tangent(n.a).data[k] += n.grad.data[k] * (k == 2 ? 7.0 : 6.0) * v.data[k] * t.tangent(n.a).data[k];
        }};
    auto [out, node] = record("cube_with_a_bug", x.shape(), rules, x);
    for (std::size_t k = 0; k < node.value.size(); ++k) node.value.data[k] = std::pow(x.value().data[k], 3.0);
    return out;
}

}  // namespace

TEST_CASE("hvp: z = x·y⁵ at (3, 7), the Hessian column by column") {
    CHECK(hvp_of_x_y5(1.0, 0.0) == Matrix{{0.0, 12005.0}});      // ∂²z/∂x² = 0, ∂²z/∂y∂x = 5y⁴
    CHECK(hvp_of_x_y5(0.0, 1.0) == Matrix{{12005.0, 20580.0}});  // ∂²z/∂x∂y = 5y⁴, ∂²z/∂y² = 20x·y³
}

TEST_CASE("jvp: z = x·y⁵ along (1, 0) and (0, 1) is the gradient's entries; a tangent's shape is checked") {
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    Tape tape;
    const Var z = tape.param(x) * pow(tape.param(y), 5.0);
    x.tangent = Matrix{{1.0}};
    CHECK(Matrix(jvp(z)) == Matrix{{16807.0}});
    x.tangent = Matrix{};  // empty: 0
    y.tangent = Matrix{{1.0}};
    CHECK(Matrix(jvp(z)) == Matrix{{36015.0}});
    y.tangent = Matrix(1, 2);
    CHECK(error_message([&] { jvp(z); }) == "jvp: a parameter's tangent is 1x2 but its value is 1x1");
    const Var c = tape.constant(Matrix{{1.0}}) * 2.0;
    CHECK(error_message([&] { jvp(c); }) == "jvp: the output depends on no parameter (or was recorded under NoGrad)");
}

TEST_CASE("jvp: a non-scalar result, sin along v is cos(x)·v") {
    Parameter x(Matrix::linspace(0.0, 6.0, 20));
    x.tangent = uniform(1, 20, 3);
    Tape tape;
    const ConstMatrixRef tangent = jvp(sin(tape.param(x)));
    Matrix exact(1, 20);
    for (std::size_t j = 0; j < 20; ++j) exact(0, j) = std::cos(x.value(0, j)) * x.tangent(0, j);
    CHECK(close(tangent, exact));
}

TEST_CASE("hvp: closed forms of sum(sin x) and of mse") {
    Parameter x(uniform(3, 4, 1, -3.0, 3.0));
    x.tangent = uniform(3, 4, 2);
    Tape tape;
    hvp(sum(sin(tape.param(x))));
    Matrix exact(3, 4);  // H = diag(-sin x)
    for (std::size_t k = 0; k < exact.size(); ++k) exact.data()[k] = -std::sin(x.value.data()[k]) * x.tangent.data()[k];
    CHECK(close(x.grad_tangent, exact));

    const Matrix target = uniform(3, 4, 3);
    x.zero_grad();
    tape.clear();
    hvp(mse(tape.param(x), target));  // H = 2I/N
    CHECK(close(x.grad_tangent, x.tangent * (2.0 / 12.0)));
}

TEST_CASE("hvp: accumulates like .grad, and zero_grad clears both") {
    Parameter x(Matrix{{2.0}});
    x.tangent = Matrix{{1.0}};
    Tape tape;
    const Var y = pow(tape.param(x), 3.0);
    hvp(y);
    hvp(y);
    CHECK(x.grad_tangent == Matrix{{24.0}});  // 2 · 6x
    x.zero_grad();
    CHECK(x.grad_tangent == Matrix{{0.0}});
    CHECK(error_message([&] { hvp(tape.param(x) * 1.0 + tape.param(x)); }).empty());
    CHECK(error_message([&] { hvp(tape.constant(Matrix{{1.0, 2.0}}) * tape.param(x)); }).find("not 1x1") !=
          std::string::npos);
}

TEST_CASE("hvp: the SVD penalty loss against its Hessian by hand") {
    // L = ‖U·D·Vᵀ - M‖²/(mn) + ‖UᵀU - I‖²/(100k²) + ‖VᵀV - I‖²/(100k²), D = diag(d²). With R = U·D·Vᵀ - M,
    // c = 2/(mn), e = 4/(100k²), and along (U', d', V') with D' = diag(2d·d'), R' = U'DVᵀ + UD'Vᵀ + UDV'ᵀ:
    //   (∇_U)' = c(R'VD + RV'D + RVD') + e(U'(UᵀU - I) + U(U'ᵀU + UᵀU'))
    //   (∇_V)' = c(R'ᵀUD + RᵀU'D + RᵀUD') + e(V'(VᵀV - I) + V(V'ᵀV + VᵀV'))
    //   (∇_d)' = c(2d ⊙ diag(U'ᵀRV + UᵀR'V + UᵀRV') + 2d' ⊙ diag(UᵀRV))
    const std::size_t m = 5, n = 4, k = 4;
    const Matrix M = uniform(m, n, 4), I = Matrix::identity(k);
    Parameter U(uniform(m, k, 5)), d(uniform(1, k, 6)), V(uniform(n, k, 7));
    U.tangent = uniform(m, k, 8), d.tangent = uniform(1, k, 9), V.tangent = uniform(n, k, 10);
    Tape tape;
    hvp(svd_penalty_loss(tape.param(U), tape.param(d), tape.param(V), M, I));

    Matrix D(k, k), Dd(k, k);
    for (std::size_t j = 0; j < k; ++j) D(j, j) = d.value(0, j) * d.value(0, j), Dd(j, j) = 2.0 * d.value(0, j) * d.tangent(0, j);
    const Matrix &u = U.value, &v = V.value, &du = U.tangent, &dv = V.tangent;
    const Matrix R = matmul(matmul(u, D), v.transpose()) - M;
    const Matrix dR = matmul(matmul(du, D), v.transpose()) + matmul(matmul(u, Dd), v.transpose()) +
                      matmul(matmul(u, D), dv.transpose());
    const double c = 2.0 / static_cast<double>(m * n), e = 4.0 / (100.0 * static_cast<double>(k * k));
    const auto penalty = [&](const Matrix& x, const Matrix& dx) {
        return e * (matmul(dx, matmul(x.transpose(), x) - I) +
                    matmul(x, matmul(dx.transpose(), x) + matmul(x.transpose(), dx)));
    };
    const Matrix hU = c * (matmul(matmul(dR, v), D) + matmul(matmul(R, dv), D) + matmul(matmul(R, v), Dd)) + penalty(u, du);
    const Matrix hV = c * (matmul(matmul(dR.transpose(), u), D) + matmul(matmul(R.transpose(), du), D) +
                           matmul(matmul(R.transpose(), u), Dd)) + penalty(v, dv);
    const Matrix inner = matmul(matmul(du.transpose(), R), v) + matmul(matmul(u.transpose(), dR), v) +
                         matmul(matmul(u.transpose(), R), dv);
    const Matrix URV = matmul(matmul(u.transpose(), R), v);
    Matrix hd(1, k);
    for (std::size_t j = 0; j < k; ++j)
        hd(0, j) = c * (2.0 * d.value(0, j) * inner(j, j) + 2.0 * d.tangent(0, j) * URV(j, j));
    CHECK(close(U.grad_tangent, hU));
    CHECK(close(V.grad_tangent, hV));
    CHECK(close(d.grad_tangent, hd));
}

TEST_CASE("hvp: Brockett's cost, whose gradient is linear: H·(U', V') = (-A·V'·N, -Aᵀ·U'·N)") {
    const Matrix A = uniform(6, 4, 11), w{{3.0, 2.0, 1.0}};
    Parameter U(uniform(6, 3, 12)), V(uniform(4, 3, 13));
    U.tangent = uniform(6, 3, 14), V.tangent = uniform(4, 3, 15);
    Tape tape;
    hvp(brockett_cost(tape.param(U), tape.param(V), tape.constant(A), tape.constant(w)));
    Matrix N(3, 3);
    for (std::size_t j = 0; j < 3; ++j) N(j, j) = w(0, j);
    CHECK(close(U.grad_tangent, -matmul(matmul(A, V.tangent), N)));
    CHECK(close(V.grad_tangent, -matmul(matmul(A.transpose(), U.tangent), N)));
}

TEST_CASE("gradgradcheck: the tutorial's losses, and a composed expression through every kind of op") {
    const Matrix M = uniform(4, 4, 3, 0.0, 1.0), I = Matrix::identity(4);
    for (const InverseVariant variant : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
        Parameter X(uniform(4, 4, 4, 0.0, 1.0));
        const GradcheckResult r = gradgradcheck([&](Tape& t) { return inverse_loss(t.param(X), t.constant(M), I, variant); }, {&X});
        CHECK_MESSAGE(r.passed, r.message);
    }
    Parameter U(uniform(5, 3, 6)), d(uniform(1, 3, 7)), V(uniform(4, 3, 8));
    const Matrix S = uniform(5, 4, 5);
    const GradcheckResult svd = gradgradcheck(
        [&](Tape& t) { return svd_penalty_loss(t.param(U), t.param(d), t.param(V), S, Matrix::identity(3)); }, {&U, &d, &V});
    CHECK_MESSAGE(svd.passed, svd.message);
    Parameter A(uniform(3, 4, 9)), b(uniform(1, 4, 10)), c(uniform(4, 1, 11, 0.5, 1.5));
    const GradcheckResult all = gradgradcheck(
        [&](Tape& t) {
            const Var a = t.param(A), row = t.param(b), col = t.param(c);
            const Var h = tanh(matmul(a + row, col));
            const Var s = exp(-square(h)) / (1.0 + log(sum(col) + 1.0));
            return mean(s) + dot(diagonal(gram(a)), row) + sum(relu(a) * cos(a) - pow(transpose(col), 2.0));
        },
        {&A, &b, &c});
    CHECK_MESSAGE(all.passed, all.message);
}

TEST_CASE("gradgradcheck: catches a wrong curvature rule, names the entry, and leaves the parameters as they were") {
    Parameter x(uniform(2, 3, 16, 0.5, 1.0));
    x.tangent = Matrix{{1, 2, 3}, {4, 5, 6}};
    const Matrix before = x.value;
    const GradcheckResult r = gradgradcheck([&](Tape& t) { return sum(cube_with_a_curvature_bug(t.param(x))); }, {&x});
    CHECK_FALSE(r.passed);
    CHECK(r.row == 0);
    CHECK(r.col == 2);
    CHECK(r.message.find("gradgradcheck: parameter 0 entry (0, 2): hvp gives") == 0);
    CHECK(x.value == before);
    CHECK(x.tangent == Matrix{{1, 2, 3}, {4, 5, 6}});
    CHECK(x.grad_tangent.empty());
}

TEST_CASE("Var::grad and Var::tangent: an intermediate's adjoint and tangent, as in docs/autodiff.md's trace") {
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    y.tangent = Matrix{{1.0}};
    Tape tape;
    const Var y5 = pow(tape.param(y), 5.0);
    const Var z = tape.param(x) * y5;
    CHECK(error_message([&] { (void)y5.tangent(); }).find("no jvp() or hvp()") != std::string::npos);
    hvp(z);
    CHECK(Matrix(y5.grad()) == Matrix{{3.0}});          // ∂z/∂(y⁵) = x
    CHECK(Matrix(y5.tangent()) == Matrix{{12005.0}});   // (y⁵)' = 5y⁴·ẏ
    CHECK(Matrix(z.tangent()) == Matrix{{36015.0}});    // ż = x·(y⁵)'
    CHECK(error_message([&] { (void)tape.constant(Matrix{{1.0}}).grad(); }).find("no parameter") != std::string::npos);
}

TEST_CASE("hvp: after backward(y) it reuses the adjoints, after another seed it sweeps again: the same numbers") {
    Parameter x(uniform(2, 2, 17));
    x.tangent = uniform(2, 2, 18);
    Tape tape;
    const Var y = sum(exp(tape.param(x)) * tape.param(x));
    hvp(y);
    const Matrix gradient = x.grad, product = x.grad_tangent;
    x.zero_grad();
    backward(y);
    hvp(y);  // skips its own reverse sweep, still adds the gradient once more
    CHECK(x.grad == 2.0 * gradient);
    CHECK(x.grad_tangent == product);
    backward(y, Matrix{{2.0}});  // adjoints for a seed of 2: hvp must not reuse them
    x.zero_grad();
    hvp(y);
    CHECK(x.grad == gradient);
    CHECK(x.grad_tangent == product);
}

TEST_CASE("the trust region with exact Hessian products: the same Hessian as the finite difference, and converges") {
    BrockettProblem exact(uniform(6, 4, 19)), difference(uniform(6, 4, 19));
    exact.use_exact_hessian(true);
    const StiefelPair x = exact.guess(3);
    const StiefelPair eta = {uniform(6, 4, 20), uniform(4, 4, 21)};
    const BrockettProblem::Evaluation at_exact = exact.evaluate(x), at_difference = difference.evaluate(x);
    const StiefelPair a = exact.hessian(x, at_exact, eta), b = difference.hessian(x, at_difference, eta);
    CHECK(max_abs_diff(a.U, b.U) < 1e-12);
    CHECK(max_abs_diff(a.V, b.V) < 1e-12);
    const Matrix M = uniform(7, 5, 22);
    const SvdResult r = svd_by_descent(M, TrustRegionOptions{.hessian = HessianProducts::exact});
    CHECK(r.report.status == Status::converged);
    const std::vector<double> reference = lapack_svd(M).singular_values;
    for (std::size_t j = 0; j < reference.size(); ++j) CHECK(std::abs(r.singular_values[j] - reference[j]) < 1e-9 * reference[0]);
}

TEST_CASE("hvp: a tape moved over one that had run backward() sweeps its own recording") {
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    x.tangent = Matrix{{0.0}};
    y.tangent = Matrix{{1.0}};
    Tape first, second;
    first.constant(Matrix{{1.0}});
    backward(first.param(x) * pow(first.param(y), 5.0));  // z at node 4: its adjoints are on first
    second.constant(Matrix{{1.0}});
    first = std::move(second);
    x.zero_grad();
    y.zero_grad();
    hvp(first.param(x) * pow(first.param(y), 5.0));  // node 4 again, on what was second's recording
    CHECK(x.grad(0, 0) == 16807.0);
    CHECK(y.grad(0, 0) == 36015.0);
    CHECK(x.grad_tangent(0, 0) == 12005.0);  // ∂²z/∂x∂y = 5y⁴
    CHECK(y.grad_tangent(0, 0) == 20580.0);  // ∂²z/∂y² = 20x·y³
}
