#pragma once
// Every differentiable operation, one line each, with its reverse rule (left) and its tangent rule (right).
// Each op's rules sit beside its forward code in the .cpp named in the section heading. G is the adjoint of the
// result (∂L/∂z), "+=" because a variable used twice collects a share from each use; a dot is a tangent, the
// derivative along a direction (ż for z). The curvature rule, for Hessian-vector products, is the reverse
// rule's own derivative along the tangents; it is in the .cpp, and exists only for ops that are not linear.
//
// Elementwise binary ops broadcast like PyTorch: a dimension of size 1 stretches to match the other operand
// (U * s with s a 1xk row scales U's columns); the rule sums the adjoint back over the stretched dimension.
#include "autodiff/tape.hpp"

namespace tapegrad {

// --- ops_elementwise.cpp: arithmetic and elementwise functions ---
Var operator+(const Var& a, const Var& b);  // d/da = G,      d/db = G         ż = ȧ + ḃ
Var operator-(const Var& a, const Var& b);  // d/da = G,      d/db = -G        ż = ȧ - ḃ
Var operator*(const Var& a, const Var& b);  // d/da = G·b,    d/db = G·a       ż = ȧ·b + a·ḃ  (elementwise)
Var operator/(const Var& a, const Var& b);  // d/da = G/b,    d/db = -G·a/b²   ż = ȧ/b - a·ḃ/b²
Var operator-(const Var& x);                // d/dx = -G                      ẏ = -ẋ
Var operator+(const Var& x, double c);      // d/dx = G                       ẏ = ẋ
Var operator+(double c, const Var& x);      // d/dx = G                       ẏ = ẋ
Var operator-(const Var& x, double c);      // d/dx = G                       ẏ = ẋ
Var operator-(double c, const Var& x);      // d/dx = -G                      ẏ = -ẋ
Var operator*(double c, const Var& x);      // d/dx = c·G                     ẏ = c·ẋ
Var operator*(const Var& x, double c);      // d/dx = c·G                     ẏ = c·ẋ
Var operator/(const Var& x, double c);      // d/dx = G/c                     ẏ = ẋ/c
Var operator/(double c, const Var& x);      // d/dx = -c·G/x²                 ẏ = -c·ẋ/x²
// A Var and a constant matrix (data, a target): the matrix is recorded as tape.constant(m) first, then the op
// above, with its broadcasting.
Var operator+(const Var& a, ConstMatrixRef b);
Var operator+(ConstMatrixRef a, const Var& b);
Var operator-(const Var& a, ConstMatrixRef b);
Var operator-(ConstMatrixRef a, const Var& b);
Var operator*(const Var& a, ConstMatrixRef b);
Var operator*(ConstMatrixRef a, const Var& b);
Var operator/(const Var& a, ConstMatrixRef b);
Var operator/(ConstMatrixRef a, const Var& b);
Var square(const Var& x);                   // d/dx = 2x·G                    ẏ = 2x·ẋ
Var pow(const Var& x, double p);            // d/dx = p·x^(p-1)·G             ẏ = p·x^(p-1)·ẋ
Var sin(const Var& x);                      // d/dx = cos(x)·G                ẏ = cos(x)·ẋ
Var cos(const Var& x);                      // d/dx = -sin(x)·G               ẏ = -sin(x)·ẋ
Var exp(const Var& x);                      // d/dx = exp(x)·G                ẏ = exp(x)·ẋ
Var log(const Var& x);                      // d/dx = G/x                     ẏ = ẋ/x
Var tanh(const Var& x);                     // d/dx = (1 - tanh²x)·G          ẏ = (1 - tanh²x)·ẋ
Var relu(const Var& x);                     // d/dx = [x > 0]·G               ẏ = [x > 0]·ẋ

// --- ops_linear.cpp: products and reshaping ---
Var matmul(const Var& a, const Var& b);  // the matrix product A·B: d/dA = G·Bᵀ, d/dB = Aᵀ·G;  Ż = Ȧ·B + A·Ḃ
Var matmul_transposed(const Var& a, const Var& b);  // A·Bᵀ, no copy of Bᵀ: d/dA = G·B, d/dB = Gᵀ·A;  Ż = Ȧ·Bᵀ + A·Ḃᵀ
Var transpose(const Var& x);             // d/dX = Gᵀ;                  Ż = Ẋᵀ
Var gram(const Var& x);                  // XᵀX as one node: d/dX = X·(G + Gᵀ);  Ż = ẊᵀX + XᵀẊ
Var diag(const Var& v);                  // vector (row or column) → diagonal matrix: d/dv_i = G_ii;  Ż = diag(v̇)
Var diagonal(const Var& x);              // matrix → its diagonal as a 1xk row: d/dX_ii = G_i;  ż = diagonal(Ẋ)

// --- ops_reduce.cpp: reductions to a 1x1 result ---
Var sum(const Var& x);                                // d/dx = G;                ż = Σẋ
Var mean(const Var& x);                               // d/dx = G/N;              ż = Σẋ/N
Var dot(const Var& a, const Var& b);                  // vectors of equal length: d/da = G·b, d/db = G·a;  ż = ȧ·b + a·ḃ
Var mse(const Var& a, const Var& b);                  // mean((a-b)²): d/da = 2G(a-b)/N, d/db = -2G(a-b)/N;  ż = 2⟨a-b, ȧ-ḃ⟩/N
Var mse(const Var& a, const ConstMatrixRef& target);  // the same with a constant target, no node for it

}  // namespace tapegrad
