// Solvers at scale (issue 9): whole solves on random n×n matrices, from the tutorial's 5×4 to 512×512, each
// next to LAPACK's direct answer to the same problem in the same run. The report's plot of time against n
// (docs/benchmarks.md) is drawn from these.
//
// Names: scale_svd/<trust-region|dgesdd>/n, scale_inverse/<conjugate-gradient|newton-schulz|dgetrf+dgetri>/n.
// make bench's default filter runs them up to 128×128 (the larger sizes take seconds): BENCH_FILTER='^scale_'
// runs them all.
// Counters of the descents: descent_iterations, tape_passes, converged (1 or 0).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "bench/benchmarks.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

namespace tapegrad::bench {

namespace {

std::size_t size_of(const benchmark::State& state) { return static_cast<std::size_t>(state.range(0)); }

void outcome(benchmark::State& state, const Report& report) {
    state.counters["descent_iterations"] = static_cast<double>(report.iterations);
    state.counters["tape_passes"] = static_cast<double>(report.tape_passes);
    state.counters["converged"] = report.status == Status::converged ? 1.0 : 0.0;
    state.SetLabel(std::string(to_string(report.status)));
}

void svd_trust_region(benchmark::State& state) {
    const Matrix M = Matrix::random(size_of(state), size_of(state), 314);
    SvdResult result;
    for (auto _ : state) {
        result = svd_by_descent(M, TrustRegionOptions{});
        benchmark::DoNotOptimize(result.singular_values.data());
    }
    outcome(state, result.report);
}

void svd_dgesdd(benchmark::State& state) {
    const Matrix M = Matrix::random(size_of(state), size_of(state), 314);
    for (auto _ : state) benchmark::DoNotOptimize(lapack_svd(M).singular_values.data());
}

void inverse_by(benchmark::State& state, const InverseOptions& options) {
    const Matrix M = Matrix::random(size_of(state), size_of(state), 314);
    InverseResult result;
    for (auto _ : state) {
        result = inverse_by_descent(M, options);
        benchmark::DoNotOptimize(result.inverse.data());
    }
    outcome(state, result.report);
}

void inverse_dgetri(benchmark::State& state) {
    const Matrix M = Matrix::random(size_of(state), size_of(state), 314);
    for (auto _ : state) benchmark::DoNotOptimize(lapack_inverse(M).data());
}

}  // namespace

void register_scale_benchmarks() {
    const auto sizes = [](benchmark::internal::Benchmark* b, std::int64_t largest) {
        for (const std::int64_t n : {4, 8, 16, 32, 64, 128, 256, 512})
            if (n <= largest) b->Arg(n);
        b->Unit(benchmark::kMillisecond);
    };
    sizes(benchmark::RegisterBenchmark("scale_svd/trust-region", svd_trust_region), 512);
    sizes(benchmark::RegisterBenchmark("scale_svd/dgesdd", svd_dgesdd), 512);
    sizes(benchmark::RegisterBenchmark("scale_inverse/conjugate-gradient", inverse_by, ConjugateGradientOptions{}), 256);
    sizes(benchmark::RegisterBenchmark("scale_inverse/newton-schulz", inverse_by, NewtonSchulzOptions{}), 256);
    sizes(benchmark::RegisterBenchmark("scale_inverse/dgetrf+dgetri", inverse_dgetri), 256);
}

}  // namespace tapegrad::bench
