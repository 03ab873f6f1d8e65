#pragma once
// The inverse of a square matrix M by gradient descent (part 1 of the tutorial): guess X, then improve it by
// minimising mse(X·M, I) (or mse(M·X, I), or their average).
#include "autodiff/matrix.hpp"
#include "linalg/descent.hpp"
#include "linalg/losses.hpp"

namespace tapegrad {

struct InverseOptions {
    InverseVariant variant = InverseVariant::right;
    DescentOptions descent{.max_iterations = 10000};  // the tutorial's: lr 0.9, momentum 0.9, 10,000 steps
};

struct InverseResult {
    Matrix inverse;
    DescentReport report;
};

std::string_view to_string(InverseVariant variant);
InverseVariant parse_inverse_variant(std::string_view name);  // "right" (X·M), "left" (M·X), "both"

// Throws std::invalid_argument for a non-square, empty or non-finite M.
InverseResult inverse_by_descent(const Matrix& M, const InverseOptions& options = {});

}  // namespace tapegrad
