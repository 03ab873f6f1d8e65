#pragma once
// The singular value decomposition M = U·diag(σ)·Vᵀ by gradient descent (part 2 of the tutorial).
//
// Method `penalty` (the tutorial's): parameters U (m×k), d (1×k) and V (n×k), k = min(m, n), σ = d²; minimise
//   mse(U·diag(d²)·Vᵀ, M) + mse(UᵀU, I)/100 + mse(VᵀV, I)/100
// from a seeded uniform guess. Wide matrices (m < n) need nothing special: k = m, U is square and V is n×m.
// Afterwards the values are sorted in descending order, with U's and V's columns permuted to match, and each
// column pair's sign is fixed by one rule: the entry of largest magnitude in each column of U is positive
// (flipping u_j and v_j together leaves U·diag(σ)·Vᵀ unchanged).
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/descent.hpp"

namespace tapegrad {

enum class SvdMethod {
    penalty,  // the tutorial's loss, with soft orthogonality penalties
};

std::string_view to_string(SvdMethod method);
SvdMethod parse_svd_method(std::string_view name);

struct SvdOptions {
    SvdMethod method = SvdMethod::penalty;
    DescentOptions descent{.max_iterations = 20000};  // the tutorial's: lr 0.9, momentum 0.9, 20,000 steps
};

struct SvdResult {
    Matrix U;                             // m×k
    std::vector<double> singular_values;  // k values, descending
    Matrix V;                             // n×k
    DescentReport report;
};

// Throws std::invalid_argument for an empty or non-finite M.
SvdResult svd_by_descent(const Matrix& M, const SvdOptions& options = {});

// Sorts the values descending (permuting U's and V's columns alike) and applies the sign rule above.
void sort_and_fix_signs(Matrix& U, std::vector<double>& singular_values, Matrix& V);

}  // namespace tapegrad
