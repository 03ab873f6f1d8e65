// LAPACK's direct answers to the two problems the descents solve, on the same matrices: the thin SVD
// (dgesdd) and the inverse (dgetrf, then dgetri). One call of each against one descent step gives the scale of
// "how many steps is a direct solve worth". Called through LAPACKE in row-major order, as a user would: LAPACKE
// then transposes to column-major and allocates its workspace inside the call, and that is timed too.
//
// Names: svd_lapack/m/n and inverse_lapack/n/n on a random matrix; svd_lapack_tutorial/<M1..M5> and
// inverse_lapack_tutorial/<M1|M2> on the tutorial's own matrices, what the solve benchmarks (bench_solve.cpp)
// are compared with.
#include <benchmark/benchmark.h>
#include <lapacke.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "autodiff/autodiff.hpp"
#include "bench/benchmarks.hpp"
#include "io/tutorial_matrices.hpp"

namespace tapegrad::bench {

namespace {

std::size_t arg(const benchmark::State& state, int i) { return static_cast<std::size_t>(state.range(i)); }

lapack_int to_lapack(std::size_t n) { return static_cast<lapack_int>(n); }

void time_svd(benchmark::State& state, const Matrix& M) {
    const std::size_t m = M.rows(), n = M.cols(), k = std::min(m, n);
    Matrix A(m, n), s(1, k), U(m, k), Vt(k, n);
    // dgesdd overwrites its input, so every call starts from a fresh copy of M (an O(mn) copy, timed).
    const auto solve = [&] {
        std::copy(M.data(), M.data() + M.size(), A.data());
        return LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', to_lapack(m), to_lapack(n), A.data(), to_lapack(n), s.data(),
                              U.data(), to_lapack(k), Vt.data(), to_lapack(n));
    };
    // Once, untimed: the factors must rebuild M, or the timing would measure a failure.
    if (solve() != 0 || max_abs_diff(matmul(matmul(U, Matrix::diag(s)), Vt), M) > 1e-10)
        return state.SkipWithError("dgesdd failed: U·diag(s)·Vᵀ is not M");
    for (auto _ : state) benchmark::DoNotOptimize(solve());
}

void time_inverse(benchmark::State& state, const Matrix& M) {
    const std::size_t n = M.rows();
    Matrix A(n, n);
    std::vector<lapack_int> pivots(n);
    const auto solve = [&] {
        std::copy(M.data(), M.data() + M.size(), A.data());
        const lapack_int info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, to_lapack(n), to_lapack(n), A.data(), to_lapack(n),
                                               pivots.data());
        return info != 0 ? info : LAPACKE_dgetri(LAPACK_ROW_MAJOR, to_lapack(n), A.data(), to_lapack(n), pivots.data());
    };
    // Once, untimed: a loose check (random M's condition number grows with n) that this is M's inverse.
    if (solve() != 0 || max_abs_diff(matmul(A, M), Matrix::identity(n)) > 1e-8)
        return state.SkipWithError("dgetrf/dgetri failed: A·M is not I");
    for (auto _ : state) benchmark::DoNotOptimize(solve());
    // LU (2n³/3) and the inverse from it (4n³/3): LAPACK's usual count.
    const double N = static_cast<double>(n);
    state.counters["flops"] = benchmark::Counter(2 * N * N * N, benchmark::Counter::kIsIterationInvariantRate);
}

void svd_lapack(benchmark::State& state) { time_svd(state, Matrix::random(arg(state, 0), arg(state, 1), 314)); }

void inverse_lapack(benchmark::State& state) { time_inverse(state, Matrix::random(arg(state, 0), arg(state, 0), 314)); }

}  // namespace

void register_lapack_benchmarks() {
    benchmark::RegisterBenchmark("svd_lapack", svd_lapack)
        ->Args({5, 4})->Args({16, 16})->Args({64, 64})->Args({256, 256})->Args({512, 512})
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("inverse_lapack", inverse_lapack)
        ->Args({4, 4})->Args({16, 16})->Args({64, 64})->Args({256, 256})->Args({512, 512})
        ->Unit(benchmark::kMicrosecond);
    for (const NamedMatrix& t : tutorial_svd_matrices()) {
        const Matrix& M = t.M;
        benchmark::RegisterBenchmark(("svd_lapack_tutorial/" + t.name).c_str(),
                                     [M](benchmark::State& state) { time_svd(state, M); })
            ->Unit(benchmark::kMicrosecond);
    }
    for (const NamedMatrix& t : tutorial_inverse_matrices()) {
        const Matrix& M = t.M;
        benchmark::RegisterBenchmark(("inverse_lapack_tutorial/" + t.name).c_str(),
                                     [M](benchmark::State& state) { time_inverse(state, M); })
            ->Unit(benchmark::kMicrosecond);
    }
}

}  // namespace tapegrad::bench
