#include "autodiff/gemm.hpp"

#include <cblas.h>

#include <algorithm>

#include "autodiff/simd.hpp"

namespace tapegrad {

static Shape op_shape(const ConstMatrixRef& x, Trans t) { return t == Trans::No ? x.shape() : Shape{x.cols, x.rows}; }

[[noreturn, gnu::cold, gnu::noinline]] static void throw_gemm_shapes(Shape sa, Shape sb, Shape c) {
    if (sa.cols != sb.rows) throw shape_error("gemm", "cannot multiply", sa, "by", sb);
    throw shape_error("gemm", "cannot store the product of", sa, "and " + to_string(sb) + " in", c);
}

// Three compares, inline; the message is built out of line, as only a wrong call needs it.
static inline void check_gemm(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c) {
    const Shape sa = op_shape(a, ta), sb = op_shape(b, tb);
    if (sa.cols != sb.rows || c.rows != sa.rows || c.cols != sb.cols) throw_gemm_shapes(sa, sb, c.shape());
}

// C = beta·C, where beta = 0 means "overwrite" (so stale NaNs in C never leak through).
static void scale_into(const MatrixRef& c, double beta) {
    if (beta == 0.0)
        std::fill(c.data, c.data + c.size(), 0.0);
    else if (beta != 1.0)
        for (std::size_t k = 0; k < c.size(); ++k) c.data[k] *= beta;
}

// The kernel's tile of C: four rows by four columns, four independent sums in four registers.
constexpr std::size_t tile = 4;

// Room for a transposed B copied into rows padded to a multiple of 4 columns. Below blas_threshold op(B) has
// k·n < 8³ entries, k·(n + 3) at most 4·8³ once padded (n >= 1), so every product gemm sends here fits.
constexpr std::size_t small_b = 4 * blas_threshold;

// A C of at most four columns, as every product of the tutorial's steps has (its matrices are 4×3 to 7×4): each row
// of C is one register, summed over p, and each row of op(B) one register too (b_rows below). No tiles across C's
// columns and no columns left over, the two loops the general kernel below enters and leaves on every product (it
// summed a C of three columns one entry at a time). Rows of C four at a time, four sums side by side over one load of
// B's row, then the rows past the last four one at a time. The four sums are named, not an array: an array of four, with a count of
// rows for a last block that repeated its last row, went through memory on every product (a 5×4 product 24 → 17 ns
// alone, issue 12).
// op(A)(i,p) = A[i·a_row + p·a_col], op(B)(p,j) = B[p·b_row + j·b_col]. k < blas_threshold (gemm sends no more).
static void narrow_product(const ConstMatrixRef& a, std::size_t a_row, std::size_t a_col, const ConstMatrixRef& b,
                           std::size_t b_row, std::size_t b_col, const MatrixRef& c, std::size_t k, double alpha,
                           double beta) {
    const std::size_t m = c.rows, n = c.cols;
    // op(B)'s rows, four entries each, one after another: B itself where it is untransposed with four columns, else
    // a copy, each row of four gathered at once (from a column of B if transposed), zero past column n. Either way
    // row p starts at b_rows + 4p: a constant stride, one register fewer in the loops below.
    double copy[tile * blas_threshold];
    const double* b_rows = b.data;
    if (n != tile || b_col != 1) {
        for (std::size_t p = 0; p < k; ++p) {
            const Four row([&](auto j) { return j < n ? b.data[p * b_row + j * b_col] : 0.0; });
            row.copy_to(copy + p * tile, unaligned);
        }
        b_rows = copy;
    }
    // C's row i = alpha·sum + beta·C's row i, where beta = 0 overwrites C, even a NaN in it.
    const auto store = [&](std::size_t i, const Four& sum) {
        double* const c_i = c.data + i * n;
        if (n == tile && beta == 0.0) {
            (alpha * sum).copy_to(c_i, unaligned);
        } else if (n == tile) {
            (alpha * sum + beta * Four(c_i, unaligned)).copy_to(c_i, unaligned);
        } else {  // a row of C shorter than four: its lanes copied out once. Read as sum[j], a lane indexed at run
                  // time, they had put all four sums in memory on every product, four columns or not (issue 12).
            double lanes[tile];
            sum.copy_to(lanes, unaligned);
            for (std::size_t j = 0; j < n; ++j) c_i[j] = beta == 0.0 ? alpha * lanes[j] : alpha * lanes[j] + beta * c_i[j];
        }
    };
    std::size_t i = 0;
    for (; i + tile <= m; i += tile) {
        const double* a_p = a.data + i * a_row;  // op(A)(i, p); the rows below it a_row further each
        Four sum0 = 0.0, sum1 = 0.0, sum2 = 0.0, sum3 = 0.0;
        for (std::size_t p = 0; p < k; ++p, a_p += a_col) {
            const Four b_p(b_rows + p * tile, unaligned);
            sum0 += a_p[0] * b_p;
            sum1 += a_p[a_row] * b_p;
            sum2 += a_p[2 * a_row] * b_p;
            sum3 += a_p[3 * a_row] * b_p;
        }
        store(i, sum0);
        store(i + 1, sum1);
        store(i + 2, sum2);
        store(i + 3, sum3);
    }
    for (; i < m; ++i) {
        const double* a_p = a.data + i * a_row;
        Four sum = 0.0;
        for (std::size_t p = 0; p < k; ++p, a_p += a_col) sum += *a_p * Four(b_rows + p * tile, unaligned);
        store(i, sum);
    }
}

void gemm_loops(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c,
                double alpha, double beta) {
    check_gemm(a, ta, b, tb, c);
    const std::size_t m = c.rows, n = c.cols, k = ta == Trans::No ? a.cols : a.rows;
    // op(A)(i,p) = A[i·a_row + p·a_col], op(B)(p,j) = B[p·b_row + j·b_col]: one loop nest for all four cases.
    const std::size_t a_row = ta == Trans::No ? a.cols : 1, a_col = ta == Trans::No ? 1 : a.cols;
    const std::size_t b_row = tb == Trans::No ? b.cols : 1, b_col = tb == Trans::No ? 1 : b.cols;
    if (m == 0 || n == 0) return;
    if (k == 0) return scale_into(c, beta);  // C = beta·C; and A or B may be empty, with no storage to point into
    if (n <= tile && k < blas_threshold) return narrow_product(a, a_row, a_col, b, b_row, b_col, c, k, alpha, beta);
    // The kernel reads op(B) a row of four at a time. B's rows are read in place, but for the last n mod 4 columns,
    // summed one entry at a time below. Bᵀ read in place would gather for every tile, so a transposed B is copied
    // once into rows padded with zeros to a multiple of 4: k·n loads and stores.
    // C(i,j) as one sum over p, for the entries the tiles do not cover.
    const auto one_entry = [&](std::size_t i, std::size_t j) {
        double sum = 0.0;
        for (std::size_t p = 0; p < k; ++p) sum += a.data[i * a_row + p * a_col] * b.data[p * b_row + j * b_col];
        c(i, j) = beta == 0.0 ? alpha * sum : alpha * sum + beta * c(i, j);  // beta = 0 overwrites a NaN
    };
    const bool transposed = tb == Trans::Yes;
    const std::size_t padded = (n + tile - 1) / tile * tile;
    if (transposed && k * padded > small_b) {  // called directly with a Bᵀ too large for the buffer (gemm sends none)
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) one_entry(i, j);
        return;
    }
    double copy[small_b];
    if (transposed)
        for (std::size_t p = 0; p < k; ++p) {
            for (std::size_t j = 0; j < n; ++j) copy[p * padded + j] = b.data[p * b_row + j * b_col];
            for (std::size_t j = n; j < padded; ++j) copy[p * padded + j] = 0.0;
        }
    const double* const rows_of_b = transposed ? copy : b.data;
    const std::size_t b_stride = transposed ? padded : b.cols;
    const std::size_t tiled = transposed ? n : n - n % tile;  // the columns of C the tiles cover
    // C in tiles of 4x4, each summed over p in four registers, one per row: four chains of adds run side by side
    // where one row at a time would wait on each add's latency (the tutorial's matrices, 4×3 to 7×4, give k = 3 to
    // 7, so the chains are all there is), and each row of op(B) is loaded once for four rows of op(A). A short last
    // tile repeats its last row, and the padding's columns; neither is stored.
    for (std::size_t j = 0; j < tiled; j += tile) {
        const std::size_t width = std::min(tile, n - j);  // under 4 only in a padded copy's last tile
        for (std::size_t i = 0; i < m; i += tile) {
            const std::size_t rows = std::min(tile, m - i);
            const double* a_r[tile];  // rows i..i+3 of op(A), the last repeated past op(A)'s end
            for (std::size_t r = 0; r < tile; ++r) a_r[r] = a.data + (r < rows ? i + r : m - 1) * a_row;
            Four sum[tile] = {0.0, 0.0, 0.0, 0.0};
            const double* b_p = rows_of_b + j;
            for (std::size_t p = 0; p < k; ++p, b_p += b_stride) {
                const Four b_pj(b_p, unaligned);
                for (std::size_t r = 0; r < tile; ++r) sum[r] += a_r[r][p * a_col] * b_pj;
            }
            for (std::size_t r = 0; r < rows; ++r) {
                double* c_ij = c.data + (i + r) * n + j;
                if (width == tile) {
                    // beta = 0 overwrites C, even a NaN in it
                    const Four out = beta == 0.0 ? alpha * sum[r] : alpha * sum[r] + beta * Four(c_ij, unaligned);
                    out.copy_to(c_ij, unaligned);
                } else {
                    for (std::size_t q = 0; q < width; ++q)
                        c_ij[q] = beta == 0.0 ? alpha * sum[r][q] : alpha * sum[r][q] + beta * c_ij[q];
                }
            }
        }
    }
    for (std::size_t i = 0; i < m; ++i)  // the last n mod 4 columns of an untransposed B
        for (std::size_t j = tiled; j < n; ++j) one_entry(i, j);
}

