#include "linalg/losses.hpp"

namespace tapegrad {

Var inverse_loss(const Var& X, const Var& M, const ConstMatrixRef& identity, InverseVariant variant) {
    switch (variant) {
        case InverseVariant::right: return mse(matmul(X, M), identity);
        case InverseVariant::left: return mse(matmul(M, X), identity);
        case InverseVariant::both: return (mse(matmul(X, M), identity) + mse(matmul(M, X), identity)) / 2.0;
    }
    throw std::invalid_argument("inverse_loss: unknown variant");
}

Var svd_penalty_loss(const Var& U, const Var& d, const Var& V, const ConstMatrixRef& M, const ConstMatrixRef& identity) {
    // U * s with s a 1xk row scales U's columns: the same numbers as U·diag(s), in O(mk) instead of O(mk²).
    // matmul_transposed(A, V) is A·Vᵀ without copying Vᵀ.
    const Var USVt = matmul_transposed(U * square(d), V);
    // gram(U) is UᵀU as one node (see ops_linear.cpp).
    return mse(USVt, M) + mse(gram(U), identity) / 100.0 + mse(gram(V), identity) / 100.0;
}

}  // namespace tapegrad
