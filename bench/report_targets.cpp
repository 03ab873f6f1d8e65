#include "bench/report_targets.hpp"

#include <utility>

#include "bench/report_scale.hpp"
#include "bench/report_text.hpp"

namespace tapegrad::report {

namespace {

constexpr double max_small_step_us = 1.0;      // svd_step_autodiff/5/4
constexpr double max_small_ratio = 1.5;        // tape ÷ hand-derived at the smallest size
constexpr double max_large_ratio = 1.2;        // tape ÷ hand-derived from 64×64 up
constexpr double max_tutorial_run_ms = 10.0;   // the tutorial's 20,000 steps on M1 (issue 12)
constexpr std::size_t large_from = 64;
constexpr double max_robust_iterations = 100;  // the most robust SVD method on M1 (issue 5)
constexpr double max_robust_lapack_ratio = 20;  // ... and its time over LAPACK's dgesdd on M1

Target small_step_target(const BenchmarkResults& results) {
    Target t{.goal = "one SVD step through the tape at 5×4 (`svd_step_autodiff/5/4`) < 1 µs"};
    const Run* run = results.find("svd_step_autodiff/5/4");
    if (!run || !run->error.empty()) return t;
    t.measured = time_text(run->cpu_us);
    t.met = run->cpu_us < max_small_step_us;
    if (!*t.met) t.shortfall = percent_over(run->cpu_us, max_small_step_us) + " over";
    return t;
}

Target small_ratio_target(const BenchmarkResults& results, const std::string& problem, const std::string& args) {
    Target t{.goal = problem_name(problem) + " step, tape ÷ hand-derived at " + shape_text(args) + " ≤ " +
                     fixed(max_small_ratio, 1)};
    const std::optional<double> ratio = step_pair(results, problem, args).ratio();
    if (!ratio) return t;
    t.measured = fixed(*ratio, 2);
    t.met = *ratio <= max_small_ratio;
    if (!*t.met) t.shortfall = percent_over(*ratio, max_small_ratio) + " over";
    return t;
}

Target large_ratio_target(const BenchmarkResults& results, const std::string& problem) {
    Target t{.goal = problem_name(problem) + " step, tape ÷ hand-derived ≤ " + fixed(max_large_ratio, 1) +
                     " from 64×64 up"};
    std::vector<std::string> measured, over;
    for (const std::string& args : step_sizes(results, problem)) {
        if (rows_of(args) < large_from || cols_of(args) < large_from) continue;
        const std::optional<double> ratio = step_pair(results, problem, args).ratio();
        if (!ratio) continue;
        measured.push_back(shape_text(args) + ": " + fixed(*ratio, 2));
        if (*ratio > max_large_ratio) over.push_back(shape_text(args) + " by " + percent_over(*ratio, max_large_ratio));
    }
    if (measured.empty()) return t;
    for (const std::string& m : measured) t.measured += (t.measured.empty() ? "" : ", ") + m;
    t.met = over.empty();
    for (const std::string& o : over) t.shortfall += (t.shortfall.empty() ? "over at " : ", ") + o;
    return t;
}

Target allocation_target(const BenchmarkResults& results) {
    Target t{.goal = "heap allocations per step (`allocs_per_iter`) = 0 on every step benchmark"};
    std::vector<std::string> allocating;
    std::size_t measured = 0;
    for (const std::string& name : results.names_starting_with("")) {
        if (name.find("_step_") == std::string::npos) continue;
        const std::optional<double> allocs = results.find(name)->counter("allocs_per_iter");
        if (!allocs) continue;
        ++measured;
        if (*allocs != 0) allocating.push_back("`" + name + "`: " + three_digits(*allocs));
    }
    if (measured == 0) return t;
    t.met = allocating.empty();
    t.measured = allocating.empty() ? "0 on all " + std::to_string(measured) : std::to_string(allocating.size()) +
                                                                                  " of " + std::to_string(measured) +
                                                                                  " allocate";
    for (const std::string& a : allocating) t.shortfall += (t.shortfall.empty() ? "" : ", ") + a;
    return t;
}

Target tutorial_run_target(const BenchmarkResults& results) {
    Target t{.goal = "the tutorial's 20,000 SVD steps on M1 (`svd_tutorial_run/M1`) under 10 ms"};
    const Run* run = results.find("svd_tutorial_run/M1");
    if (!run || !run->error.empty()) return t;
    const double ms = run->cpu_us / 1e3;
    t.measured = time_text(run->cpu_us) + " (" + time_text(run->cpu_us / 20000) + " a step)";
    t.met = ms < max_tutorial_run_ms;
    if (!*t.met) t.shortfall = percent_over(ms, max_tutorial_run_ms) + " over";
    return t;
}

Target robust_svd_target(const BenchmarkResults& results) {
    Target t{.goal = "the most robust SVD method (`svd_solve/trust-region/tcg/M1`) on M1: converged in ≤ 100 "
                     "iterations and ≤ 20× LAPACK's `dgesdd` time"};
    const Run* run = results.find("svd_solve/trust-region/tcg/M1");
    const Run* lapack = results.find("svd_lapack_tutorial/M1");
    const std::optional<double> iterations = run ? run->counter("descent_iterations") : std::nullopt;
    if (!run || !lapack || !run->error.empty() || !iterations) return t;
    const double ratio = run->cpu_us / lapack->cpu_us;
    t.measured = run->label + " in " + count_text(*iterations) + " iterations, " + time_text(run->cpu_us) + " = " +
                 times_text(ratio) + " LAPACK's " + time_text(lapack->cpu_us);
    t.met = run->label == "converged" && *iterations <= max_robust_iterations && ratio <= max_robust_lapack_ratio;
    if (!*t.met) t.shortfall = ratio > max_robust_lapack_ratio ? percent_over(ratio, max_robust_lapack_ratio) + " over"
                                                               : "too many iterations, or not converged";
    return t;
}

}  // namespace

std::vector<Target> targets(const BenchmarkResults& results) {
    std::vector<Target> all = {small_step_target(results), small_ratio_target(results, "svd", "5/4")};
    const std::vector<std::string> inverse_sizes = step_sizes(results, "inverse");
    if (!inverse_sizes.empty()) all.push_back(small_ratio_target(results, "inverse", inverse_sizes.front()));
    all.push_back(large_ratio_target(results, "svd"));
    all.push_back(large_ratio_target(results, "inverse"));
    all.push_back(allocation_target(results));
    all.push_back(tutorial_run_target(results));
    all.push_back(robust_svd_target(results));
    for (Target& t : scale_targets(results)) all.push_back(std::move(t));
    return all;
}

void write_targets(std::ostream& out, const std::vector<Target>& all) {
    Table table({"target", "measured", "verdict"}, /*text_columns=*/3);
    std::vector<std::string> short_of;
    std::size_t met = 0, measured = 0;
    for (const Target& t : all) {
        std::string verdict = "not measured in this run";
        if (t.met) {
            ++measured;
            met += *t.met ? 1 : 0;
            verdict = *t.met ? "met" : "**not met**: " + t.shortfall;
            if (!*t.met) short_of.push_back(t.goal + " (" + t.shortfall + ")");
        }
        table.add({t.goal, t.measured.empty() ? "–" : t.measured, verdict});
    }
    out << met << " of " << all.size() << " targets met";
    if (measured < all.size()) out << " (" << all.size() - measured << " not measured in this run)";
    out << (short_of.empty() ? ".\n" : ". Short:\n\n");
    for (const std::string& s : short_of) out << "- " << s << "\n";
    out << "\n";
    table.write(out);
}

}  // namespace tapegrad::report
