// Whole solves: a descent from its guess until its answer is accurate to 1e-8 (the tutorial's methods: the
// relative reconstruction and orthogonality errors, or ‖X·M − I‖_F; the robust ones: their own defaults), on the
// tutorial's matrices. A step's
// time (bench_steps.cpp) says how fast the engine is; this says how long an answer takes, to put next to
// LAPACK's time on the same matrix (svd_lapack_tutorial, inverse_lapack_tutorial in bench_lapack.cpp).
//
// Names: svd_solve/<method>/<optimizer>/<M1..M5>, inverse_solve/<method>/<optimizer>/<M1|M2>, and
// svd_tutorial_run/M1: the tutorial's own run, 20,000 momentum steps with no tolerance, timed whole.
// Counters: lr, final_loss, descent_iterations (steps taken; not "iterations", Google Benchmark's own key in the JSON),
// converged (1 or 0), and the answer's error against LAPACK: max_singular_value_error (SVD: max |σ − σ_lapack|
// / σ_lapack,1) or residual (max |X·M − I|) and error_vs_lapack (max |X − X_lapack|) for the inverse. The label
// is the descent's status (converged, stalled, diverged, max_iterations): a combination that does not converge
// is timed until it gives up, and reported as such.
#include <benchmark/benchmark.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench/benchmarks.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

namespace tapegrad::bench {

namespace {

// The tutorial's methods stop here: the answer within 1e-8 (svd.hpp's and inverse.hpp's tolerance).
constexpr double tolerance = 1e-8;
constexpr long max_iterations = 200'000;  // so a combination that never gets there still ends

// The tutorial's lr 0.9 for its momentum loop and for SGD (the same iterates). Nesterov gets 0.5: its look-ahead
// step at 0.9 diverges on SVD M2 and M4 and on the inverse's diagonal M2. Adam gets its usual 0.01.
struct Tutorial {
    OptimizerKind optimizer;
    double lr;
};
const std::vector<Tutorial> tutorial_cases = {
    {OptimizerKind::momentum, 0.9}, {OptimizerKind::sgd, 0.9}, {OptimizerKind::nesterov, 0.5}, {OptimizerKind::adam, 0.01}};

// The robust methods with their own defaults, named by their step rule in the benchmark's name.
const std::vector<std::pair<SvdOptions, std::string>> robust_svd = {
    {StiefelDescentOptions{}, "bb-steps"}, {StiefelCgOptions{}, "pr-cg"}, {TrustRegionOptions{}, "tcg"}};
const std::vector<std::pair<InverseOptions, std::string>> robust_inverse = {
    {ConjugateGradientOptions{}, "exact-steps"}, {NewtonSchulzOptions{}, "newton"}};

// The descent's outcome, shared by every solve benchmark.
void report(benchmark::State& state, std::optional<double> lr, const Report& report) {
    if (lr) state.counters["lr"] = *lr;  // for the report's table
    state.counters["descent_iterations"] = static_cast<double>(report.iterations);
    state.counters["final_loss"] = report.final_loss;
    state.counters["converged"] = report.status == Status::converged ? 1.0 : 0.0;
    state.SetLabel(std::string(to_string(report.status)));
}

void time_svd(benchmark::State& state, const Matrix& M, const SvdOptions& options) {
    SvdResult result;
    for (auto _ : state) {
        result = svd_by_descent(M, options);
        benchmark::DoNotOptimize(result.singular_values.data());
    }
    const auto* penalty = std::get_if<PenaltyOptions>(&options);
    report(state, penalty ? penalty->lr : std::nullopt, result.report);
    // Against LAPACK, untimed: the last solve's answer (every solve is the same, from the same seeded guess).
    const SvdComparison error = compare_svd(M, result.U, result.singular_values, result.V, lapack_svd(M));
    state.counters["max_singular_value_error"] = error.max_singular_value_error;
}

void time_inverse(benchmark::State& state, const Matrix& M, const InverseOptions& options) {
    InverseResult result;
    for (auto _ : state) {
        result = inverse_by_descent(M, options);
        benchmark::DoNotOptimize(result.inverse.data());
    }
    const auto* descent = std::get_if<InverseDescentOptions>(&options);
    report(state, descent ? descent->lr : std::nullopt, result.report);
    const InverseComparison error = compare_inverse(M, result.inverse, lapack_inverse(M));
    state.counters["residual"] = error.residual;
    state.counters["error_vs_lapack"] = error.max_error_vs_reference;
}

void register_svd(const SvdOptions& options, const std::string& step_rule) {
    for (const NamedMatrix& t : tutorial_svd_matrices()) {
        const std::string name = "svd_solve/" + std::string(to_string(method_of(options))) + "/" + step_rule + "/" + t.name;
        benchmark::RegisterBenchmark(name.c_str(), [M = t.M, options](benchmark::State& state) {
            time_svd(state, M, options);
        })->Unit(benchmark::kMillisecond);
    }
}

void register_inverse(const InverseOptions& options, const std::string& step_rule) {
    for (const NamedMatrix& t : tutorial_inverse_matrices()) {
        const std::string name = "inverse_solve/" + std::string(to_string(method_of(options))) + "/" + step_rule + "/" + t.name;
        benchmark::RegisterBenchmark(name.c_str(), [M = t.M, options](benchmark::State& state) {
            time_inverse(state, M, options);
        })->Unit(benchmark::kMillisecond);
    }
}

}  // namespace

void register_solve_benchmarks() {
    for (const Tutorial& c : tutorial_cases) {
        const std::string optimizer(to_string(c.optimizer));
        register_svd(PenaltyOptions{.optimizer = c.optimizer, .lr = c.lr, .max_iterations = max_iterations, .tolerance = tolerance},
                     optimizer);
        register_inverse(InverseDescentOptions{.optimizer = c.optimizer, .lr = c.lr, .max_iterations = max_iterations,
                                               .tolerance = tolerance},
                         optimizer);
    }
    for (const auto& [options, step_rule] : robust_svd) register_svd(options, step_rule);
    for (const auto& [options, step_rule] : robust_inverse) register_inverse(options, step_rule);
    // The tutorial's run exactly: PenaltyOptions' defaults are its lr 0.9, momentum 0.9 and 20,000 steps.
    const Matrix M1 = tutorial_svd_matrices().front().M;
    benchmark::RegisterBenchmark("svd_tutorial_run/M1", [M1](benchmark::State& state) {
        time_svd(state, M1, PenaltyOptions{});
    })->Unit(benchmark::kMillisecond);
}

}  // namespace tapegrad::bench
