// Whole solves: a descent from its guess until the loss reaches 1e-10, on the tutorial's matrices. A step's
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
#include "bench/tutorial_matrices.hpp"
#include "demos/tutorial_data.hpp"
#include "linalg/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd.hpp"

namespace tapegrad::bench {

namespace {

constexpr double tolerance = 1e-10;       // on the loss
constexpr long max_iterations = 200'000;  // so a combination that never gets there still ends

// One way to solve: a method's name, an optimiser's name and its learning rate (for the methods that take one),
// and the tolerance. To time a new method, add a line.
struct SolveCase {
    std::string method;
    std::string optimizer;       // for the robust methods, the name of their own step rule (no lr)
    std::optional<double> lr;
    double tolerance = 1e-10;    // the tutorial's methods: on the loss
};

// The robust methods stop by themselves at their accuracy target (default_*_options: the SVD's on the
// Riemannian gradient, the inverse's when rounding stops the loss falling), so they keep their own tolerance.
constexpr double own_tolerance = -1.0;

// The tutorial's lr 0.9 for its momentum loop and for SGD (the same iterates). Nesterov gets 0.5: its look-ahead
// step at 0.9 diverges on SVD M2 and M4 and on the inverse's diagonal M2, and at 0.5 it converges on SVD M1, M4,
// M5 and both inverses (svd_demo/inverse_demo --optimizer nesterov --lr 0.5 --tolerance 1e-10). Adam gets its
// usual 0.01 (descent.hpp's default_lr), which converges on all of them.
const std::vector<SolveCase> svd_cases = {
    {"penalty", "momentum", 0.9},
    {"penalty", "sgd", 0.9},
    {"penalty", "nesterov", 0.5},
    {"penalty", "adam", 0.01},
    {"stiefel", "bb-steps", std::nullopt, own_tolerance},
    {"stiefel-cg", "pr-cg", std::nullopt, own_tolerance},
    {"trust-region", "tcg", std::nullopt, own_tolerance},
};
const std::vector<SolveCase> inverse_cases = {
    {"descent", "momentum", 0.9},
    {"descent", "sgd", 0.9},
    {"descent", "nesterov", 0.5},
    {"descent", "adam", 0.01},
    {"conjugate_gradient", "exact-steps", std::nullopt, own_tolerance},
    {"newton_schulz", "newton", std::nullopt, own_tolerance},
};

// The method's defaults, then the case's optimiser, lr and tolerance where it has them.
DescentOptions descent_options(const SolveCase& c, DescentOptions d) {
    if (c.lr) {
        d.optimizer = parse_optimizer(c.optimizer);
        d.lr = c.lr;
        d.max_iterations = max_iterations;
    }
    if (c.tolerance != own_tolerance) d.tolerance = c.tolerance;
    return d;
}

// The descent's settings and outcome, shared by every solve benchmark.
void report_descent(benchmark::State& state, const DescentOptions& options, const DescentReport& report) {
    if (options.lr) state.counters["lr"] = *options.lr;  // for the report's table
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
    report_descent(state, options.descent, result.report);
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
    report_descent(state, options.descent, result.report);
    const InverseComparison error = compare_inverse(M, result.inverse, lapack_inverse(M));
    state.counters["residual"] = error.residual;
    state.counters["error_vs_lapack"] = error.max_error_vs_reference;
}

}  // namespace

void register_solve_benchmarks() {
    for (const SolveCase& c : svd_cases) {
        // Parsed here, so a misspelt name fails at start-up, and printed back, so names are canonical.
        SvdOptions options = default_svd_options(parse_svd_method(c.method));
        options.descent = descent_options(c, options.descent);
        for (const TutorialMatrix& t : tutorial_svd_matrices()) {
            const std::string name =
                "svd_solve/" + std::string(to_string(options.method)) + "/" + c.optimizer + "/" + t.name;
            const Matrix M = tutorial_matrix(t.file);
            benchmark::RegisterBenchmark(name.c_str(), [M, options](benchmark::State& state) {
                time_svd(state, M, options);
            })->Unit(benchmark::kMillisecond);
        }
    }
    for (const SolveCase& c : inverse_cases) {
        InverseOptions options = default_inverse_options(parse_inverse_method(c.method));
        options.descent = descent_options(c, options.descent);
        for (const TutorialMatrix& t : tutorial_inverse_matrices()) {
            const std::string name =
                "inverse_solve/" + std::string(to_string(options.method)) + "/" + c.optimizer + "/" + t.name;
            const Matrix M = tutorial_matrix(t.file);
            benchmark::RegisterBenchmark(name.c_str(), [M, options](benchmark::State& state) {
                time_inverse(state, M, options);
            })->Unit(benchmark::kMillisecond);
        }
    }
    // The tutorial's run exactly: SvdOptions' defaults are its lr 0.9, momentum 0.9 and 20,000 steps.
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    benchmark::RegisterBenchmark("svd_tutorial_run/M1", [M1](benchmark::State& state) {
        time_svd(state, M1, SvdOptions{});
    })->Unit(benchmark::kMillisecond);
}

}  // namespace tapegrad::bench
