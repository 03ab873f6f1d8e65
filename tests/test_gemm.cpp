#include <doctest/doctest.h>

#include <cmath>
#include <utility>

#include "autodiff/gemm.hpp"
#include "helpers.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

// op(X) as a plain Matrix, for a reference product computed the obvious way.
Matrix op(const Matrix& x, Trans t) { return t == Trans::No ? x : x.transpose(); }

Matrix reference_product(const Matrix& a, Trans ta, const Matrix& b, Trans tb) {
    const Matrix A = op(a, ta), B = op(b, tb);
    Matrix c(A.rows(), B.cols());
    for (std::size_t i = 0; i < c.rows(); ++i)
        for (std::size_t j = 0; j < c.cols(); ++j)
            for (std::size_t p = 0; p < A.cols(); ++p) c(i, j) += A(i, p) * B(p, j);
    return c;
}

}  // namespace

TEST_CASE("gemm: the loop path and the BLAS path agree with a reference, for every transpose") {
    const Shape sizes[] = {{1, 1}, {1, 7}, {7, 1}, {5, 4}, {4, 5}, {16, 16}, {33, 20}, {64, 64}};
    std::uint64_t seed = 1;
    for (const Trans ta : {Trans::No, Trans::Yes})
        for (const Trans tb : {Trans::No, Trans::Yes})
            for (const Shape s : sizes)
                // n = 1, 3 and 4 take the narrow kernel (C of at most four columns); 8 fills the tiles exactly; 17
                // leaves columns past the last full tile (summed one entry at a time, or for a transposed B a
                // padded tile); 33 with a long k and a transposed B takes the one-sum-per-entry path for a Bᵀ too
                // large for the buffer.
                for (const std::size_t n : {1, 3, 4, 8, 17, 33}) {
                    // op(A) is s.rows x s.cols, op(B) is s.cols x n
                    const Matrix a = ta == Trans::No ? uniform(s.rows, s.cols, ++seed) : uniform(s.cols, s.rows, ++seed);
                    const Matrix b = tb == Trans::No ? uniform(s.cols, n, ++seed) : uniform(n, s.cols, ++seed);
                    const Matrix expected = reference_product(a, ta, b, tb);
                    Matrix loops(s.rows, n), blas(s.rows, n), chosen(s.rows, n);
                    gemm_loops(a, ta, b, tb, loops.ref(), 1.0, 0.0);
                    gemm_blas(a, ta, b, tb, blas.ref(), 1.0, 0.0);
                    gemm(a, ta, b, tb, chosen.ref());
                    const double tol = 1e-13 * static_cast<double>(s.cols);
                    CHECK(max_abs_diff(loops, expected) <= tol);
                    CHECK(max_abs_diff(blas, expected) <= tol);
                    CHECK(max_abs_diff(chosen, expected) <= tol);
                }
}

TEST_CASE("gemm: takes the path gemm_path names, and gemm_path draws the lines where gemm.hpp says") {
    const auto path = [](Shape a, Trans ta, Trans tb, Shape c) {
        Matrix out(c.rows, c.cols);
        return gemm_path(Matrix(a.rows, a.cols), ta, tb, out.ref());
    };
    // m·n·k one below blas_threshold, and at it: 7x73 by k = 1 (511), 8x64 by k = 1 (512); 8x8 by k = 7, k = 8.
    CHECK(path({7, 1}, Trans::No, Trans::No, {7, 73}) == GemmPath::loops);
    CHECK(path({8, 1}, Trans::No, Trans::No, {8, 64}) == GemmPath::blas);
    CHECK(path({8, 7}, Trans::No, Trans::Yes, {8, 8}) == GemmPath::loops);
    CHECK(path({8, 8}, Trans::Yes, Trans::Yes, {8, 8}) == GemmPath::blas);
    // The thin path: an A of thin_from entries or more, a B untransposed of at most thin_columns columns.
    CHECK(path({128, 128}, Trans::No, Trans::No, {128, 8}) == GemmPath::thin);
    CHECK(path({128, 128}, Trans::Yes, Trans::No, {128, 1}) == GemmPath::thin);
    CHECK(path({127, 129}, Trans::No, Trans::No, {127, 8}) == GemmPath::blas);  // one entry short of thin_from
    CHECK(path({128, 128}, Trans::No, Trans::No, {128, 9}) == GemmPath::blas);  // a column too many
    CHECK(path({128, 128}, Trans::No, Trans::Yes, {128, 8}) == GemmPath::blas);  // B transposed

    // gemm follows it: its result is the named path's to the bit, and not the other's (the loops add without fused
    // multiply-adds, in their own order, so the two differ in the last bits for these inputs with the OpenBLAS
    // kernels of the machines we have seen; another kernel could agree to the bit, and then says so here).
    for (const std::size_t k : {7, 8}) {
        const Matrix a = uniform(8, k, 40 + k), b = uniform(k, 8, 50 + k);
        Matrix chosen(8, 8), loops(8, 8), blas(8, 8);
        gemm(a, Trans::No, b, Trans::No, chosen.ref());
        gemm_loops(a, Trans::No, b, Trans::No, loops.ref(), 1.0, 0.0);
        gemm_blas(a, Trans::No, b, Trans::No, blas.ref(), 1.0, 0.0);
        if (loops == blas) {
            WARN_MESSAGE(false, "loops and BLAS agree to the bit at k=" << k << ": which path gemm took cannot be told");
            continue;
        }
        CHECK(chosen == (k == 7 ? loops : blas));
    }
}