static CBLAS_TRANSPOSE to_cblas(Trans t) { return t == Trans::No ? CblasNoTrans : CblasTrans; }

static blasint to_blasint(std::size_t n) { return static_cast<blasint>(n); }

void gemm_blas(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha,
               double beta) {
    check_gemm(a, ta, b, tb, c);
    const std::size_t k = ta == Trans::No ? a.cols : a.rows;
    if (c.size() == 0) return;
    if (k == 0) return scale_into(c, beta);  // BLAS would not touch C; our contract still scales it
    cblas_dgemm(CblasRowMajor, to_cblas(ta), to_cblas(tb), to_blasint(c.rows), to_blasint(c.cols), to_blasint(k),
                alpha, a.data, to_blasint(a.cols), b.data, to_blasint(b.cols), beta, c.data, to_blasint(c.cols));
}

namespace {

// A row of B (or C) of n <= 8 entries as one vector of eight, the lanes past n zero: one layout for every thin n
// (one AVX-512 register, or two of AVX2).
using Eight = std::experimental::fixed_size_simd<double, thin_columns>;

Eight load_padded(const double* x, std::size_t n) {
    alignas(64) double padded[thin_columns] = {};
    std::copy(x, x + n, padded);
    return Eight(padded, unaligned);
}

// The rows of A in panels of this many columns: a panel of B's or C's rows, padded to 8, is 16 KiB and stays in
// L1 while every row of A passes over it; each entry of A is still read once.
constexpr std::size_t thin_panel = 256;

// Four rows of A at a time: four independent sums per vector keep the multiply and add units busy (one sum's
// chain of dependent adds would wait on each add's latency), and each entry of the panel is loaded once for four.
constexpr std::size_t thin_rows = 4;

// Stands in for the rows past A's last in a short last block of Aᵀ·B: zeros, so they add 0 even where A holds an
// infinity (a repeated real row times a zero row of B would add inf·0 = NaN).
constexpr double zero_row[thin_panel] = {};

}  // namespace

