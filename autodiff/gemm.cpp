#include "autodiff/gemm.hpp"

#include <cblas.h>

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
    for (std::size_t k = 0; k < c.size(); ++k) c.data[k] = beta == 0.0 ? 0.0 : beta * c.data[k];
}

void gemm_loops(ConstMatrixRef a, Trans ta, ConstMatrixRef b, Trans tb, MatrixRef c, double alpha, double beta) {
    check_gemm(a, ta, b, tb, c);
    const std::size_t m = c.rows, n = c.cols, k = ta == Trans::No ? a.cols : a.rows;
    scale_into(c, beta);
    // Loop orders keep the innermost loop on contiguous memory, so the compiler vectorises it.
    if (ta == Trans::No && tb == Trans::No) {  // C(i,j) += A(i,p)·B(p,j): i, p, j
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t p = 0; p < k; ++p) {
                const double aip = alpha * a(i, p);
                for (std::size_t j = 0; j < n; ++j) c(i, j) += aip * b(p, j);
            }
    } else if (ta == Trans::Yes && tb == Trans::No) {  // C(i,j) += A(p,i)·B(p,j): p, i, j
        for (std::size_t p = 0; p < k; ++p)
            for (std::size_t i = 0; i < m; ++i) {
                const double api = alpha * a(p, i);
                for (std::size_t j = 0; j < n; ++j) c(i, j) += api * b(p, j);
            }
    } else if (ta == Trans::No && tb == Trans::Yes) {  // C(i,j) += A(i,p)·B(j,p): a dot product of two rows
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                double sum = 0.0;
                for (std::size_t p = 0; p < k; ++p) sum += a(i, p) * b(j, p);
                c(i, j) += alpha * sum;
            }
    } else {  // C(i,j) += A(p,i)·B(j,p): rare, kept simple
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                double sum = 0.0;
                for (std::size_t p = 0; p < k; ++p) sum += a(p, i) * b(j, p);
                c(i, j) += alpha * sum;
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
    if (n * n * k >= blas_threshold && k > 0) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, to_blasint(n), to_blasint(k), alpha, a.data,
                    to_blasint(a.cols), beta, c.data, to_blasint(c.cols));
    } else {
        // Upper triangle, row of A by row of A: C(i,j) += A(p,i)·A(p,j) for j >= i.
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i; j < n; ++j) c(i, j) = beta == 0.0 ? 0.0 : beta * c(i, j);
        for (std::size_t p = 0; p < k; ++p)
            for (std::size_t i = 0; i < n; ++i) {
                const double api = alpha * a(p, i);
                for (std::size_t j = i; j < n; ++j) c(i, j) += api * a(p, j);
            }
    }
    for (std::size_t i = 0; i < n; ++i)  // mirror the upper triangle into the lower
        for (std::size_t j = 0; j < i; ++j) c(i, j) = c(j, i);
}

}  // namespace tapegrad