TEST_CASE("gemm: alpha scales, beta accumulates, and beta = 0 overwrites even NaN") {
    // Four columns and three (the narrow kernel: B's rows read in place, or copied and padded); 9, two tiles and
    // one column summed one entry at a time; 33, eight tiles and one column more. B as it is and transposed.
    for (const auto& [k, n] : {std::pair<std::size_t, std::size_t>{5, 4}, {5, 3}, {5, 9}, {64, 33}})
        for (const Trans tb : {Trans::No, Trans::Yes}) {
            const Matrix a = uniform(6, k, 1), b = tb == Trans::No ? uniform(k, n, 2) : uniform(n, k, 2);
            const Matrix ab = reference_product(a, Trans::No, b, tb);
            for (const bool use_blas : {false, true}) {
                Matrix c(6, n, std::nan(""));
                (use_blas ? gemm_blas : gemm_loops)(a, Trans::No, b, tb, c.ref(), 2.0, 0.0);
                CHECK(max_abs_diff(c, 2.0 * ab) < 1e-12);
                (use_blas ? gemm_blas : gemm_loops)(a, Trans::No, b, tb, c.ref(), -1.0, 3.0);
                CHECK(max_abs_diff(c, 5.0 * ab) < 1e-12);
            }
        }
}

TEST_CASE("gemm: the thin path (B of at most 8 columns) agrees with BLAS, across its panels, and is the one chosen") {
    // A's column counts cross the 256-column panels (1, 255, 256, 257, 600); both of A's orientations; 1 to 8 columns.
    std::uint64_t seed = 100;
    for (const Trans ta : {Trans::No, Trans::Yes})
        for (const Shape s : {Shape{300, 1}, Shape{40, 255}, Shape{7, 256}, Shape{33, 257}, Shape{120, 600}})
            for (std::size_t n = 1; n <= thin_columns; ++n) {
                const Matrix a = uniform(s.rows, s.cols, ++seed);
                const std::size_t inner = ta == Trans::No ? s.cols : s.rows, out = ta == Trans::No ? s.rows : s.cols;
                const Matrix b = uniform(inner, n, ++seed);
                Matrix blas(out, n, 0.5), thin(out, n, 0.5);
                gemm_blas(a, ta, b, Trans::No, blas.ref(), -2.0, 3.0);
                gemm_thin(a, ta, b, thin.ref(), -2.0, 3.0);
                CHECK(max_abs_diff(thin, blas) <= 1e-13 * static_cast<double>(inner));
                Matrix nan(out, n, std::nan(""));
                gemm_thin(a, ta, b, nan.ref(), 1.0, 0.0);  // beta = 0 overwrites
                Matrix product(out, n);
                gemm_blas(a, ta, b, Trans::No, product.ref(), 1.0, 0.0);
                CHECK(max_abs_diff(nan, product) <= 1e-13 * static_cast<double>(inner));
            }
    // gemm sends a large A with a thin B here: the same numbers, to the last bit.
    const Matrix a = uniform(300, thin_from / 300 + 1, 7), b = uniform(a.cols(), 5, 8);
    Matrix chosen(300, 5), thin(300, 5);
    gemm(a, Trans::No, b, Trans::No, chosen.ref());
    gemm_thin(a, Trans::No, b, thin.ref(), 1.0, 0.0);
    CHECK(chosen == thin);
    CHECK(error_message([] {
              Matrix c(2, 9);
              gemm_thin(Matrix(2, 3), Trans::No, Matrix(3, 9), c.ref(), 1.0, 0.0);
          }) == "gemm_thin: takes a B of at most 8 columns, not 3x9 into 2x9");
}

TEST_CASE("gemm: an empty inner dimension gives beta·C") {
    Matrix c(2, 2, 1.0);
    gemm_blas(Matrix(2, 0), Trans::No, Matrix(0, 2), Trans::No, c.ref(), 1.0, 0.5);
    CHECK(c == Matrix(2, 2, 0.5));
    gemm_loops(Matrix(2, 0), Trans::No, Matrix(0, 2), Trans::No, c.ref(), 1.0, 0.0);
    CHECK(c == Matrix(2, 2, 0.0));
}

TEST_CASE("gram: AᵀA on both paths equals the product") {
    for (const Shape s : {Shape{1, 1}, Shape{5, 4}, Shape{4, 5}, Shape{7, 1}, Shape{40, 30}, Shape{64, 64}}) {
        const Matrix a = uniform(s.rows, s.cols, s.rows * 100 + s.cols);
        Matrix c(s.cols, s.cols, std::nan(""));
        gram(a, c.ref());
        CHECK(max_abs_diff(c, reference_product(a, Trans::Yes, a, Trans::No)) < 1e-12);
        CHECK(c == c.transpose());  // exactly symmetric
    }
}

TEST_CASE("gemm: shape errors name both shapes") {
    Matrix c(5, 5);
    CHECK(error_message([&] { gemm(Matrix(5, 4), Trans::No, Matrix(5, 4), Trans::No, c.ref()); }) ==
          "gemm: cannot multiply 5x4 by 5x4");
    CHECK(error_message([&] { gemm(Matrix(5, 4), Trans::No, Matrix(4, 3), Trans::No, c.ref()); }) ==
          "gemm: cannot store the product of 5x4 and 4x3 in 5x5");
    CHECK(error_message([&] { gram(Matrix(5, 4), c.ref()); }) == "gram: cannot store the Gram matrix of 5x4 in 5x5");
}
