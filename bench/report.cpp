// tapegrad_report: turns the benchmarks' JSON into docs/benchmarks.md and its two plots (CSV, drawn by gnuplot).
// `make bench` runs it after tapegrad_bench; `make bench-pytorch` beforehand adds the PyTorch columns
// (build/bench/pytorch.json). Its text and tables: report_text.hpp; its verdicts: report_targets.hpp.
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
#include "bench/report_targets.hpp"
#include "bench/report_text.hpp"
#include "demos/plot.hpp"

namespace tapegrad::report {

namespace {

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

// One step's CPU time against the matrix's size: through the tape, with the hand-derived gradient, and in PyTorch
// where it ran. Writes dir/<stem>.csv and draws dir/<stem>.svg from it with demos/plots/steps.gp; false if gnuplot
// did not draw it. A run that has no such steps gets no plot.
bool plot_steps(const BenchmarkResults& results, const std::string& problem, const std::string& title,
                const std::map<std::string, double>* pytorch, const std::filesystem::path& dir, const std::string& stem) {
    plot::Series tape{.name = "tape"}, hand{.name = "hand-derived"}, torch{.name = "PyTorch"};
    for (const std::string& args : step_sizes(results, problem)) {
        const StepPair pair = step_pair(results, problem, args);
        const double n = rows_of(args);
        if (pair.tape && pair.tape->error.empty()) tape.points.emplace_back(n, pair.tape->cpu_us);
        if (pair.hand && pair.hand->error.empty()) hand.points.emplace_back(n, pair.hand->cpu_us);
        if (const std::optional<double> us = lookup(pytorch, args)) torch.points.emplace_back(n, *us);
    }
    if (tape.points.empty() && hand.points.empty()) {  // a run without this problem's step benchmarks
        std::filesystem::remove(dir / (stem + ".svg"));
        std::cout << "no " << problem << "_step_* results: " << (dir / (stem + ".svg")).string() << " not drawn\n";
        return true;
    }
    std::vector<plot::Series> series = {tape, hand};
    std::vector<std::string> keys = {"tapegrad, tape", "tapegrad, hand-derived gradient"};
    if (!torch.points.empty()) {
        series.push_back(torch);
        keys.push_back("PyTorch, the tutorial's loop");
    }
    plot::write_csv(dir / (stem + ".csv"), "n", series);
    return plot::Script("steps.gp")
        .set("data", stem + ".csv")
        .set("title", title)
        .set("xlabel", problem == "svd" ? "matrix size n (n×n; the smallest is 5×4)" : "matrix size n (n×n)")
        .set_array("keys", keys)
        .draw(dir, stem);
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

// make bench runs the robust methods on the full suite of linalg/test_matrices.hpp into suite_svd.txt and
// suite_inverse.txt beside this page (one line per matrix, then a summary line per method); the page quotes the
// summaries and links the listings.
void write_suites(std::ostream& out, const std::filesystem::path& dir) {
    out << "## The robust methods on the test suite\n\n"
        << "Hundreds of matrices with known singular values (`linalg/test_matrices.hpp`: 1×1 to 64×64, rows, "
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
    std::cout << "wrote " << (out_dir / "benchmarks.md").string()
              << (torch ? " (with PyTorch, from " + pytorch_path.string() + ")" : " (no PyTorch results)") << "\n";
    const bool svd = plot_steps(results, "svd", "tapegrad_report: one SVD descent step, by the tape, by hand, by PyTorch",
                                torch ? &torch->svd_step_tutorial : nullptr, out_dir, "benchmarks");
    const bool inverse = plot_steps(results, "inverse",
                                    "tapegrad_report: one inverse descent step, by the tape, by hand, by PyTorch",
                                    torch ? &torch->inverse_step : nullptr, out_dir, "benchmarks_inverse");
    return svd && inverse ? 0 : 1;  // the page links the plots: without them it is not done
}

}  // namespace tapegrad::report

int main(int argc, char** argv) {
    CLI::App app{"Writes docs/benchmarks.md and its plots (gnuplot) from tapegrad_bench's JSON output (and PyTorch's). "
                 "Exit status: 0 done, 1 an error or a plot not drawn."};
    std::string results = "build/bench/results.json", pytorch = "build/bench/pytorch.json", out = "docs";
    app.add_option("--results", results, "Google Benchmark's JSON (--benchmark_out_format=json)")
        ->capture_default_str();
    app.add_option("--pytorch", pytorch, "bench/pytorch_reference.py's JSON; skipped if absent")->capture_default_str();
    app.add_option("--out", out, "Directory for benchmarks.md, benchmarks{,_inverse}.{csv,gp,svg}")
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
