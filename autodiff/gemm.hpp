#pragma once
// The matrix products every op and solver leans on. C = alpha·op(A)·op(B) + beta·C, BLAS's contract:
// op(X) is X or Xᵀ, and beta = 0 overwrites C (whatever it held). Small products run a plain loop of our own,
// large ones OpenBLAS's dgemm; the crossover was chosen by measurement (bench: gemm_crossover).
#include <cstddef>

#include "autodiff/matrix.hpp"

namespace tapegrad {

enum class Trans { No, Yes };

// m·n·k at and above which gemm hands the product to OpenBLAS. Below it, the cost of calling into BLAS
// (argument checks, packing) outweighs its faster inner kernel. Measured with bench's gemm_crossover (n×n×n,
// one thread, OpenBLAS 0.3.21 on an AMD EPYC with AVX-512, --benchmark_min_time=0.2), our loops' time over
// BLAS's:  n = 6: NN 1.06, NT 0.81, TN 0.91;  n = 8: NN 1.29, NT 1.13, TN 1.01;  n = 24: NN 3.2, NT 3.7, TN 2.1.
// So BLAS wins every case from 8³ (under the old 24³, products from 8³ up ran up to 3.7x slower). gram's dsyrk,
// timed against a copy of its loops, draws level at n = 8 too (140 ns vs 149 ns).
inline constexpr std::size_t blas_threshold = 8 * 8 * 8;

// The views are taken by reference, unlike elsewhere: a view is 24 bytes, so by value it goes through the stack,
// and the compiler copies one there with a 16-byte load that spans two 8-byte stores just made (a view built for
// the call), which the CPU cannot forward from the stores: some ten cycles per operand, on every small product
// of a tape's step (issue 12). By reference, the callee reads each field with a load of its own.
void gemm(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha = 1.0,
          double beta = 0.0);

// The two paths, callable directly so tests can hold them to each other and benchmarks can time them.
void gemm_loops(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha,
                double beta);
void gemm_blas(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha,
               double beta);

// C = alpha·AᵀA + beta·C (the Gram matrix; BLAS's dsyrk). Symmetric, so only half of it is computed.
void gram(const ConstMatrixRef& a, const MatrixRef& c, double alpha = 1.0, double beta = 0.0);

}  // namespace tapegrad
