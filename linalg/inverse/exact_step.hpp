#pragma once
// The exact step along a direction. The inverse's loss is quadratic in X: along any direction P,
//
//     loss(X + α·P) = loss(X) + α·⟨G, P⟩ + α²·c,    c = ‖P·M‖² / n²     (variant right)
//
// where G is the gradient at X and ⟨A, B⟩ = Σ a_ij·b_ij. Its minimum is at α = −⟨G, P⟩ / (2c): no learning rate
// to choose, and no scale of M to get wrong. (For variant left, c = ‖M·P‖² / n²; for both, the average of the two.)
//
// The loss is also a sum of independent problems: row i of X·M depends only on row i of X, so with variant right
// each row of X is a problem of its own and gets a step of its own. With variant left each column does. Variant
// both couples rows and columns: one problem, one step. A "block" below is one such problem.
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/losses.hpp"

namespace tapegrad {

// ⟨a, b⟩ of each block: one number per row (right), per column (left), or one in all (both).
std::vector<double> block_dots(const Matrix& a, const Matrix& b, InverseVariant variant);
// The same into `dots`, which keeps its storage (no allocation once it has held as many blocks).
void block_dots(ConstMatrixRef a, ConstMatrixRef b, InverseVariant variant, std::vector<double>& dots);

// x += steps[block]·p, block by block.
void add_steps(MatrixRef x, const std::vector<double>& steps, ConstMatrixRef p, InverseVariant variant);
inline void add_steps(Matrix& x, const std::vector<double>& steps, ConstMatrixRef p, InverseVariant variant) {
    add_steps(x.ref(), steps, p, variant);
}

// How the product driven to I changes along P: P·M for variant right, M·P for left. (Both has two; see curvatures.)
Matrix image(const Matrix& P, const Matrix& M, InverseVariant variant);

// The c of each block above.
std::vector<double> curvatures(const Matrix& P, const Matrix& M, InverseVariant variant);

// α = −⟨G, P⟩ / (2c) for each block; 0 where c is 0 (P is 0 there, or M sends it to 0).
std::vector<double> exact_steps(const Matrix& G, const Matrix& P, const std::vector<double>& curvature,
                                InverseVariant variant);
// The same into `steps` (no allocation once it has held as many blocks).
void exact_steps(const Matrix& G, const Matrix& P, const std::vector<double>& curvature, InverseVariant variant,
                 std::vector<double>& steps);

}  // namespace tapegrad
