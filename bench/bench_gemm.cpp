// Where should gemm stop running its own loops and call OpenBLAS? One n×n×n product each way, for the three
// transpose cases the ops use (NN: matmul forward; NT and TN: matmul's rule), at sizes around the crossover.
// autodiff/gemm.hpp's blas_threshold (on m·n·k) is read off this table.
//
// Names: gemm_crossover/<NN|NT|TN>/<loops|blas>/n. Counter: flops (2n³ per product, a rate).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "autodiff/gemm.hpp"
#include "autodiff/matrix.hpp"
#include "bench/benchmarks.hpp"

namespace tapegrad::bench {

namespace {

using GemmPath = void (*)(const ConstMatrixRef&, Trans, const ConstMatrixRef&, Trans, const MatrixRef&, double, double);

void time_product(benchmark::State& state, GemmPath path, Trans ta, Trans tb) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    const Matrix a = Matrix::random(n, n, 1), b = Matrix::random(n, n, 2);
    Matrix c(n, n);
    for (auto _ : state) {
        path(a, ta, b, tb, c.ref(), 1.0, 0.0);
        benchmark::DoNotOptimize(c.data());
        benchmark::ClobberMemory();
    }
    const double N = static_cast<double>(n);
    state.counters["flops"] = benchmark::Counter(2 * N * N * N, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

void register_gemm_benchmarks() {
    struct Case {
        const char* name;
        Trans ta, tb;
    };
    struct Path {
        const char* name;
        GemmPath run;
    };
    const Case cases[] = {{"NN", Trans::No, Trans::No}, {"NT", Trans::No, Trans::Yes}, {"TN", Trans::Yes, Trans::No}};
    const Path paths[] = {{"loops", gemm_loops}, {"blas", gemm_blas}};
    const std::int64_t sizes[] = {2, 3, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 32, 40, 48, 56, 64};
    for (const Case& c : cases)
        for (const Path& p : paths) {
            const std::string name = std::string("gemm_crossover/") + c.name + "/" + p.name;
            benchmark::internal::Benchmark* family = benchmark::RegisterBenchmark(
                name.c_str(), [c, p](benchmark::State& state) { time_product(state, p.run, c.ta, c.tb); });
            for (const std::int64_t n : sizes) family->Arg(n);
        }
}

}  // namespace tapegrad::bench
