#pragma once
// A small line-plot writer: a Figure in, a standalone SVG document out, which any browser shows. The demos draw
// their loss-per-iteration curves with it (log y), the benchmark report its time against size (log-log).
//
//     plot::Figure figure{.title = "Loss", .x_label = "iteration", .y_label = "loss", .log_y = true};
//     figure.series.push_back({.label = "lr = 0.1", .x = iterations, .y = losses});
//     plot::write_svg(figure, "loss.svg");
#include <filesystem>
#include <string>
#include <vector>

namespace tapegrad::plot {

// One curve: the points (x[i], y[i]) joined in the order given, coloured by its place in Figure::series.
// (Every member has an initializer, {} at least, so a designated initializer may leave any out without a warning.)
struct Series {
    std::string label{};  // its legend entry; a series with an empty label is drawn but not listed
    std::vector<double> x{}, y{};
    enum class Style { line, markers, line_and_markers } style = Style::line;
};

struct Figure {
    std::string title{}, x_label{}, y_label{};
    bool log_x = false, log_y = false;
    std::vector<Series> series{};
    int width = 800, height = 500;  // pixels; at least 240x180
};

// A complete standalone SVG document (UTF-8, starting "<svg"): title, labelled axes with ticks and grid lines,
// one colour per series from a fixed palette of 10, and a legend in the corner of the plot that hides the
// least data. Points that cannot be drawn are skipped, breaking the line there, and never stretch the axes:
// NaN or Inf, zero or negative on a log axis, and anything beyond 10^±300 (overflow on its way to Inf). A
// figure with nothing to draw still gets its axes, and says "no data". Long series are thinned to at most four
// points a pixel column (plot_decimate.hpp), so five 20,000-point curves come to a few hundred kilobytes.
// Throws std::invalid_argument if a series' x and y differ in length or the figure is too small to lay out.
std::string to_svg(const Figure& figure);

// Writes to_svg(figure) to path, through a temporary file beside it, so that a browser reloading the plot never
// sees half of one. Throws std::runtime_error naming the path if it cannot.
void write_svg(const Figure& figure, const std::filesystem::path& path);

}  // namespace tapegrad::plot
