// tapegrad_report: turns the benchmarks' JSON into docs/benchmarks.md and its plots (CSV, drawn by gnuplot).
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
#include "bench/report_scale.hpp"
#include "bench/report_targets.hpp"
#include "bench/report_text.hpp"
#include "io/plot.hpp"

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
// where it ran. Writes dir/<stem>.csv and draws dir/<stem>.svg from it with io/plots/steps.gp; false if gnuplot
// did not draw it. A run that has no such steps gets no plot.
bool plot_steps(const BenchmarkResults& results, const std::string& problem, const std::string& title,
                const std::map<std::string, double>* pytorch, OutputDir& out, const std::string& stem) {
    plot::Series tape{.name = "tape"}, hand{.name = "hand-derived"}, torch{.name = "PyTorch"};
    for (const std::string& args : step_sizes(results, problem)) {
        const StepPair pair = step_pair(results, problem, args);
        const double n = rows_of(args);
        if (pair.tape && pair.tape->error.empty()) tape.points.emplace_back(n, pair.tape->cpu_us);
        if (pair.hand && pair.hand->error.empty()) hand.points.emplace_back(n, pair.hand->cpu_us);
        if (const std::optional<double> us = lookup(pytorch, args)) torch.points.emplace_back(n, *us);
    }
    if (tape.points.empty() && hand.points.empty()) {  // a run without this problem's step benchmarks
        out.remove_at_commit(stem + ".svg");
        std::cout << "no " << problem << "_step_* results: " << out.target(stem + ".svg").string() << " not drawn\n";
        return true;
    }
    std::vector<plot::Series> series = {tape, hand};
    std::vector<std::string> keys = {"tapegrad, tape", "tapegrad, hand-derived gradient"};
    if (!torch.points.empty()) {
        series.push_back(torch);
        keys.push_back("PyTorch, the tutorial's loop");
    }
    plot::write_csv(out, stem + ".csv", "n", series);
    return plot::Script("steps.gp")
        .set("data", stem + ".csv")
        .set("title", title)
        .set("xlabel", problem == "svd" ? "matrix size n (n×n; the smallest is 5×4)" : "matrix size n (n×n)")
        .set_array("keys", keys)
        .draw(out, stem);
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
    if (!run) {
        out << "(not run)\n";
        return;
    }
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
    Table table({"", ""}, /*text_columns=*/2);
    table.add({"CPU", c.value("cpu_model", "unknown") + ", " + std::to_string(c.value("num_cpus", 0)) + " CPUs at " +
                          std::to_string(c.value("mhz_per_cpu", 0)) + " MHz"});
    // Google Benchmark lists the caches only where the system tells it (not inside every VM): no row then.
    if (const std::string caches = c.contains("caches") ? caches_text(c["caches"]) : ""; !caches.empty())
        table.add({"caches", caches});
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
}

// ---- the page -----------------------------------------------------------------------------------------------

// What a section writes, as text: a part of the page.
std::string part(const std::function<void(std::ostream&)>& write) {
    std::ostringstream out;
    write(out);
    std::string text = out.str();
    while (!text.empty() && text.back() == '\n') text.pop_back();  // the template has the blank lines
    return text;
}

// bench/benchmarks.md.in with each {{name}} replaced by its part. Throws std::logic_error for a {{name}} without a
// part, so the template and this program cannot drift apart unnoticed.
std::string page(const BenchmarkResults& results, const std::optional<PytorchResults>& torch,
                 const std::filesystem::path& dir) {
    const std::map<std::string, double>* none = nullptr;
    const std::map<std::string, std::string> parts = {
        {"pytorch_source", torch ? "The PyTorch columns come from `make bench-pytorch` (`bench/pytorch_reference.py`)."
                                 : "No PyTorch columns: `make bench-pytorch` (needs `python3-torch`) adds them."},
        {"pytorch_command", torch ? "make bench-pytorch   # the tutorial's PyTorch loops -> build/bench/pytorch.json\n" : ""},
        {"pytorch_svd_note", torch ? "PyTorch runs the tutorial's loop as the tutorial writes it, `U @ torch.diag(d*d) @ "
                                     "V.T` (a k×k product more than the tape records), and again with `U * (d*d)`, the "
                                     "tape's arithmetic.\n\n"
                                   : ""},
        {"machine", part([&](std::ostream& out) { write_machine(out, results, torch); })},
        {"targets", part([&](std::ostream& out) { write_targets(out, targets(results)); })},
        {"svd_steps", part([&](std::ostream& out) {
             write_step_table(out, results, "svd",
                              {{"PyTorch, tutorial's loss", torch ? &torch->svd_step_tutorial : none},
                               {"PyTorch, U·d²", torch ? &torch->svd_step_broadcast : none}});
         })},
        {"inverse_steps", part([&](std::ostream& out) {
             write_step_table(out, results, "inverse", {{"PyTorch", torch ? &torch->inverse_step : none}});
         })},
        {"svd_solves", part([&](std::ostream& out) { write_solve_table(out, results, "svd"); })},
        {"inverse_solves", part([&](std::ostream& out) { write_solve_table(out, results, "inverse"); })},
        {"tutorial_run", part([&](std::ostream& out) { write_tutorial_run(out, results, torch); })},
        {"suites", part([&](std::ostream& out) { write_suites(out, dir); })},
        {"scale", part([&](std::ostream& out) { write_scale(out, results, dir); })},
    };
    std::string text(page_template());
    for (std::size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at)) {
        const std::size_t end = text.find("}}", at);
        const std::string name = text.substr(at + 2, end - at - 2);
        const auto it = parts.find(name);
        if (end == std::string::npos || it == parts.end())
            throw std::logic_error("bench/benchmarks.md.in: no part named {{" + name + "}}");
        text.replace(at, end + 2 - at, it->second);
        at += it->second.size();
    }
    return text;
}

}  // namespace

int run(const std::filesystem::path& results_path, const std::filesystem::path& pytorch_path,
        const std::filesystem::path& out_dir) {
    const BenchmarkResults results = BenchmarkResults::load(results_path);
    const std::optional<PytorchResults> torch = PytorchResults::load(pytorch_path);
    // The plots first, in place before the page is written: it links only the plots that were drawn.
    OutputDir out(out_dir);
    const bool scale = plot_scale(results, out);
    const bool svd = plot_steps(results, "svd", "tapegrad_report: one SVD descent step, by the tape, by hand, by PyTorch",
                                torch ? &torch->svd_step_tutorial : nullptr, out, "benchmarks");
    const bool inverse = plot_steps(results, "inverse",
                                    "tapegrad_report: one inverse descent step, by the tape, by hand, by PyTorch",
                                    torch ? &torch->inverse_step : nullptr, out, "benchmarks_inverse");
    out.commit();
    OutputDir page_out(out_dir);
    page_out.write("benchmarks.md", page(results, torch, out_dir));
    page_out.commit();
    std::cout << "wrote " << page_out.target("benchmarks.md").string()
              << (torch ? " (with PyTorch, from " + pytorch_path.string() + ")" : " (no PyTorch results)") << "\n";
    return svd && inverse && scale ? 0 : 1;  // the page links the plots: without them it is not done
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
