// gradcheck itself: it passes true gradients, catches a wrong rule and names the element, and it checks
// the two losses the tutorial differentiates.
#include <doctest/doctest.h>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"
#include "linalg/losses.hpp"

using namespace tapegrad;
using testing::uniform;

namespace {

// An op with a deliberately wrong rule: y = x², with dy/dx = 2x everywhere except entry 3, where it says 3x.
Var square_with_a_bug(const Var& x) {
    static constexpr Rules rules{
        [](Tape& t, const Node& n) {
            const MatrixRef dx = t.grad(n.a);
            const ConstMatrixRef v = t.value(n.a);
            for (std::size_t k = 0; k < dx.size(); ++k) dx.data[k] += n.grad.data[k] * (k == 3 ? 3.0 : 2.0) * v.data[k];
        },
        [](Tape& t, const Node& n) {
            const MatrixRef tx = t.tangent(n.a), ty = t.tangent(n);
            const ConstMatrixRef v = t.value(n.a);
            for (std::size_t k = 0; k < ty.size(); ++k) ty.data[k] += 2.0 * v.data[k] * tx.data[k];
        }};
    auto [out, node] = record("square_with_a_bug", x.shape(), rules, x);
    for (std::size_t k = 0; k < node.value.size(); ++k) node.value.data[k] = x.value().data[k] * x.value().data[k];
    return out;
}

}  // namespace

TEST_CASE("gradcheck: catches a wrong rule and reports the worst element") {
    Parameter x(uniform(2, 3, 1, 0.5, 1.0));
    const GradcheckResult r = gradcheck([&](Tape& t) { return square_with_a_bug(t.param(x)); }, {&x});
    CHECK_FALSE(r.passed);
    CHECK(r.row == 1);
    CHECK(r.col == 0);
    CHECK(r.analytic / r.numeric == doctest::Approx(1.5));
    CHECK(r.message.find("parameter 0 entry (1, 0)") != std::string::npos);
}

TEST_CASE("gradcheck: leaves values and gradients as they were") {
    Parameter x(uniform(3, 3, 2));
    x.grad.fill(42.0);
    const Matrix before = x.value;
    const GradcheckResult r = gradcheck([&](Tape& t) { return sum(sin(t.param(x))); }, {&x});
    CHECK(r.passed);
    CHECK(r.worst_ratio < 0.01);
    CHECK(x.value == before);
    CHECK(x.grad == Matrix(3, 3, 42.0));
}

TEST_CASE("gradcheck: the tutorial's inverse loss, all three variants") {
    const Matrix M = uniform(4, 4, 3, 0.0, 1.0), I = Matrix::identity(4);
    for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both}) {
        Parameter X(uniform(4, 4, 4, 0.0, 1.0));
        const GradcheckResult r =
            gradcheck([&](Tape& t) { return inverse_loss(t.param(X), t.constant(M), I, v); }, {&X});
        CHECK_MESSAGE(r.passed, r.message);
    }
}

TEST_CASE("gradcheck: the tutorial's SVD loss on tall, square and wide shapes") {
    for (const Shape s : {Shape{5, 4}, Shape{4, 4}, Shape{3, 5}, Shape{1, 1}}) {
        const std::size_t k = std::min(s.rows, s.cols);
        const Matrix M = uniform(s.rows, s.cols, 5, 0.0, 1.0), I = Matrix::identity(k);
        Parameter U(uniform(s.rows, k, 6, 0.0, 1.0)), d(uniform(1, k, 7, 0.0, 1.0)), V(uniform(s.cols, k, 8, 0.0, 1.0));
        const GradcheckResult r = gradcheck(
            [&](Tape& t) { return svd_penalty_loss(t.param(U), t.param(d), t.param(V), M, I); }, {&U, &d, &V});
        CHECK_MESSAGE(r.passed, r.message);
    }
}

TEST_CASE("gradcheck: a composed expression through every kind of op") {
    Parameter A(uniform(3, 4, 9)), b(uniform(1, 4, 10)), c(uniform(4, 1, 11, 0.5, 1.5));
    const GradcheckResult r = gradcheck(
        [&](Tape& t) {
            const Var a = t.param(A), row = t.param(b), col = t.param(c);
            const Var h = tanh(matmul(a + row, col));                      // 3x1
            const Var s = exp(-square(h)) / (1.0 + log(sum(col) + 1.0));   // 3x1 over a 1x1
            return mean(s) + dot(diagonal(gram(a)), row) + sum(relu(a) * cos(a) - pow(transpose(col), 2.0));
        },
        {&A, &b, &c});
    CHECK_MESSAGE(r.passed, r.message);
}

TEST_CASE("the SVD loss: U * d² broadcasts to the same numbers as U·diag(d²)") {
    Tape t;
    Parameter U(uniform(5, 4, 12)), d(uniform(1, 4, 13));
    const Var u = t.param(U), dd = t.param(d);
    const Var broadcast = u * square(dd), product = matmul(u, diag(square(dd)));
    CHECK(max_abs_diff(broadcast.value(), product.value()) < 1e-15);
}
