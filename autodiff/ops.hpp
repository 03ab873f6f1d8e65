#pragma once
// Every differentiable operation, one line each. Each op's derivative rule sits beside its forward code in the
// .cpp named in the section heading. G is the adjoint of the result (∂L/∂z), "+=" because a variable used
// twice collects a share from each use.
//
// Elementwise binary ops broadcast like PyTorch: a dimension of size 1 stretches to match the other operand
// (U * s with s a 1xk row scales U's columns); the rule sums the adjoint back over the stretched dimension.
#include "autodiff/tape.hpp"

namespace tapegrad {

// --- ops_elementwise.cpp: arithmetic and elementwise functions ---
Var operator+(const Var& a, const Var& b);  // d/da = G,      d/db = G
Var operator-(const Var& a, const Var& b);  // d/da = G,      d/db = -G
Var operator*(const Var& a, const Var& b);  // d/da = G·b,    d/db = G·a        (elementwise product)
Var operator/(const Var& a, const Var& b);  // d/da = G/b,    d/db = -G·a/b²
Var operator-(const Var& x);                // d/dx = -G
Var operator+(const Var& x, double c);      // d/dx = G
Var operator+(double c, const Var& x);      // d/dx = G
Var operator-(const Var& x, double c);      // d/dx = G
Var operator-(double c, const Var& x);      // d/dx = -G
Var operator*(double c, const Var& x);      // d/dx = c·G
Var operator*(const Var& x, double c);      // d/dx = c·G
Var operator/(const Var& x, double c);      // d/dx = G/c
Var square(const Var& x);                   // d/dx = 2x·G
Var pow(const Var& x, double p);            // d/dx = p·x^(p-1)·G
Var sin(const Var& x);                      // d/dx = cos(x)·G
Var cos(const Var& x);                      // d/dx = -sin(x)·G
Var exp(const Var& x);                      // d/dx = exp(x)·G
Var log(const Var& x);                      // d/dx = G/x
Var tanh(const Var& x);                     // d/dx = (1 - tanh²x)·G
Var relu(const Var& x);                     // d/dx = [x > 0]·G

// --- ops_linear.cpp: products and reshaping ---
Var matmul(const Var& a, const Var& b);  // the matrix product A·B: d/dA = G·Bᵀ, d/dB = Aᵀ·G
Var matmul_transposed(const Var& a, const Var& b);  // A·Bᵀ, no copy of Bᵀ: d/dA = G·B, d/dB = Gᵀ·A
Var transpose(const Var& x);             // d/dX = Gᵀ
Var gram(const Var& x);                  // XᵀX as one node: d/dX = X·(G + Gᵀ)
Var diag(const Var& v);                  // vector (row or column) → diagonal matrix: d/dv_i = G_ii
Var diagonal(const Var& x);              // matrix → its diagonal as a 1xk row: d/dX_ii = G_i

// --- ops_reduce.cpp: reductions to a 1x1 result ---
Var sum(const Var& x);                            // d/dx = G
Var mean(const Var& x);                           // d/dx = G/N
Var dot(const Var& a, const Var& b);              // vectors of equal length: d/da = G·b, d/db = G·a
Var mse(const Var& a, const Var& b);              // mean((a-b)²): d/da = 2G(a-b)/N, d/db = -2G(a-b)/N
Var mse(const Var& a, ConstMatrixRef target);     // the same with a constant target, no node for it

}  // namespace tapegrad
