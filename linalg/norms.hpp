#pragma once
// The two matrix norms that are cheap to compute exactly, and bound the 2-norm: σ₁(M)² ≤ ‖M‖₁·‖M‖∞.
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

double norm_1(ConstMatrixRef m);    // the largest column sum of |m_ij|
double norm_1(ConstMatrixRef m, std::vector<double>& column_sums);  // the same, its sums in kept storage
double norm_inf(ConstMatrixRef m);  // the largest row sum of |m_ij|

// m_ij·2^e for every entry, exactly as std::ldexp rounds it (the product by a power of two is exact but where it is
// subnormal, and rounded there as ldexp rounds), at the cost of a product: what the SVD's scaling of M to keep
// its norms from overflowing uses, where ldexp per entry took longer than a product with M.
void scale_by_power_of_two(MatrixRef m, int e);

}  // namespace tapegrad
