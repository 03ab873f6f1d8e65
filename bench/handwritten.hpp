#pragma once
// The tutorial's two losses (linalg/losses.hpp) with their gradients derived by hand and computed without the
// tape: the cost floor the tape is measured against (bench: *_step_handwritten), and an independent derivation
// the tests hold the tape to (tests/test_handwritten.cpp).
//
// Both functions return the loss and *write* the gradients, overwriting whatever the outputs held (the tape
// adds into .grad instead): a floor should not pay for zeroing, and a caller that wants accumulation can add.
// Every intermediate lives in a workspace allocated once for the problem's shape, so a call never touches the
// heap. Small problems run fused dot-product loops, large ones BLAS through tapegrad::gemm and tapegrad::gram.
#include <cstddef>

#include "autodiff/matrix.hpp"
#include "linalg/losses.hpp"

namespace tapegrad {

// Scratch for svd_penalty_loss_and_gradient with M of shape m×n (k = min(m, n)).
struct SvdWorkspace {
    SvdWorkspace(std::size_t m, std::size_t n);

    Matrix s;   // 1×k: d², the singular values
    Matrix US;  // m×k: U·diag(s)
    Matrix R;   // m×n: the residual U·diag(s)·Vᵀ − M
    Matrix EU;  // k×k: UᵀU − I
    Matrix EV;  // k×k: VᵀV − I
    Matrix RV;  // m×k: R·V (the BLAS path; the dot-product path never stores it)
};

// L = mse(U·diag(d²)·Vᵀ, M) + mse(UᵀU, I)/100 + mse(VᵀV, I)/100, the same number as svd_penalty_loss, with
// U m×k, d 1×k, V n×k. Writes ∂L/∂U, ∂L/∂d, ∂L/∂V into dU, dd, dV (shaped like U, d, V). With S = diag(d²),
// R = U·S·Vᵀ − M, N = m·n and E_X = XᵀX − I:
//   ∂L/∂U   = (2/N)·R·V·S  + (4/(100k²))·U·E_U
//   ∂L/∂V   = (2/N)·Rᵀ·U·S + (4/(100k²))·V·E_V
//   ∂L/∂d_j = (2/N)·2d_j·(Uᵀ·R·V)_jj
// (The penalty's 4: mse(XᵀX, I)/100 = ‖E_X‖²/(100k²) has adjoint 2E_X/(100k²) at XᵀX, and XᵀX's rule
// turns a symmetric adjoint G into 2X·G.)
double svd_penalty_loss_and_gradient(const Matrix& U, const Matrix& d, const Matrix& V, const Matrix& M,
                                     SvdWorkspace& ws, Matrix& dU, Matrix& dd, Matrix& dV);

// Scratch for inverse_loss_and_gradient with M of shape n×n.
struct InverseWorkspace {
    explicit InverseWorkspace(std::size_t n);

    Matrix right;  // X·M − I
    Matrix left;   // M·X − I
};

// L = inverse_loss(X, M, I, variant) for square X and M, and ∂L/∂X written into dX. With N = n²:
//   right: L = mse(X·M, I),                    ∂L/∂X = (2/N)·(X·M − I)·Mᵀ
//   left:  L = mse(M·X, I),                    ∂L/∂X = (2/N)·Mᵀ·(M·X − I)
//   both:  L = (mse(X·M, I) + mse(M·X, I))/2,  ∂L/∂X = (1/N)·((X·M − I)·Mᵀ + Mᵀ·(M·X − I))
double inverse_loss_and_gradient(const Matrix& X, const Matrix& M, InverseVariant variant, InverseWorkspace& ws,
                                 Matrix& dX);

}  // namespace tapegrad
