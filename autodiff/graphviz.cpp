#include "autodiff/graphviz.hpp"

#include <algorithm>
#include <cstdio>

namespace tapegrad {

namespace {

std::string number(const char* format, double x) {
    char text[32];
    std::snprintf(text, sizeof text, format, x);
    return text;
}

// In a Graphviz record label, { } | < > and " are structure and \ starts an escape: a name must escape them.
std::string escaped(const std::string& text) {
    std::string e;
    for (const char c : text) {
        if (c == '{' || c == '}' || c == '|' || c == '<' || c == '>' || c == '"' || c == '\\') e += '\\';
        e += c;
    }
    return e;
}

// A 1x1 matrix as its number; a larger one as rows of at most 4 entries, at most 4 rows, each line ending in \l
// (left-aligned in the box). Entries are padded to 10 characters with no-break spaces (Graphviz would merge
// plain ones), so in a monospace font the columns line up.
std::string entries(ConstMatrixRef m) {
    if (m.size() == 1) return number("%.6g", m.data[0]);
    std::string text = "\\l";
    for (std::size_t i = 0; i < std::min<std::size_t>(m.rows, 4); ++i) {
        const std::size_t cols = std::min<std::size_t>(m.cols, 4);
        for (std::size_t j = 0; j < cols; ++j) {
            const std::string entry = number("%.3g", m(i, j));
            text += entry;
            for (std::size_t pad = entry.size(); j + 1 < cols && pad < 10; ++pad) text += "\u00a0";
        }
        text += m.cols > 4 ? "…\\l" : "\\l";
    }
    return m.rows > 4 ? text + "⋮\\l" : text;
}

}  // namespace

std::string to_dot(const Var& output, const DotOptions& options) {
    const Tape& tape = output.tape();
    tape.node(output);  // throws for a Var of another recording
    // The nodes output was computed from: each node's inputs come before it on the tape, so one sweep backwards
    // from output finds them all.
    const std::uint32_t last = output.index();
    std::vector<bool> needed(last + 1, false);
    needed[last] = true;
    for (std::uint32_t i = last + 1; i-- > 0;) {
        const Node& n = tape.node(i);
        if (!needed[i]) continue;
        if (n.a != no_input) needed[n.a] = true;
        if (n.b != no_input) needed[n.b] = true;
    }

    std::string dot = "digraph tape {\n  rankdir=LR;\n  node [shape=record, fontname=\"DejaVu Sans Mono\", fontsize=11];\n"
                      "  edge [fontname=\"DejaVu Sans\", fontsize=10];\n";
    const auto id = [](std::uint32_t i) { return std::string("n").append(std::to_string(i)); };
    for (std::uint32_t i = 0; i <= last; ++i) {
        if (!needed[i]) continue;
        const Node& n = tape.node(i);
        std::string title = std::string("#").append(std::to_string(i));
        for (const auto& [var, name] : options.names)
            if (&tape.node(var) == &n) title.append(" ").append(name).append(" =");
        title.append(" ").append(n.op);
        if (n.scalar != 0.0) title.append(" ").append(number("%g", n.scalar));  // the op's constant: pow's 5
        std::string label = escaped(title) + " | " + to_string(n.value.shape()) + " | value " + entries(n.value);
        if (options.adjoints && n.grad) label += " | adjoint " + entries(n.grad);
        dot += "  " + id(i) + " [label=\"" + label + "\"];\n";
        // From input to output; with two inputs, which is a and which b (A·B is not B·A).
        const bool two = n.b != no_input;
        if (n.a != no_input) dot += "  " + id(n.a) + " -> " + id(i) + (two ? " [label=\"a\"]" : "") + ";\n";
        if (two) dot += "  " + id(n.b) + " -> " + id(i) + " [label=\"b\"];\n";
    }
    return dot + "}\n";
}

}  // namespace tapegrad
