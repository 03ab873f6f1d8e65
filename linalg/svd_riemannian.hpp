#pragma once
// The SVD by Riemannian optimisation of Brockett's cost (linalg/brockett.hpp) on St(m, k) × St(n, k): three
// methods that share the cost, its gradient from the tape, the projection and the retraction, and differ in
// how they choose a step. svd.hpp's svd_by_descent() calls them for SvdMethod::stiefel_descent, stiefel_cg and
// trust_region; docs/svd.md compares them.
#include "autodiff/matrix.hpp"
#include "linalg/svd.hpp"

namespace tapegrad {

// Steepest descent: step along minus the Riemannian gradient, with Barzilai–Borwein step sizes and a
// non-monotone Armijo backtracking search.
SvdResult svd_stiefel_descent(const Matrix& M, const SvdOptions& options);

// Conjugate gradients (Polak–Ribière+), directions carried between points by projection, Armijo backtracking.
SvdResult svd_stiefel_cg(const Matrix& M, const SvdOptions& options);

// Trust region: minimise a quadratic model (gradient and Hessian, both from the tape) within a radius by
// preconditioned truncated conjugate gradients, and adapt the radius to how well the model predicted.
SvdResult svd_trust_region(const Matrix& M, const SvdOptions& options);

}  // namespace tapegrad
