#pragma once
// A matrix as the demos print it: whole when it is small, summarised as PyTorch does when it is large, its edge
// rows and columns with "..." between them, so that a 1000x1000 matrix is a screenful and not a megabyte.
#include <cstddef>
#include <string>

#include "autodiff/matrix.hpp"

namespace tapegrad::demo {

// Printed whole up to this many entries (PyTorch's threshold) and rows up to this many characters; beyond, the
// first and last summary_edge rows or columns.
constexpr std::size_t summary_threshold = 1000;
constexpr std::size_t summary_line_width = 120;
constexpr std::size_t summary_edge = 3;

// tapegrad::to_string(m) if m is small or full is set (--full); else the summary, e.g. for 64x64
//     [[ 0.1234,  0.5678,  0.9012, ...,  0.3456,  0.7890,  0.1234],
//      ...,
//      [ 0.4321, ...]]
std::string matrix_text(ConstMatrixRef m, bool full = false);

}  // namespace tapegrad::demo
