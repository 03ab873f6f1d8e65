#pragma once
// What the three demo programs share: their command-line flags (CLI11), how a run picks its matrices, progress
// on a terminal, the losses CSV, and one place that turns any error into a message and a non-zero exit.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/descent.hpp"

namespace tapegrad::demo {

struct Options {
    std::optional<std::string> matrix_file;  // --matrix FILE
    std::optional<std::size_t> rows, cols;   // --rows --cols: a random matrix
    std::uint64_t seed = 1;                  // --seed: of that random matrix
    std::string method;                      // --method; empty: see chosen_method
    std::string variant = "right";           // --variant (inverse_demo): right X·M, left M·X, both
    std::string optimizer = "momentum";      // --optimizer
    std::optional<double> lr;                // --lr
    double momentum = 0.9;                   // --momentum
    std::optional<long> iterations;          // --iterations
    std::optional<double> tolerance;         // --tolerance
    std::uint64_t guess_seed = 314;          // --guess-seed: of the descent's initial guess
    std::string out_dir = "out";             // --out
    bool json = false;                       // --json
    bool quiet = false;                      // --quiet
};

// --out, --json, --quiet: every demo has these.
void add_output_flags(CLI::App& app, Options& options);
// --matrix, --rows, --cols, --seed, --method, --optimizer, --lr, --momentum, --iterations, --tolerance, --guess-seed.
void add_solver_flags(CLI::App& app, Options& options);

struct NamedMatrix {
    std::string name;  // "M1", or "M" for --matrix, "random" for --rows/--cols
    Matrix M;
    std::string label() const { return name + " (" + to_string(M.shape()) + ")"; }
};

// The user's matrix (--matrix or --rows/--cols) if there is one, else the tutorial's, given as
// {name, file in demos/data}; with --json only the first.
std::vector<NamedMatrix> matrices_to_run(const Options& options,
                                         const std::vector<std::pair<std::string, std::string>>& tutorial);

// --method if given; otherwise the tutorial's method on the tutorial's matrices, and the most robust one on a
// matrix of the user's (--matrix or --rows/--cols).
std::string chosen_method(const Options& options, std::string_view tutorial, std::string_view most_robust);

// The method's defaults with what the flags set on top, and progress on stderr when it is a terminal (and not
// --quiet).
DescentOptions descent_options(const Options& options, DescentOptions defaults, const std::string& label);

// --out, created if missing.
std::filesystem::path output_directory(const Options& options);

// Each run's loss per iteration, written as one CSV (iteration, then a column per run, empty once a run has
// stopped) and drawn by gnuplot with demos/plots/convergence.gp on a log scale (demos/plot.hpp).
class LossCurves {
public:
    // title names the program and the method, e.g. "svd_demo: penalty, the tutorial's method"; loss_label says
    // what the method's loss is, in gnuplot's enhanced text (x_{F} a subscript), e.g. "loss = mse(X·M, I)".
    LossCurves(std::string title, std::string loss_label)
        : title_(std::move(title)), loss_label_(std::move(loss_label)) {}
    void add(const NamedMatrix& run, const std::vector<double>& losses);
    // Writes <dir>/<stem>_losses.csv, <dir>/<stem>_convergence.gp and, with gnuplot, <dir>/<stem>_convergence.svg,
    // and says so on stdout; without gnuplot it says on stderr that the plot was not drawn, and why, and goes on.
    void write(const Options& options, const std::string& stem) const;

private:
    std::string title_, loss_label_;
    std::vector<std::string> names_, labels_;
    std::vector<std::vector<double>> losses_;
};

// Parses the command line and runs `body`; --help prints and exits 0, a bad flag or any exception prints
// "<program>: error: ..." on stderr and exits non-zero. Never lets an exception escape.
int run(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

// A matrix as JSON: an array of rows.
nlohmann::ordered_json to_json(const Matrix& m);

}  // namespace tapegrad::demo
