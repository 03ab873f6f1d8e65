// The tutorial's methods and the robust ones side by side: the error after each iteration on the tutorial's M1,
// one log-log plot for the SVD (max |σ − σ_LAPACK| / σ₁) and one for the inverse (‖X·M − I‖_F). make bench
// draws them into docs/img/ (svd_methods.svg, inverse_methods.svg); docs/svd.md and docs/inverse.md show them.
//
//   build/bin/tapegrad_method_plots --out docs/img
#include <CLI/CLI.hpp>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "demos/svg_plot.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/svd/svd.hpp"
#include "bench/svd_history.hpp"

using namespace tapegrad;

namespace {

// Errors of exactly 0 have no place on a log axis; they are drawn at the floor of double precision instead.
double visible(double error) { return std::max(error, 1e-17); }

plot::Figure svd_figure() {
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    plot::Figure figure{.title = "SVD of the tutorial's M1: error against iteration", .x_label = "iteration",
                        .y_label = "max |σ − σ_LAPACK| / σ₁", .log_x = true, .log_y = true};
    for (const SvdMethod method : all_svd_methods) {
        const SvdOptions options = default_svd_options(method);
        const long last = svd_by_descent(M1, options).report.iterations;  // where its default run stops
        plot::Series series{.label = std::string(to_string(method)) + (method == SvdMethod::penalty ? " (the tutorial's)" : ""),
                            .style = plot::Series::Style::line_and_markers};
        for (const SvdErrorPoint& p : svd_error_history(M1, options, log_spaced_iterations(last, 10))) {
            if (p.iteration == 0) continue;  // a log axis has no 0
            series.x.push_back(static_cast<double>(p.iteration));
            series.y.push_back(visible(p.singular_value_error));
        }
        figure.series.push_back(std::move(series));
    }
    return figure;
}

plot::Figure inverse_figure() {
    const Matrix M1 = tutorial_matrix("inverse_M1_4x4.csv");
    const double n = static_cast<double>(M1.rows());
    plot::Figure figure{.title = "Inverse of the tutorial's M1: error against iteration", .x_label = "iteration",
                        .y_label = "‖X·M − I‖_F", .log_x = true, .log_y = true};
    for (const InverseMethod method : all_inverse_methods) {
        const InverseResult r = inverse_by_descent(M1, default_inverse_options(method));
        plot::Series series{.label = std::string(to_string(method)) + (method == InverseMethod::descent ? " (the tutorial's)" : "")};
        for (std::size_t k = 1; k < r.report.losses.size(); ++k) {  // a log axis has no 0
            series.x.push_back(static_cast<double>(k));
            series.y.push_back(visible(n * std::sqrt(r.report.losses[k])));  // mse = ‖X·M − I‖²_F / n²
        }
        figure.series.push_back(std::move(series));
    }
    return figure;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Draws the tutorial's and the robust methods' error per iteration on M1 (SVD and inverse).",
                 "tapegrad_method_plots"};
    std::string out = "docs";
    app.add_option("--out", out, "Directory for svd_methods.svg and inverse_methods.svg")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        std::filesystem::create_directories(out);
        plot::write_svg(svd_figure(), std::filesystem::path(out) / "svd_methods.svg");
        plot::write_svg(inverse_figure(), std::filesystem::path(out) / "inverse_methods.svg");
        std::cout << "wrote " << out << "/svd_methods.svg and " << out << "/inverse_methods.svg\n";
    } catch (const std::exception& e) {
        std::cerr << "tapegrad_method_plots: error: " << e.what() << "\n";
        return 1;
    }
}
