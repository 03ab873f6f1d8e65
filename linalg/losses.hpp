#pragma once
// The tutorial's two losses, written with the tape's ops so their gradients come from backward().
#include "autodiff/ops.hpp"

namespace tapegrad {

// Which product the inverse by descent drives to the identity.
enum class InverseVariant {
    right,  // mse(X·M, I), the tutorial's first form
    left,   // mse(M·X, I)
    both,   // (mse(X·M, I) + mse(M·X, I)) / 2
};

// mse(X·M, I), mse(M·X, I) or their average.
Var inverse_loss(const Var& X, const Var& M, const ConstMatrixRef& identity, InverseVariant variant);

// The tutorial's SVD loss for M ≈ U·diag(d²)·Vᵀ with U (m×k), d (1×k), V (n×k):
//   mse(U·diag(d²)·Vᵀ, M) + mse(UᵀU, I)/100 + mse(VᵀV, I)/100.
// Squaring d keeps the singular values non-negative. identity is the k×k identity, owned by the caller so the
// loss allocates nothing.
Var svd_penalty_loss(const Var& U, const Var& d, const Var& V, const ConstMatrixRef& M, const ConstMatrixRef& identity);

}  // namespace tapegrad
