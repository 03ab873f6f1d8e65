#pragma once
// Shapes and the one way tapegrad reports a shape mismatch: the operation, what it tried, and both shapes,
// e.g. "matmul: cannot multiply 5x4 by 5x4".
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tapegrad {

struct Shape {
    std::size_t rows = 0;
    std::size_t cols = 0;
    bool operator==(const Shape&) const = default;
    std::size_t size() const { return rows * cols; }
};

inline std::string to_string(Shape s) { return std::to_string(s.rows) + "x" + std::to_string(s.cols); }

// Builds the exception an operation throws on mismatched shapes: "<op>: <what> <a> <joiner> <b>".
inline std::invalid_argument shape_error(std::string_view op, std::string_view what, Shape a,
                                         std::string_view joiner, Shape b) {
    return std::invalid_argument(std::string(op) + ": " + std::string(what) + " " + to_string(a) + " " +
                                 std::string(joiner) + " " + to_string(b));
}

}  // namespace tapegrad
