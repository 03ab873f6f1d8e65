#pragma once
// The input checks every solver makes, in one vocabulary (after Stan Math's check_*). Each throws
// std::invalid_argument with a message that starts with the function being called and says what is wrong:
//
//   svd_by_descent: the matrix is empty (0x0)
//   inverse_by_descent: needs a square matrix, got 4x3
//   conjugate_gradient: tolerance must be >= 0, got -1
#include <string>

#include "autodiff/matrix.hpp"

namespace tapegrad {

void check_nonempty(const char* who, const Matrix& M);
void check_finite(const char* who, const Matrix& M);  // names the first entry that is NaN or Inf
void check_square(const char* who, const Matrix& M);

void check_positive(const char* who, const char* name, double value);     // finite and > 0
void check_nonnegative(const char* who, const char* name, double value);  // finite and >= 0
void check_nonnegative(const char* who, const char* name, long value);
void check_half_open(const char* who, const char* name, double value, double low, double high);    // in [low, high)
void check_open_closed(const char* who, const char* name, double value, double low, double high);  // in (low, high]

// x to 3 significant digits, as messages print numbers: "1.48e-31", "0.9".
std::string brief(double x);

}  // namespace tapegrad
