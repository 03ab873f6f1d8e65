#pragma once
// What the benchmark report (bench/report.cpp) reads: Google Benchmark's JSON output (tapegrad_bench
// --benchmark_out=FILE --benchmark_out_format=json) and bench/pytorch_reference.py's, as lookups by name.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrad::report {

// One benchmark's numbers: the median of its repetitions where it ran several (Google Benchmark's "_median"
// aggregate), else its one run. Times are per iteration, in microseconds whatever unit the benchmark printed.
struct Run {
    double cpu_us = 0.0;
    double real_us = 0.0;
    std::map<std::string, double> counters{};  // allocs_per_iter, flops, descent_iterations, ...
    std::string label{};                       // bench_solve.cpp's: the descent's status
    std::string error{};                       // SkipWithError's message; empty when it ran

    // The counter's value, or nullopt where the benchmark has none by that name.
    std::optional<double> counter(const std::string& name) const;
};

class BenchmarkResults {
public:
    // Throws std::runtime_error naming the file if it cannot be read or holds no "benchmarks" array.
    static BenchmarkResults load(const std::filesystem::path& path);

    const Run* find(const std::string& name) const;  // null where that benchmark did not run
    // The names that start with prefix, in the order they were registered (Google Benchmark's family and instance
    // indices), or where the JSON has none, the order they appear in.
    std::vector<std::string> names_starting_with(std::string_view prefix) const;
    const nlohmann::json& context() const { return context_; }

private:
    nlohmann::json context_;
    std::map<std::string, Run> runs_;
    std::vector<std::string> order_;
};

// bench/pytorch_reference.py's output: the tutorial's PyTorch loops, timed.
struct PytorchResults {
    nlohmann::json context;
    std::string command;
    // CPU µs per step, keyed like the tape's benchmarks' arguments: "5/4" for svd_step_*/5/4.
    std::map<std::string, double> svd_step_tutorial, svd_step_broadcast, inverse_step;
    std::optional<double> tutorial_run_ms;  // the 20,000-step SVD of M1, whole
    std::optional<double> tutorial_run_final_loss;
    std::vector<double> tutorial_run_singular_values;  // what it found, descending

    // nullopt where the file does not exist (PyTorch was not run); throws std::runtime_error if it cannot be
    // read or is not that script's JSON.
    static std::optional<PytorchResults> load(const std::filesystem::path& path);
};

// The step benchmarks' arguments ("5/4", ...) for a problem ("svd" or "inverse"), in the order they ran.
std::vector<std::string> step_sizes(const BenchmarkResults& results, const std::string& problem);

// One size's step, through the tape (<problem>_step_autodiff/<args>) and with the hand-derived gradient
// (<problem>_step_handwritten/<args>); null where one did not run.
struct StepPair {
    const Run* tape = nullptr;
    const Run* hand = nullptr;
    // tape ÷ hand-derived CPU time, where both ran without error.
    std::optional<double> ratio() const {
        if (!tape || !hand || !tape->error.empty() || !hand->error.empty() || hand->cpu_us <= 0) return std::nullopt;
        return tape->cpu_us / hand->cpu_us;
    }
};
StepPair step_pair(const BenchmarkResults& results, const std::string& problem, const std::string& args);

}  // namespace tapegrad::report
