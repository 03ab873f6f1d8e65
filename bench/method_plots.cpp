// The tutorial's methods and the robust ones side by side: the error after each iteration on the tutorial's M1,
// one log-log plot for the SVD (max |σ − σ_LAPACK| / σ₁) and one for the inverse (‖X·M − I‖_F). make bench
// writes them into docs/img/: svd_methods.csv and inverse_methods.csv, drawn by gnuplot with
// io/plots/methods.gp into svd_methods.svg and inverse_methods.svg, which docs/svd.md and docs/inverse.md show.
//
//   build/bin/tapegrad_method_plots --out docs/img
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>

#include "bench/svd_history.hpp"
#include "io/plot.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;

namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();

// The legend's name of a method: the tutorial's is marked.
std::string key(std::string_view method, bool tutorial) { return std::string(method) + (tutorial ? " (the tutorial's)" : ""); }

bool svd_plot(OutputDir& out) {
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    std::vector<plot::Series> series;
    std::vector<std::string> keys;
    for (const SvdMethod method : all_svd_methods) {
        const SvdOptions options = default_svd_options(method);
        const long last = svd_by_descent(M1, options).report.iterations;  // where its default run stops
        plot::Series s{.name = std::string(to_string(method))};
        for (const SvdErrorPoint& p : svd_error_history(M1, options, log_spaced_iterations(last, 10)))
            if (p.iteration > 0) s.points.emplace_back(p.iteration, p.singular_value_error);  // a log axis has no 0
        series.push_back(std::move(s));
        keys.push_back(key(to_string(method), method == SvdMethod::penalty));
    }
    plot::write_csv(out, "svd_methods.csv", "iteration", series);
    // LAPACK's dgesdd is backward stable: its singular values are within about max(m, n)·ε·σ₁ of the exact ones, so
    // below that two answers cannot be told apart.
    return plot::Script("methods.gp")
        .set("data", "svd_methods.csv")
        .set("title", "tapegrad_method_plots: the SVD of the tutorial's M1 by each method")
        .set("ylabel", "max_j |σ_j − σ_{j,LAPACK}| / σ_1")
        .set_array("keys", keys)
        .set("floor", static_cast<double>(std::max(M1.rows(), M1.cols())) * eps)
        .set("floor_label", "LAPACK's own accuracy, max(m, n)·ε")
        .draw(out, "svd_methods");
}

bool inverse_plot(OutputDir& out) {
    const Matrix M1 = tutorial_matrix("inverse_M1_4x4.csv");
    const double n = static_cast<double>(M1.rows());
    std::vector<plot::Series> series;
    std::vector<std::string> keys;
    for (const InverseMethod method : all_inverse_methods) {
        const std::vector<double> losses = inverse_by_descent(M1, default_inverse_options(method)).report.losses;
        plot::Series s{.name = std::string(to_string(method))};
        // 20 points a decade of iterations are enough for a log axis (which has no 0); mse = ‖X·M − I‖²_F / n².
        for (const long k : log_spaced_iterations(static_cast<long>(losses.size()) - 1, 20))
            if (k > 0) s.points.emplace_back(k, n * std::sqrt(losses[static_cast<std::size_t>(k)]));
        series.push_back(std::move(s));
        keys.push_back(key(to_string(method), method == InverseMethod::descent));
    }
    plot::write_csv(out, "inverse_methods.csv", "iteration", series);
    // An inverse computed in double precision, LAPACK's too, is off by about κ(M)·ε in relative terms, and so is
    // X·M from I: below that two answers cannot be told apart.
    return plot::Script("methods.gp")
        .set("data", "inverse_methods.csv")
        .set("title", "tapegrad_method_plots: the inverse of the tutorial's M1 by each method")
        .set("ylabel", "‖X·M − I‖_F")
        .set_array("keys", keys)
        .set("floor", condition_number(M1) * eps)
        .set("floor_label", "the accuracy of any inverse in double precision, κ(M)·ε")
        .draw(out, "inverse_methods");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Draws the tutorial's and the robust methods' error per iteration on M1 (SVD and inverse), with "
                 "gnuplot. Exit status: 0 both drawn, 1 an error or a plot not drawn.",
                 "tapegrad_method_plots"};
    std::string out = "docs";
    app.add_option("--out", out, "Directory for svd_methods.{csv,gp,svg} and inverse_methods.{csv,gp,svg}")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        OutputDir dir(out);
        const bool svd = svd_plot(dir), inverse = inverse_plot(dir);
        dir.commit();
        return svd && inverse ? 0 : 1;  // drawing is this program's job
    } catch (const std::exception& e) {
        std::cerr << "tapegrad_method_plots: error: " << e.what() << "\n";
        return 1;
    }
}
