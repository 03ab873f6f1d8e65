// tapegrad_report: turns the benchmarks' JSON into docs/benchmarks.md and its two plots. `make bench` runs it
// after tapegrad_bench; `make bench-pytorch` beforehand adds the PyTorch columns (build/bench/pytorch.json).
//
//   tapegrad_report [--results build/bench/results.json] [--pytorch build/bench/pytorch.json] [--out docs]
//
// Every number on the page comes from those files, and every target's verdict is computed here from them, so
// the page cannot claim more than the run measured.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/report_results.hpp"
#include "demos/svg_plot.hpp"

namespace tapegrad::report {

namespace {

// ---- numbers as text ----------------------------------------------------------------------------------------

std::string printf_text(const char* format, double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, x);
    return buffer;
}

std::string fixed(double x, int decimals) { return printf_text(("%." + std::to_string(decimals) + "f").c_str(), x); }

// Three significant digits, never in e-notation for the sizes a table holds (0.1 up to 999,000).
std::string three_digits(double x) {
    const double a = std::abs(x);
    if (a == 0) return "0";
    if (a >= 100) return fixed(x, 0);
    if (a >= 10) return fixed(x, 1);
    if (a >= 1) return fixed(x, 2);
    if (a >= 0.1) return fixed(x, 3);
    return printf_text("%.2e", x);
}

// A time in the unit that keeps it between 1 and 1000: "633 ns", "12.4 µs", "13.5 ms", "1.20 s".
std::string time_text(double us) {
    if (us < 1) return three_digits(us * 1e3) + " ns";
    if (us < 1e3) return three_digits(us) + " µs";
    if (us < 1e6) return three_digits(us / 1e3) + " ms";
    return three_digits(us / 1e6) + " s";
}

std::string error_text(double x) { return printf_text("%.1e", x); }

// As short as it is exact: 0.9, 0.01.
std::string plain(double x) { return printf_text("%g", x); }

// A count with thousands separated: 66,175.
std::string count_text(double x) {
    const std::string digits = fixed(std::abs(x), 0);
    std::string text = x < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

// "659×", "13,791×": how many times one time is another.
std::string times_text(double ratio) { return (ratio < 1000 ? three_digits(ratio) : count_text(ratio)) + "×"; }

// "svd" and "inverse" as a sentence names them.
std::string problem_name(const std::string& problem) { return problem == "svd" ? "SVD" : problem; }

// "73%": how far a measured value is past its bound, as a fraction of the bound.
std::string percent_over(double measured, double bound) { return fixed((measured / bound - 1) * 100, 0) + "%"; }

// "5/4" (a benchmark's arguments) as "5×4".
std::string shape_text(const std::string& args) {
    std::string text = args;
    const std::size_t slash = text.find('/');
    return slash == std::string::npos ? text : text.replace(slash, 1, "×");
}

// The rows of "5/4": 5. Used as the plots' x and to pick the sizes from 64×64 up.
double rows_of(const std::string& args) { return std::stod(args.substr(0, args.find('/'))); }
double cols_of(const std::string& args) { return std::stod(args.substr(args.find('/') + 1)); }

// What follows the last '/' of a name: "M1" of "svd_solve/penalty/adam/M1".
std::string last_part(const std::string& name) { return name.substr(name.rfind('/') + 1); }

// ---- a markdown table ---------------------------------------------------------------------------------------

// The first text_columns columns hold words, left-aligned; the rest numbers, right-aligned. A '|' in a cell is
// escaped, so a command's regex in backticks stays in its cell.
class Table {
public:
    explicit Table(std::vector<std::string> header, std::size_t text_columns = 1)
        : header_(std::move(header)), text_columns_(text_columns) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }

    void write(std::ostream& out) const {
        write_row(out, header_);
        out << "|";
        for (std::size_t i = 0; i < header_.size(); ++i) out << (i < text_columns_ ? " --- |" : " ---: |");
        out << "\n";
        for (const std::vector<std::string>& row : rows_) write_row(out, row);
        out << "\n";
    }

private:
    static void write_row(std::ostream& out, const std::vector<std::string>& cells) {
        out << "|";
        for (const std::string& cell : cells) {
            out << " ";
            for (const char c : cell) {
                if (c == '|') out << '\\';
                out << c;
            }
            out << " |";
        }
        out << "\n";
    }

    std::vector<std::string> header_;
    std::size_t text_columns_;
    std::vector<std::vector<std::string>> rows_;
};

// ---- the targets --------------------------------------------------------------------------------------------

// (Every member has an initializer, so a designated initializer may leave any out without a warning.)
struct Target {
    std::string goal{};
    std::string measured{};
    std::optional<bool> met{};  // nullopt: the run did not measure it
    std::string shortfall{};    // where not met: by how much
};

constexpr double max_small_step_us = 1.0;      // svd_step_autodiff/5/4
constexpr double max_small_ratio = 1.5;        // tape ÷ hand-derived at the smallest size
constexpr double max_large_ratio = 1.2;        // tape ÷ hand-derived from 64×64 up
constexpr double max_tutorial_run_ms = 20.0;   // the tutorial's 20,000 steps on M1
constexpr std::size_t large_from = 64;
constexpr double max_robust_iterations = 100;  // the most robust SVD method on M1 (issue 5)
constexpr double max_robust_lapack_ratio = 20;  // ... and its time over LAPACK's dgesdd on M1

// The step benchmarks' arguments ("5/4", ...) for a problem ("svd" or "inverse"), in the order they ran.
std::vector<std::string> step_sizes(const BenchmarkResults& results, const std::string& problem) {
    const std::string prefix = problem + "_step_autodiff/";
    std::vector<std::string> sizes;
    for (const std::string& name : results.names_starting_with(prefix)) sizes.push_back(name.substr(prefix.size()));
    return sizes;
}

struct StepPair {
    const Run* tape = nullptr;
    const Run* hand = nullptr;
    std::optional<double> ratio() const {
        if (!tape || !hand || !tape->error.empty() || !hand->error.empty() || hand->cpu_us <= 0) return std::nullopt;
        return tape->cpu_us / hand->cpu_us;
    }
};

StepPair step_pair(const BenchmarkResults& results, const std::string& problem, const std::string& args) {
    return {results.find(problem + "_step_autodiff/" + args), results.find(problem + "_step_handwritten/" + args)};
}

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
    Target t{.goal = "the tutorial's 20,000 SVD steps on M1 (`svd_tutorial_run/M1`) well under 20 ms"};
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

std::vector<Target> targets(const BenchmarkResults& results) {
    std::vector<Target> all = {small_step_target(results), small_ratio_target(results, "svd", "5/4")};
    const std::vector<std::string> inverse_sizes = step_sizes(results, "inverse");
    if (!inverse_sizes.empty()) all.push_back(small_ratio_target(results, "inverse", inverse_sizes.front()));
    all.push_back(large_ratio_target(results, "svd"));
    all.push_back(large_ratio_target(results, "inverse"));
    all.push_back(allocation_target(results));
    all.push_back(tutorial_run_target(results));
    all.push_back(robust_svd_target(results));
    return all;
}

void write_targets(std::ostream& out, const std::vector<Target>& all) {
    out << "## Targets\n\n";
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

// ---- the per-step tables and plots --------------------------------------------------------------------------

std::optional<double> lookup(const std::map<std::string, double>* times, const std::string& args) {
    if (!times) return std::nullopt;
    const auto it = times->find(args);
    return it == times->end() ? std::nullopt : std::optional<double>(it->second);
}

// A PyTorch time and the tape's speed-up over it, or dashes where PyTorch did not run at that size.
void add_pytorch_cells(std::vector<std::string>& row, std::optional<double> pytorch_us, const Run* tape) {
    if (!pytorch_us || !tape) {
        row.insert(row.end(), {"–", "–"});
        return;
    }
    row.push_back(time_text(*pytorch_us));
    row.push_back(times_text(*pytorch_us / tape->cpu_us));
}

void write_step_table(std::ostream& out, const BenchmarkResults& results, const std::string& problem,
                      const std::vector<std::pair<std::string, const std::map<std::string, double>*>>& pytorch) {
    std::vector<std::string> header = {"size", "tape", "hand-derived", "tape ÷ hand", "allocs/step (tape)",
                                       "GFlop/s (tape)"};
    for (const auto& [label, times] : pytorch) header.insert(header.end(), {label, "tape's speed-up"});
    Table table(header);
    for (const std::string& args : step_sizes(results, problem)) {
        const StepPair pair = step_pair(results, problem, args);
        const auto time_cell = [](const Run* r) {
            return !r ? std::string("–") : !r->error.empty() ? r->error : time_text(r->cpu_us);
        };
        const std::optional<double> ratio = pair.ratio();
        const std::optional<double> allocs = pair.tape ? pair.tape->counter("allocs_per_iter") : std::nullopt;
        const std::optional<double> flops = pair.tape ? pair.tape->counter("flops") : std::nullopt;
        std::vector<std::string> row = {shape_text(args), time_cell(pair.tape), time_cell(pair.hand),
                                        ratio ? fixed(*ratio, 2) : "–", allocs ? three_digits(*allocs) : "–",
                                        flops ? three_digits(*flops / 1e9) : "–"};
        for (const auto& [label, times] : pytorch) add_pytorch_cells(row, lookup(times, args), pair.tape);
        table.add(row);
    }
    if (table.empty()) out << "(not run)\n\n";
    else table.write(out);
}

void plot_steps(const BenchmarkResults& results, const std::string& problem, const std::string& title,
                const std::string& x_label,
                const std::vector<std::pair<std::string, const std::map<std::string, double>*>>& pytorch,
                const std::filesystem::path& path) {
    plot::Figure figure{.title = title,
                        .x_label = x_label,
                        .y_label = "CPU time per step (µs)",
                        .log_x = true,
                        .log_y = true};
    plot::Series tape{.label = "tapegrad, tape", .style = plot::Series::Style::line_and_markers};
    plot::Series hand{.label = "tapegrad, hand-derived gradient", .style = plot::Series::Style::line_and_markers};
    std::vector<plot::Series> torch;
    for (const auto& [label, times] : pytorch)
        torch.push_back({.label = label, .style = plot::Series::Style::line_and_markers});
    for (const std::string& args : step_sizes(results, problem)) {
        const StepPair pair = step_pair(results, problem, args);
        const double n = rows_of(args);
        const auto add = [n](plot::Series& series, double us) {
            series.x.push_back(n);
            series.y.push_back(us);
        };
        if (pair.tape && pair.tape->error.empty()) add(tape, pair.tape->cpu_us);
        if (pair.hand && pair.hand->error.empty()) add(hand, pair.hand->cpu_us);
        for (std::size_t i = 0; i < pytorch.size(); ++i)
            if (const std::optional<double> us = lookup(pytorch[i].second, args)) add(torch[i], *us);
    }
    figure.series = {tape, hand};
    for (plot::Series& s : torch)
        if (!s.x.empty()) figure.series.push_back(std::move(s));
    plot::write_svg(figure, path);
}

// ---- the solves ---------------------------------------------------------------------------------------------

// svd_solve/<method>/<optimizer>/<matrix> and inverse_solve/...: one row each, next to LAPACK on that matrix.
void write_solve_table(std::ostream& out, const BenchmarkResults& results, const std::string& problem) {
    const bool svd = problem == "svd";
    std::vector<std::string> header = {"matrix", "method", "optimizer (lr)", "status", "iterations",
                                       "time to solution", "LAPACK", "÷ LAPACK"};
    if (svd) header.push_back("max σ error vs LAPACK");
    else header.insert(header.end(), {"max |X·M − I|", "max |X − X_LAPACK|"});
    Table table(header, /*text_columns=*/4);
    for (const std::string& name : results.names_starting_with(problem + "_solve/")) {
        const Run& run = *results.find(name);
        // <problem>_solve/<method>/<optimizer>/<matrix>
        const std::size_t a = name.find('/'), b = name.find('/', a + 1), c = name.find('/', b + 1);
        const std::string method = name.substr(a + 1, b - a - 1), optimizer = name.substr(b + 1, c - b - 1);
        const std::string matrix = last_part(name);
        const Run* lapack = results.find(problem + "_lapack_tutorial/" + matrix);
        const auto counter = [&](const char* key, const std::function<std::string(double)>& show) {
            const std::optional<double> v = run.counter(key);
            return v ? show(*v) : std::string("–");
        };
        std::vector<std::string> row = {
            matrix, method, optimizer + (run.counter("lr") ? " (" + plain(*run.counter("lr")) + ")" : ""),
            run.error.empty() ? (run.label == "converged" ? run.label : "**" + run.label + "**") : run.error,
            counter("descent_iterations", count_text), time_text(run.cpu_us),
            lapack ? time_text(lapack->cpu_us) : "–",
            lapack ? times_text(run.cpu_us / lapack->cpu_us) : "–"};
        if (svd) row.push_back(counter("max_singular_value_error", error_text));
        else row.insert(row.end(), {counter("residual", error_text), counter("error_vs_lapack", error_text)});
        table.add(row);
    }
    if (table.empty()) out << "(not run)\n\n";
    else table.write(out);
}

// The tutorial's run: what it found, as well as how long it took, since PyTorch starts from torch's own guess
// and a descent from another guess can end elsewhere (a d_j at 0 stays there: ∂L/∂d_j is proportional to d_j).
void write_tutorial_run(std::ostream& out, const BenchmarkResults& results,
                        const std::optional<PytorchResults>& torch) {
    const Run* run = results.find("svd_tutorial_run/M1");
    const Run* lapack = results.find("svd_lapack_tutorial/M1");
    if (!run) return;
    out << "### The tutorial's whole run\n\n"
        << "The tutorial's SVD of M1 exactly: 20,000 momentum steps (lr 0.9, momentum 0.9, no tolerance), timed "
           "whole (`svd_tutorial_run/M1`; PyTorch: `bench/pytorch_reference.py`, from `torch.manual_seed(314)` "
           "guesses).\n\n";
    Table table({"", "time", "per step", "final loss", "answer"});
    const auto error = run->counter("max_singular_value_error");
    const auto loss = run->counter("final_loss");
    table.add({"tapegrad (tape)", time_text(run->cpu_us), time_text(run->cpu_us / 20000),
               loss ? error_text(*loss) : "–", error ? "max σ error vs LAPACK " + error_text(*error) : "–"});
    if (torch && torch->tutorial_run_ms) {
        std::string sigma;
        for (const double s : torch->tutorial_run_singular_values)
            sigma += (sigma.empty() ? "σ = " : ", ") + fixed(s, 4);
        table.add({"PyTorch, the tutorial's loop", time_text(*torch->tutorial_run_ms * 1e3),
                   time_text(*torch->tutorial_run_ms * 1e3 / 20000),
                   torch->tutorial_run_final_loss ? error_text(*torch->tutorial_run_final_loss) : "–",
                   sigma.empty() ? "–" : sigma});
    }
    if (lapack) table.add({"LAPACK `dgesdd`, once", time_text(lapack->cpu_us), "–", "–", "the reference"});
    table.write(out);
    if (torch && torch->tutorial_run_ms)
        out << "The tape runs the 20,000 steps " << times_text(*torch->tutorial_run_ms * 1e3 / run->cpu_us)
            << " faster than PyTorch.";
    if (lapack) out << " LAPACK answers " << times_text(run->cpu_us / lapack->cpu_us) << " faster than the tape.";
    out << "\n";
}

// ---- the machine --------------------------------------------------------------------------------------------

std::string caches_text(const nlohmann::json& caches) {
    std::string text;
    for (const nlohmann::json& c : caches) {
        const std::string type = c.value("type", "");
        const std::string kind = type == "Data" ? "d" : type == "Instruction" ? "i" : "";
        const double kib = c.value("size", 0.0) / 1024;
        std::string size = kib >= 1024 ? fixed(kib / 1024, 0) + " MiB" : fixed(kib, 0) + " KiB";
        if (c.value("num_sharing", 1) > 1) size += " (shared by " + std::to_string(c.value("num_sharing", 1)) + ")";
        text += (text.empty() ? "" : ", ") + ("L" + std::to_string(c.value("level", 0)) + kind + " " + size);
    }
    return text;
}

void write_machine(std::ostream& out, const BenchmarkResults& results, const std::optional<PytorchResults>& torch) {
    const nlohmann::json& c = results.context();
    out << "## Machine\n\n";
    Table table({"", ""}, /*text_columns=*/2);
    table.add({"CPU", c.value("cpu_model", "unknown") + ", " + std::to_string(c.value("num_cpus", 0)) + " CPUs at " +
                          std::to_string(c.value("mhz_per_cpu", 0)) + " MHz"});
    if (c.contains("caches")) table.add({"caches", caches_text(c["caches"])});
    if (c.contains("load_avg") && c["load_avg"].is_array() && !c["load_avg"].empty())
        table.add({"load average at start", fixed(c["load_avg"][0].get<double>(), 2) +
                                                " (the machine is shared: hence CPU time, see below)"});
    table.add({"host", c.value("host_name", "unknown")});
    table.add({"benchmarks run", c.value("date", "unknown")});
    table.add({"command", "`" + c.value("command", "unknown") + "`"});
    if (torch) {
        const nlohmann::json& t = torch->context;
        table.add({"PyTorch", t.value("torch", "?") + " (Debian's python3-torch; BLAS: " + t.value("blas", "?") +
                                  "), Python " + t.value("python", "?") + ", " +
                                  std::to_string(t.value("threads", 0)) + " thread, " + t.value("dtype", "?") +
                                  ", run " + t.value("date", "?")});
        table.add({"PyTorch command", "`" + torch->command + "`"});
    }
    table.write(out);
}

// make bench runs the robust methods on the full suite of bench/test_matrices.hpp into suite_svd.txt and
// suite_inverse.txt beside this page (one line per matrix, then a summary line per method); the page quotes the
// summaries and links the listings.
void write_suites(std::ostream& out, const std::filesystem::path& dir) {
    out << "## The robust methods on the test suite\n\n"
        << "Hundreds of matrices with known singular values (`bench/test_matrices.hpp`: 1×1 to 64×64, rows, "
           "columns, tall and wide; condition numbers to 1e6, rank-deficient, repeated and nearly repeated "
           "values; norms 1e-6 to 1e6), each solved and compared with LAPACK. Success: every singular value within "
           "1e-8·σ₁ and reconstruction within 1e-8 (SVD), the inverse within max(1e-8, 20·κ·ε) relative (inverse). "
           "`make bench` runs `svd_suite trust-region full --all` and `inverse_suite full conjugate_gradient "
           "newton_schulz`; the per-matrix listings (iterations and time of every case) are linked.\n\n";
    for (const auto& [file, marker] : {std::pair<std::string, std::string>{"suite_svd.txt", " passed, "},
                                       std::pair<std::string, std::string>{"suite_inverse.txt", " succeed;"}}) {
        std::ifstream in(dir / file);
        if (!in) {
            out << "- [" << file << "](" << file << "): not run\n";
            continue;
        }
        for (std::string line; std::getline(in, line);)
            if (line.find(marker) != std::string::npos) out << "- " << line << " ([" << file << "](" << file << "))\n";
    }
    out << "\n";
}

// ---- the page -----------------------------------------------------------------------------------------------

void write_page(std::ostream& out, const BenchmarkResults& results, const std::optional<PytorchResults>& torch,
                const std::filesystem::path& dir) {
    out << "# Benchmarks\n\n"
        << "Generated by `make bench` (`build/bin/tapegrad_bench`, then `build/bin/tapegrad_report`); edit "
           "`bench/report.cpp`, not this file. ";
    if (torch) out << "The PyTorch columns come from `make bench-pytorch` (`bench/pytorch_reference.py`).";
    else out << "No PyTorch columns: `make bench-pytorch` (needs `python3-torch`) adds them.";
    out << "\n\n"
        << "```sh\n"
        << (torch ? "make bench-pytorch   # the tutorial's PyTorch loops -> build/bench/pytorch.json\n" : "")
        << "make bench           # tapegrad_bench -> build/bench/results.json -> this page and its plots\n"
        << "```\n\n"
        << "Times are **CPU time** per iteration (Google Benchmark's `cpu_time`; for PyTorch the process's CPU "
           "time), the median of the repetitions where there were several: the benchmark machine is shared, and "
           "wall time would count the other jobs as well. OpenBLAS and PyTorch run on one thread, in float64. "
           "Compare numbers within one run; across runs they move by 10–30%.\n\n";
    write_machine(out, results, torch);
    write_targets(out, targets(results));

    const std::map<std::string, double>* svd_tutorial = torch ? &torch->svd_step_tutorial : nullptr;
    const std::map<std::string, double>* svd_broadcast = torch ? &torch->svd_step_broadcast : nullptr;
    const std::map<std::string, double>* inverse = torch ? &torch->inverse_step : nullptr;
    out << "## One descent step\n\n"
        << "One step of the tutorial's descent (loss, gradient, momentum update; lr 1e-3) on a random matrix, "
           "through the tape (`*_step_autodiff`) and with the gradient derived by hand and computed without it "
           "(`*_step_handwritten`, the floor). GFlop/s counts the hand-derived algorithm's flops (formulas in "
           "`bench/bench_steps.cpp`).\n\n"
        << "### SVD (`svd_step_*`): plot [benchmarks.svg](benchmarks.svg)\n\n";
    if (torch)
        out << "PyTorch runs the tutorial's loop as the tutorial writes it, `U @ torch.diag(d*d) @ V.T` (a k×k "
               "product more than the tape records), and again with `U * (d*d)`, the tape's arithmetic.\n\n";
    write_step_table(out, results, "svd",
                     {{"PyTorch, tutorial's loss", svd_tutorial}, {"PyTorch, U·d²", svd_broadcast}});
    out << "### Inverse (`inverse_step_*`, X·M = I): plot [benchmarks_inverse.svg](benchmarks_inverse.svg)\n\n";
    write_step_table(out, results, "inverse", {{"PyTorch", inverse}});

    out << "## Whole solves, against LAPACK\n\n"
        << "Each descent starts from its seeded guess. The tutorial's methods (`penalty`, `descent`, with an "
           "optimizer and its lr) stop at a loss ≤ 1e-10, or when they stall (no 0.1% improvement in 1,000 "
           "steps), diverge, or reach 200,000 steps. The robust methods of docs/svd.md and docs/inverse.md (no "
           "lr: the optimizer column names their step rule) stop by themselves at their accuracy target: the "
           "SVD's Riemannian gradient ≤ 1e-10, the inverse's residual at rounding level (`bench/bench_solve.cpp`). "
           "The error is the answer's, compared with LAPACK's on the same tutorial matrix; LAPACK's time is one "
           "`dgesdd` (SVD) or `dgetrf` + `dgetri` (inverse) call on that matrix (`*_lapack_tutorial`).\n\n"
        << "### SVD (`svd_solve/<method>/<optimizer>/<matrix>`)\n\n";
    write_solve_table(out, results, "svd");
    out << "### Inverse (`inverse_solve/<method>/<optimizer>/<matrix>`)\n\n";
    write_solve_table(out, results, "inverse");
    write_tutorial_run(out, results, torch);
    out << "\n";
    write_suites(out, dir);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream file(path);
    if (!(file << text)) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int run(const std::filesystem::path& results_path, const std::filesystem::path& pytorch_path,
        const std::filesystem::path& out_dir) {
    const BenchmarkResults results = BenchmarkResults::load(results_path);
    const std::optional<PytorchResults> torch = PytorchResults::load(pytorch_path);
    std::filesystem::create_directories(out_dir);

    std::ostringstream page;
    write_page(page, results, torch, out_dir);
    write_text(out_dir / "benchmarks.md", page.str());
    const std::map<std::string, double>* svd_tutorial = torch ? &torch->svd_step_tutorial : nullptr;
    const std::map<std::string, double>* inverse = torch ? &torch->inverse_step : nullptr;
    plot_steps(results, "svd", "One SVD descent step: tape, hand-derived gradient, PyTorch",
               "matrix size n (n×n; the smallest is 5×4)",
               {{"PyTorch, the tutorial's loop", svd_tutorial}}, out_dir / "benchmarks.svg");
    plot_steps(results, "inverse", "One inverse descent step: tape, hand-derived gradient, PyTorch",
               "matrix size n (n×n)",
               {{"PyTorch, the tutorial's loop", inverse}}, out_dir / "benchmarks_inverse.svg");
    std::cout << "wrote " << (out_dir / "benchmarks.md").string() << ", " << (out_dir / "benchmarks.svg").string()
              << " and " << (out_dir / "benchmarks_inverse.svg").string()
              << (torch ? " (with PyTorch, from " + pytorch_path.string() + ")" : " (no PyTorch results)") << "\n";
    return 0;
}

}  // namespace tapegrad::report

int main(int argc, char** argv) {
    CLI::App app{"Writes docs/benchmarks.md and its plots from tapegrad_bench's JSON output (and PyTorch's)."};
    std::string results = "build/bench/results.json", pytorch = "build/bench/pytorch.json", out = "docs";
    app.add_option("--results", results, "Google Benchmark's JSON (--benchmark_out_format=json)")
        ->capture_default_str();
    app.add_option("--pytorch", pytorch, "bench/pytorch_reference.py's JSON; skipped if absent")->capture_default_str();
    app.add_option("--out", out, "Directory for benchmarks.md, benchmarks.svg, benchmarks_inverse.svg")
        ->capture_default_str();
    try {
        app.parse(argc, argv);
        return tapegrad::report::run(results, pytorch, out);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "tapegrad_report: error: " << e.what() << "\n";
        return 1;
    }
}
