// tapegrad_bench: Google Benchmark's main, after pinning OpenBLAS to one thread (the benchmark machine has two
// cores, and the tape's engine is single-threaded: threaded BLAS would time the scheduler, not the kernels).
#include <benchmark/benchmark.h>
#include <cblas.h>

#include "bench/benchmarks.hpp"

int main(int argc, char** argv) {
    openblas_set_num_threads(1);
    tapegrad::bench::register_step_benchmarks();
    tapegrad::bench::register_lapack_benchmarks();
    tapegrad::bench::register_gemm_benchmarks();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