void gemm_thin(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, const MatrixRef& c, double alpha,
               double beta) {
    check_gemm(a, ta, b, Trans::No, c);
    const std::size_t n = c.cols;
    if (n > thin_columns) throw shape_error("gemm_thin", "takes a B of at most 8 columns, not", b.shape(), "into", c.shape());
    if (c.size() == 0) return;
    scale_into(c, beta);
    const auto add_into = [n, alpha](const Eight& sum, double* c_row) {
        alignas(64) double out[thin_columns];
        (alpha * sum).copy_to(out, unaligned);
        for (std::size_t j = 0; j < n; ++j) c_row[j] += out[j];
    };
    // Every product below reads A's rows left to right, a panel of columns p0..p1 at a time.
    Eight panel[thin_panel];
    for (std::size_t p0 = 0; p0 < a.cols; p0 += thin_panel) {
        const std::size_t width = std::min(thin_panel, a.cols - p0);
        if (ta == Trans::No) {
            // C(i,:) += Σ_p A(i,p)·B(p,:): the panel holds B's rows p0..p1, padded.
            for (std::size_t q = 0; q < width; ++q) panel[q] = load_padded(b.data + (p0 + q) * n, n);
            for (std::size_t i = 0; i < a.rows; i += thin_rows) {
                const std::size_t rows = std::min(thin_rows, a.rows - i);
                const double* a_r[thin_rows];
                for (std::size_t r = 0; r < thin_rows; ++r) a_r[r] = a.data + (i + std::min(r, rows - 1)) * a.cols + p0;
                Eight sum[thin_rows] = {0.0, 0.0, 0.0, 0.0};
                for (std::size_t q = 0; q < width; ++q)
                    for (std::size_t r = 0; r < thin_rows; ++r)  // (a short last block repeats its last row, unused)
                        sum[r] += a_r[r][q] * panel[q];
                for (std::size_t r = 0; r < rows; ++r) add_into(sum[r], c.data + (i + r) * n);
            }
        } else {
            // C(p,:) += Σ_i A(i,p)·B(i,:): the panel accumulates C's rows p0..p1, padded.
            std::fill(panel, panel + width, Eight(0.0));
            for (std::size_t i = 0; i < a.rows; i += thin_rows) {
                const std::size_t rows = std::min(thin_rows, a.rows - i);
                const double* a_r[thin_rows];
                Eight b_r[thin_rows] = {0.0, 0.0, 0.0, 0.0};  // zero for the rows past A's last: they add nothing
                for (std::size_t r = 0; r < thin_rows; ++r) {
                    a_r[r] = r < rows ? a.data + (i + r) * a.cols + p0 : zero_row;
                    if (r < rows) b_r[r] = load_padded(b.data + (i + r) * n, n);
                }
                for (std::size_t q = 0; q < width; ++q)
                    for (std::size_t r = 0; r < thin_rows; ++r) panel[q] += a_r[r][q] * b_r[r];
            }
            for (std::size_t q = 0; q < width; ++q) add_into(panel[q], c.data + (p0 + q) * n);
        }
    }
}

void gemm(const ConstMatrixRef& a, Trans ta, const ConstMatrixRef& b, Trans tb, const MatrixRef& c, double alpha,
          double beta) {
    switch (gemm_path(a, ta, tb, c)) {
        case GemmPath::thin: return gemm_thin(a, ta, b, c, alpha, beta);
        case GemmPath::blas: return gemm_blas(a, ta, b, tb, c, alpha, beta);
        case GemmPath::loops: return gemm_loops(a, ta, b, tb, c, alpha, beta);
    }
}

void gram(const ConstMatrixRef& a, const MatrixRef& c, double alpha, double beta) {
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
