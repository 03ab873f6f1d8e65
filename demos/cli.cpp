#include "demos/cli.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <limits>

#include "demos/plot.hpp"
#include "demos/tutorial_data.hpp"
#include "linalg/matrix_file.hpp"

namespace tapegrad::demo {

void add_output_flags(CLI::App& app, Options& o) {
    app.add_option("--out", o.out_dir, "Directory for plots and CSV files (created if missing)")->capture_default_str();
    app.add_flag("--json", o.json, "Print one JSON object on stdout for one matrix (the given one, or M1); writes no files");
    app.add_flag("--quiet", o.quiet, "Print only the results: no walkthrough, no progress");
}

void add_solver_flags(CLI::App& app, Options& o) {
    auto* matrix = app.add_option("--matrix", o.matrix_file, "Run on the matrix in FILE (CSV or whitespace-separated, # comments)");
    auto* rows = app.add_option("--rows", o.rows, "Run on a random matrix with this many rows")->check(CLI::PositiveNumber);
    auto* cols = app.add_option("--cols", o.cols, "... and this many columns (default: as many as rows)")->check(CLI::PositiveNumber);
    matrix->excludes(rows)->excludes(cols);
    app.add_option("--seed", o.seed, "Seed of the random matrix")->capture_default_str();
    app.add_option("--optimizer", o.optimizer, "momentum (the tutorial's loop), sgd, nesterov or adam")
        ->check(CLI::IsMember({"momentum", "sgd", "nesterov", "adam"}))
        ->capture_default_str();
    app.add_option("--lr", o.lr, "Learning rate (default 0.9; 0.01 for adam)")->check(CLI::PositiveNumber);
    app.add_option("--momentum", o.momentum, "Momentum, in [0, 1)")->check(CLI::Range(0.0, 0.999999999))->capture_default_str();
    app.add_option("--iterations", o.iterations, "Maximum iterations (default: the tutorial's)")->check(CLI::NonNegativeNumber);
    app.add_option("--tolerance", o.tolerance,
                   "Stop once the loss is at most this (the tutorial's methods: 0, the default, runs every iteration); "
                   "the robust methods' own default is their accuracy target")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--guess-seed", o.guess_seed, "Seed of the initial guess (the tutorial's is 314)")->capture_default_str();
}

std::vector<NamedMatrix> matrices_to_run(const Options& o, const std::vector<std::pair<std::string, std::string>>& tutorial) {
    if (o.matrix_file) return {{"M", read_matrix_file(*o.matrix_file)}};
    if (o.rows || o.cols) {
        const std::size_t rows = o.rows.value_or(*o.cols), cols = o.cols.value_or(rows);
        return {{"random", Matrix::random(rows, cols, o.seed)}};
    }
    std::vector<NamedMatrix> all;
    for (const auto& [name, file] : tutorial) {
        all.push_back({name, tutorial_matrix(file)});
        if (o.json) break;  // one JSON object: the first
    }
    return all;
}

std::string chosen_method(const Options& o, std::string_view tutorial, std::string_view most_robust) {
    if (!o.method.empty()) return o.method;
    return std::string(o.matrix_file || o.rows || o.cols ? most_robust : tutorial);
}

DescentOptions descent_options(const Options& o, DescentOptions d, const std::string& label) {
    d.optimizer = parse_optimizer(o.optimizer);
    d.lr = o.lr;
    d.momentum = o.momentum;
    d.max_iterations = o.iterations.value_or(d.max_iterations);
    d.tolerance = o.tolerance.value_or(d.tolerance);
    d.seed = o.guess_seed;
    if (!o.quiet && !o.json && isatty(STDERR_FILENO)) {
        const long total = d.max_iterations;
        d.progress_interval = 500;
        d.progress = [label, total](long iteration, double loss) {
            std::fprintf(stderr, "\r  %s: iteration %ld/%ld, loss %.3e ", label.c_str(), iteration, total, loss);
            if (iteration + 500 > total) std::fprintf(stderr, "\r%*s\r", 80, "");  // clear the line at the end
            std::fflush(stderr);
        };
    }
    return d;
}

std::filesystem::path output_directory(const Options& o) {
    const std::filesystem::path dir = o.out_dir;
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error || !std::filesystem::is_directory(dir))
        throw std::runtime_error("--out " + o.out_dir + ": cannot create the directory" +
                                 (error ? " (" + error.message() + ")" : ""));
    return dir;
}

void LossCurves::add(const NamedMatrix& run, const std::vector<double>& losses) {
    names_.push_back(run.name);
    labels_.push_back(run.label());
    losses_.push_back(losses);
}

void LossCurves::write(const Options& o, const std::string& stem) const {
    std::vector<plot::Series> series(losses_.size());
    for (std::size_t r = 0; r < losses_.size(); ++r) {
        series[r].name = names_[r];
        for (std::size_t i = 0; i < losses_[r].size(); ++i) series[r].points.emplace_back(i + 1, losses_[r][i]);
    }
    const std::filesystem::path dir = output_directory(o);
    const std::string csv = stem + "_losses.csv";
    plot::write_csv(dir / csv, "iteration", series);
    // A loss is a mean of squares of entries of size about 1 (relative, for the Riemannian SVD): entries that are
    // right to about 10 units of rounding, 10ε, give (10ε)² ≈ 5e-30. Below it is noise; the plot ends there.
    const double eps = std::numeric_limits<double>::epsilon();
    std::cout << "wrote " << (dir / csv).string() << "\n";
    plot::Script("convergence.gp")
        .set("data", csv)
        .set("title", title_)
        .set("ylabel", loss_label_)
        .set_array("keys", labels_)
        .set("floor", (10 * eps) * (10 * eps))
        .draw(dir, stem + "_convergence");
}

int run(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help
        std::cerr << app.get_name() << ": error: " << e.what() << "\n(run " << app.get_name() << " --help for the flags)\n";
        return 2;
    }
    try {
        return body();
    } catch (const std::exception& e) {
        std::cerr << app.get_name() << ": error: " << e.what() << "\n";
        return 1;
    }
}

nlohmann::ordered_json to_json(const Matrix& m) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < m.rows(); ++i) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (std::size_t j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
        rows.push_back(row);
    }
    return rows;
}

}  // namespace tapegrad::demo
