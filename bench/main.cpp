// tapegrad_bench: Google Benchmark's main, after pinning OpenBLAS to one thread (the benchmark machine has two
// cores, and the tape's engine is single-threaded: threaded BLAS would time the scheduler, not the kernels).
// It adds to the JSON output's context what the report (bench/report.cpp) prints and Google Benchmark does not
// record: the CPU's model and the command line.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <fstream>
#include <string>

#include "bench/benchmarks.hpp"

namespace {

// The "model name" line of /proc/cpuinfo, or "unknown" where there is none.
std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);)
        if (line.starts_with("model name")) {
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
        }
    return "unknown";
}

std::string command_line(int argc, char** argv) {
    std::string command;
    for (int i = 0; i < argc; ++i) {
        if (i > 0) command += ' ';
        command += argv[i];
    }
    return command;
}

}  // namespace

int main(int argc, char** argv) {
    openblas_set_num_threads(1);
    benchmark::AddCustomContext("cpu_model", cpu_model());
    benchmark::AddCustomContext("command", command_line(argc, argv));
    benchmark::AddCustomContext("openblas_threads", "1");
    tapegrad::bench::register_step_benchmarks();
    tapegrad::bench::register_lapack_benchmarks();
    tapegrad::bench::register_gemm_benchmarks();
    tapegrad::bench::register_solve_benchmarks();
    tapegrad::bench::register_scale_benchmarks();
    tapegrad::bench::register_truncated_benchmarks();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
