#pragma once
// The two matrix norms that are cheap to compute exactly, and bound the 2-norm: σ₁(M)² ≤ ‖M‖₁·‖M‖∞.
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

double norm_1(ConstMatrixRef m);    // the largest column sum of |m_ij|
double norm_1(ConstMatrixRef m, std::vector<double>& column_sums);  // the same, its sums in kept storage
double norm_inf(ConstMatrixRef m);  // the largest row sum of |m_ij|

}  // namespace tapegrad
