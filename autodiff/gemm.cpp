#include "autodiff/gemm.hpp"

#include <cblas.h>

#include <algorithm>

namespace tapegrad {

static Shape op_shape(ConstMatrixRef x, Trans t) { return t == Trans::No ? x.shape() : Shape{x.cols, x.rows}; }

static void check_gemm(ConstMatrixRef a, Trans ta, ConstMatrixRef b, Trans tb, MatrixRef c) {
    const Shape sa = op_shape(a, ta), sb = op_shape(b, tb);
    if (sa.cols != sb.rows) throw shape_error("gemm", "cannot multiply", sa, "by", sb);
    if (c.rows != sa.rows || c.cols != sb.cols)
        throw shape_error("gemm", "cannot store the product of", sa, "and " + to_string(sb) + " in", c.shape());
}

// C = beta·C, where beta = 0 means "overwrite" (so stale NaNs in C never leak through).
static void scale_into(MatrixRef c, double beta) {
    if (beta == 0.0)
        std::fill(c.data, c.data + c.size(), 0.0);
    else if (beta != 1.0)
        for (std::size_t k = 0; k < c.size(); ++k) c.data[k] *= beta;
}

void gemm_loops(ConstMatrixRef a, Trans ta, ConstMatrixRef b, Trans tb, MatrixRef c, double alpha, double beta) {
    check_gemm(a, ta, b, tb, c);
    const std::size_t m = c.rows, n = c.cols, k = ta == Trans::No ? a.cols : a.rows;
    scale_into(c, beta);
    // Raw pointers marked __restrict: C never overlaps A or B, so the compiler vectorises the inner loops
    // without first checking for overlap (which costs more than the work at these sizes).
    const double* __restrict A = a.data;
    const double* __restrict B = b.data;
    double* __restrict C = c.data;
    const std::size_t lda = a.cols, ldb = b.cols;
    // Loop orders keep the innermost loop on contiguous memory.
    if (ta == Trans::No && tb == Trans::No) {  // C(i,j) += A(i,p)·B(p,j): i, p, j
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t p = 0; p < k; ++p) {
                const double aip = alpha * A[i * lda + p];
                for (std::size_t j = 0; j < n; ++j) C[i * n + j] += aip * B[p * ldb + j];
            }
    } else if (ta == Trans::Yes && tb == Trans::No) {  // C(i,j) += A(p,i)·B(p,j): p, i, j
        for (std::size_t p = 0; p < k; ++p)
            for (std::size_t i = 0; i < m; ++i) {
                const double api = alpha * A[p * lda + i];
                for (std::size_t j = 0; j < n; ++j) C[i * n + j] += api * B[p * ldb + j];
            }
    } else if (ta == Trans::No && tb == Trans::Yes) {  // C(i,j) += A(i,p)·B(j,p): a dot product of two rows
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                double sum = 0.0;
                for (std::size_t p = 0; p < k; ++p) sum += A[i * lda + p] * B[j * ldb + p];
                C[i * n + j] += alpha * sum;
            }
    } else {  // C(i,j) += A(p,i)·B(j,p): rare, kept simple
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                double sum = 0.0;
                for (std::size_t p = 0; p < k; ++p) sum += A[p * lda + i] * B[j * ldb + p];
                C[i * n + j] += alpha * sum;
            }
    }
}

static CBLAS_TRANSPOSE to_cblas(Trans t) { return t == Trans::No ? CblasNoTrans : CblasTrans; }

static blasint to_blasint(std::size_t n) { return static_cast<blasint>(n); }

void gemm_blas(ConstMatrixRef a, Trans ta, ConstMatrixRef b, Trans tb, MatrixRef c, double alpha, double beta) {
    check_gemm(a, ta, b, tb, c);
    const std::size_t k = ta == Trans::No ? a.cols : a.rows;
    if (c.size() == 0) return;
    if (k == 0) return scale_into(c, beta);  // BLAS would not touch C; our contract still scales it
    cblas_dgemm(CblasRowMajor, to_cblas(ta), to_cblas(tb), to_blasint(c.rows), to_blasint(c.cols), to_blasint(k),
                alpha, a.data, to_blasint(a.cols), b.data, to_blasint(b.cols), beta, c.data, to_blasint(c.cols));
}

void gemm(ConstMatrixRef a, Trans ta, ConstMatrixRef b, Trans tb, MatrixRef c, double alpha, double beta) {
    const std::size_t k = ta == Trans::No ? a.cols : a.rows;
    if (c.rows * c.cols * k >= blas_threshold)
        gemm_blas(a, ta, b, tb, c, alpha, beta);
    else
        gemm_loops(a, ta, b, tb, c, alpha, beta);
}

void gram(ConstMatrixRef a, MatrixRef c, double alpha, double beta) {
    const std::size_t n = a.cols, k = a.rows;
    if (c.rows != n || c.cols != n) throw shape_error("gram", "cannot store the Gram matrix of", a.shape(), "in", c.shape());
    if (n * n * k < blas_threshold || k == 0) {
        // Small: the whole product AᵀA. Entries (i,j) and (j,i) add the same products in the same order, so
        // the result is exactly symmetric, and the full square vectorises better than a triangle.
        gemm_loops(a, Trans::Yes, a, Trans::No, c, alpha, beta);
        return;
    }
    // Large: BLAS's dsyrk computes the upper triangle only (half the flops); mirror it into the lower.
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, to_blasint(n), to_blasint(k), alpha, a.data, to_blasint(a.cols),
                beta, c.data, to_blasint(c.cols));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j) c(i, j) = c(j, i);
}

}  // namespace tapegrad
