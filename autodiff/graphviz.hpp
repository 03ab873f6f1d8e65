#pragma once
// A recorded tape drawn as a graph, as micrograd's draw_dot draws its expression graph: Graphviz DOT text with a
// box per node (its place on the tape, its name if given, the op that made it, its shape, its value and, after
// backward, its adjoint) and an arrow from each input to the node made from it. `dot -Tsvg` draws it
// (io/plot.hpp's draw_graph).
//
//     const Var X = tape.param(x), Y = tape.param(y), z = X * pow(Y, 5.0);
//     backward(z);
//     const std::string dot = to_dot(z, {.names = {{X, "x"}, {Y, "y"}, {z, "z"}}, .adjoints = true});
#include <string>
#include <utility>
#include <vector>

#include "autodiff/tape.hpp"

namespace tapegrad {

struct DotOptions {
    std::vector<std::pair<Var, std::string>> names{};  // names for some nodes, shown in their boxes
    bool adjoints = false;  // show each node's adjoint: only after backward(output), which computes them
};

// The graph of `output` and every node it was computed from, in the order they were recorded. A matrix shows at
// most 4×4 of its entries. Throws std::logic_error, as Tape::node does, for a Var of a cleared recording.
std::string to_dot(const Var& output, const DotOptions& options = {});

}  // namespace tapegrad
