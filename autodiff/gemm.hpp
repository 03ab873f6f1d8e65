#pragma once
// The matrix products every op and solver leans on. C = alpha·op(A)·op(B) + beta·C, BLAS's contract:
// op(X) is X or Xᵀ, and beta = 0 overwrites C (whatever it held). Small products run a plain loop of our own,
// large ones OpenBLAS's dgemm; the crossover was chosen by measurement (bench: gemm_crossover). A large A times a
// B of a few columns runs gemm_thin, below.
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

// A product of a large A with a B of at most thin_columns columns, C = alpha·op(A)·B + beta·C: the truncated
// SVD's A·V and Aᵀ·U, with A thousands by thousands and k a few. dgemm copies all of A into its packed layout on
// every call, as much memory traffic again as the product (a third of `--rank 5`'s time at 2000×1000); here A
// is read once, in place. gemm takes this path for an A of thin_from entries or more: timed against dgemm (one
// thread, OpenBLAS 0.3.21, AMD EPYC with AVX-512; m×m/2 A, k = 1, 5, 8 columns, A·B and Aᵀ·B), thin ÷ dgemm was
// 0.59-1.16 at 5,000 entries, 0.48-0.68 at 20,000, 0.32-0.71 from 80,000 to 2,000,000.
inline constexpr std::size_t thin_columns = 8;
inline constexpr std::size_t thin_from = 1 << 14;

// The path gemm takes for C = alpha·op(A)·op(B) + beta·C: a B of a few columns times a large A runs gemm_thin, a
// product of m·n·k >= blas_threshold BLAS, anything smaller our loops. A function of its own so that tests can pin
// the crossovers, and inline: gemm asks it on every product.
enum class GemmPath { loops, thin, blas };
inline GemmPath gemm_path(const ConstMatrixRef& a, Trans ta, Trans tb, const MatrixRef& c) {
    const std::size_t k = ta == Trans::No ? a.cols : a.rows;
    if (tb == Trans::No && c.cols <= thin_columns && a.size() >= thin_from) return GemmPath::thin;
    return c.rows * c.cols * k >= blas_threshold ? GemmPath::blas : GemmPath::loops;
}

// The paths, callable directly so tests can hold them to each other and benchmarks can time them.
void gemm_loops(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha,
                double beta);
void gemm_blas(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha,
               double beta);
void gemm_thin(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, const MatrixRef& c, double alpha,
               double beta);  // B not transposed

// C = alpha·AᵀA + beta·C (the Gram matrix; BLAS's dsyrk). Symmetric, so only half of it is computed.
void gram(const ConstMatrixRef& a, const MatrixRef& c, double alpha = 1.0, double beta = 0.0);

}  // namespace tapegrad
