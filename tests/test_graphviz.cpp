// The tape as Graphviz DOT (autodiff/graphviz.hpp): the nodes an output depends on, with their values and
// adjoints, and an arrow from each input.
#include <doctest/doctest.h>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"

using namespace tapegrad;
using testing::error_message;

using tapegrad::testing::contains;

namespace {

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("to_dot: z = x·y⁵, its four nodes, three arrows, and after backward the adjoints") {
    Tape tape;
    Parameter x(Matrix{{3.0}}), y(Matrix{{7.0}});
    tape.param(x) + 1.0;  // on the tape, but z does not depend on it
    const Var X = tape.param(x), Y = tape.param(y), z = X * pow(Y, 5.0);
    const DotOptions names{.names = {{X, "x"}, {Y, "y"}, {z, "z"}}};
    const std::string before = to_dot(z, names);
    CHECK(contains(before, "n2 [label=\"#2 x = param | 1x1 | value 3\"];"));
    CHECK(contains(before, "n4 [label=\"#4 pow 5 | 1x1 | value 16807\"];"));
    CHECK(contains(before, "n5 [label=\"#5 z = multiply | 1x1 | value 50421\"];"));
    CHECK_FALSE(contains(before, "adjoint"));
    CHECK_FALSE(contains(before, "n0 "));  // the node z does not depend on is left out, and so is its input
    CHECK_FALSE(contains(before, "n1 "));
    CHECK(contains(before, "n3 -> n4;"));
    CHECK(contains(before, "n2 -> n5 [label=\"a\"];"));
    CHECK(contains(before, "n4 -> n5 [label=\"b\"];"));
    CHECK(count(before, " -> ") == 3);

    backward(z);
    const std::string after = to_dot(z, {.names = names.names, .adjoints = true});
    CHECK(contains(after, "#2 x = param | 1x1 | value 3 | adjoint 16807\""));  // ∂z/∂x = y⁵
    CHECK(contains(after, "#3 y = param | 1x1 | value 7 | adjoint 36015\""));  // ∂z/∂y = 5xy⁴
    CHECK(contains(after, "#4 pow 5 | 1x1 | value 16807 | adjoint 3\""));      // ∂z/∂(y⁵) = x
    CHECK(contains(after, "#5 z = multiply | 1x1 | value 50421 | adjoint 1\""));
    CHECK(count(after, "[label=") == 4 + 2);  // four boxes, two labelled arrows
    CHECK(after.rfind("digraph tape {", 0) == 0);
    CHECK(after.substr(after.size() - 2) == "}\n");
}

TEST_CASE("to_dot: a matrix shows at most 4x4 entries; constants have no adjoint; names are escaped") {
    Tape tape;
    Parameter w(testing::uniform(5, 6, 1));
    const Var W = tape.param(w), C = tape.constant(Matrix::ones(6, 1));
    const Var loss = sum(matmul(W, C));
    backward(loss);
    const std::string dot = to_dot(loss, {.names = {{W, "W|{x}"}}, .adjoints = true});
    CHECK(contains(dot, "#0 W\\|\\{x\\} = param | 5x6 | value \\l"));
    CHECK(count(dot, "…\\l") == 2 * 4);  // W's value and adjoint: 4 rows of 6 columns, cut
    CHECK(count(dot, "⋮\\l") == 5);      // ... of 5 rows, cut; and C's 6 rows, W·C's 5 (value and adjoint)
    CHECK(contains(dot, "#1 constant | 6x1 | value \\l1\\l1\\l1\\l1\\l⋮\\l\"]"));  // no adjoint field
    CHECK(contains(dot, "#3 sum | 1x1 | value "));
}

TEST_CASE("to_dot: a Var of a cleared recording is an error, not a crash") {
    Tape tape;
    Parameter x(Matrix{{1.0}});
    const Var y = square(tape.param(x));
    tape.clear();
    CHECK(contains(error_message([&] { to_dot(y); }), "used after its tape was cleared"));
}
