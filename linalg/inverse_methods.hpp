#pragma once
// The methods behind inverse_by_descent, one file each. Each takes a square, finite M that inverse_by_descent has
// scaled to ‖M‖₁‖M‖∞ ≈ 1; call inverse_by_descent rather than these.
#include "linalg/inverse.hpp"

namespace tapegrad {

InverseResult inverse_by_scaled_descent(const Matrix& M, const InverseOptions& options);   // inverse_scaled_descent.cpp
InverseResult inverse_by_line_search(const Matrix& M, const InverseOptions& options);      // inverse_line_search.cpp
InverseResult inverse_by_conjugate_gradient(const Matrix& M, const InverseOptions& options);  // inverse_cg.cpp
InverseResult inverse_by_newton_schulz(const Matrix& M, const InverseOptions& options);    // newton_schulz.cpp

}  // namespace tapegrad
