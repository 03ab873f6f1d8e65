#include "demos/svg_plot.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "demos/plot_decimate.hpp"
#include "demos/plot_ticks.hpp"

namespace tapegrad::plot {

namespace {

// matplotlib's default colours ("tab10"), so these plots look like the tutorial's.
const std::array<std::string, 10> palette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                             "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
// Series i's colour; after ten, the colours come round again.
const std::string& colour_of(std::size_t i) { return palette[i % palette.size()]; }

const std::string font_family = "DejaVu Sans, Helvetica, Arial, sans-serif";
constexpr double title_size = 17.0, label_size = 14.0, tick_size = 12.0, legend_size = 12.0;
constexpr double line_width = 1.5, marker_size = 5.0;
constexpr int min_width = 240, min_height = 180;

// Whether the axes can place v: not NaN or Inf, not beyond largest_value (plot_ticks.hpp) in size, and on a
// log axis, positive (from 1/largest_value up). False for NaN too, as every comparison with NaN is.
bool plottable(double v, bool log) { return std::abs(v) <= largest_value && (!log || v >= 1.0 / largest_value); }

bool has_line(Series::Style style) { return style != Series::Style::markers; }
bool has_markers(Series::Style style) { return style != Series::Style::line; }

// A coordinate for the SVG: at most 2 decimals (finer than any screen shows), no trailing zeros, and with
// to_chars, never a locale's decimal comma.
std::string num(double v) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed, 2);
    std::string s(buffer, result.ptr);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

// Text made safe to put between tags or in an attribute.
std::string escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;  // control characters are not XML
        }
    }
    return out;
}

// About how wide text is drawn: 0.6 em a character, a little over DejaVu Sans' average, so that boxes fit.
double text_width(std::string_view text, double font_size) {
    std::size_t characters = 0;
    for (const char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // skip UTF-8 continuation bytes
    return 0.6 * font_size * static_cast<double>(characters);
}

// A 1-pixel line drawn at a whole coordinate straddles two pixels and looks grey and blurred; at .5 it is crisp.
double crisp(double v) { return std::floor(v) + 0.5; }

struct Box {
    double left = 0.0, top = 0.0, right = 0.0, bottom = 0.0;
    double width() const { return right - left; }
    double height() const { return bottom - top; }
    bool contains(Point p) const { return p.x >= left && p.x <= right && p.y >= top && p.y <= bottom; }
};

// The smallest and largest of the values added; empty until one is.
struct Range {
    double low = std::numeric_limits<double>::infinity(), high = -std::numeric_limits<double>::infinity();
    void add(double v) { low = std::min(low, v), high = std::max(high, v); }
    bool empty() const { return low > high; }
};

// Maps data values on one axis to pixels: low lands on pixel `from`, high on `to` (for y, from is the bottom).
struct Scale {
    bool log = false;
    double low = 0.0, high = 1.0;
    double from = 0.0, to = 1.0;
    double operator()(double v) const {
        const double t = log ? (std::log10(v) - std::log10(low)) / (std::log10(high) - std::log10(low))
                             : (v - low) / (high - low);
        return from + t * (to - from);
    }
};

// The ticks for data on an axis `length` pixels long: as many as fit, trying fewer until no two labels touch.
AxisTicks fitting_ticks(const Range& data, bool log, double length, bool horizontal) {
    const Range range = data.empty() ? Range{log ? 1.0 : 0.0, log ? 10.0 : 1.0} : data;
    for (int max_labels = std::max(3, static_cast<int>(length / 40.0));; --max_labels) {
        AxisTicks ticks = log ? log_ticks(range.low, range.high, max_labels) : linear_ticks(range.low, range.high, max_labels);
        const Scale scale{log, ticks.low, ticks.high, 0.0, length};
        bool fits = true;
        for (std::size_t i = 1; i < ticks.major.size(); ++i) {
            const double gap = scale(ticks.major[i].value) - scale(ticks.major[i - 1].value);
            const double needed = horizontal ? (text_width(ticks.major[i].label, tick_size) +
                                                text_width(ticks.major[i - 1].label, tick_size)) / 2.0 + 12.0
                                             : tick_size + 8.0;
            fits = fits && gap >= needed;
        }
        if (fits || max_labels <= 3) return ticks;
    }
}

// A series as it will be drawn: its runs of plottable points in pixels, each thinned. A point that cannot be
// plotted ends a run, so the line breaks there rather than joining across it.
struct Drawn {
    const Series* series = nullptr;
    std::string colour;
    std::vector<std::vector<Point>> runs;
};

Drawn to_pixels(const Series& series, const std::string& colour, const Scale& x, const Scale& y) {
    Drawn drawn{&series, colour, {}};
    std::vector<Point> run;
    for (std::size_t i = 0; i <= series.x.size(); ++i) {
        if (i < series.x.size() && plottable(series.x[i], x.log) && plottable(series.y[i], y.log)) {
            run.push_back({x(series.x[i]), y(series.y[i])});
        } else if (!run.empty()) {  // the run ends here: at a point that cannot be plotted, or the last point
            drawn.runs.push_back(decimate(run));
            run.clear();
        }
    }
    return drawn;
}

// How much of the drawing a box would hide: the points in it, and on lines, a point every 2 pixels along them.
std::size_t covered(const Box& box, const std::vector<Drawn>& drawn) {
    std::size_t count = 0;
    for (const Drawn& d : drawn) {
        for (const std::vector<Point>& run : d.runs) {
            for (std::size_t i = 0; i < run.size(); ++i) {
                count += box.contains(run[i]);
                if (i == 0 || !has_line(d.series->style)) continue;
                const Point a = run[i - 1], b = run[i];
                const int steps = static_cast<int>(std::hypot(b.x - a.x, b.y - a.y) / 2.0);
                for (int s = 1; s < steps; ++s) {
                    const double t = static_cast<double>(s) / steps;
                    count += box.contains({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
                }
            }
        }
    }
    return count;
}

// Appends a path command and its point: "M12.5,30". (Appending, rather than "M" + num(x) + ..., is also what
// keeps GCC 12 from a false -Wrestrict warning.)
void add_point(std::string& d, std::string_view command, double x, double y) {
    d += command;
    d += num(x);
    d += ',';
    d += num(y);
}

// "M x,y L x,y x,y ..." for each run; a run of one point becomes a zero-length line, which a round cap shows
// as a dot.
std::string line_path(const std::vector<std::vector<Point>>& runs) {
    std::string d;
    for (const std::vector<Point>& run : runs) {
        for (std::size_t i = 0; i < run.size(); ++i) add_point(d, i == 0 ? "M" : i == 1 ? "L" : " ", run[i].x, run[i].y);
        if (run.size() == 1) d += "h0";
    }
    return d;
}

// Every point as a zero-length line: drawn with a round cap as wide as a marker, each is a filled circle, in
// a third of the text a <circle> element takes.
std::string marker_path(const std::vector<std::vector<Point>>& runs) {
    std::string d;
    for (const std::vector<Point>& run : runs)
        for (const Point& p : run) {
            add_point(d, "M", p.x, p.y);
            d += "h0";
        }
    return d;
}

std::string line_style(const std::string& colour) {
    return "fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + num(line_width) +
           "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
}

std::string marker_style(const std::string& colour) {
    return "fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + num(marker_size) + "\" stroke-linecap=\"round\"";
}

std::string text(double x, double y, const std::string& attributes, std::string_view content) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attributes.empty() ? "" : " " + attributes) + ">" +
           escape(content) + "</text>\n";
}

// Grid lines at the given pixel positions, as one path: vertical ones across the plot, or horizontal ones.
std::string grid_path(const std::vector<double>& pixels, const Box& plot, bool vertical, const std::string& colour) {
    std::string d;
    for (const double p : pixels) {
        if (vertical) {
            add_point(d, "M", crisp(p), plot.top);
            d += 'V';
            d += num(plot.bottom);
        } else {
            add_point(d, "M", plot.left, crisp(p));
            d += 'H';
            d += num(plot.right);
        }
    }
    return d.empty() ? "" : "<path d=\"" + d + "\" stroke=\"" + colour + "\" stroke-width=\"1\"/>\n";
}

// The legend: which series it lists (those with a label), and the size of its box.
struct Legend {
    std::vector<std::size_t> entries;  // indices into Figure::series
    double width = 0.0, height = 0.0;
};
constexpr double legend_padding = 8.0, legend_swatch = 28.0, legend_row = legend_size + 8.0;

Legend measure_legend(const Figure& figure) {
    Legend legend;
    double widest = 0.0;
    for (std::size_t i = 0; i < figure.series.size(); ++i) {
        if (figure.series[i].label.empty()) continue;
        legend.entries.push_back(i);
        widest = std::max(widest, text_width(figure.series[i].label, legend_size));
    }
    legend.width = legend_padding + legend_swatch + 8.0 + widest + legend_padding;
    legend.height = legend_padding + legend_row * static_cast<double>(legend.entries.size()) + legend_padding / 2.0;
    return legend;
}

// The corner of the plot where the legend hides least of the drawing (top right when none does better), and
// how much it hides there; matplotlib's loc="best" works the same way.
std::pair<Box, std::size_t> best_corner(const Legend& legend, const Box& plot, const std::vector<Drawn>& drawn) {
    constexpr double inset = 10.0;
    const double left = plot.left + inset, right = plot.right - inset - legend.width;
    const double top = plot.top + inset, bottom = plot.bottom - inset - legend.height;
    const std::array<Box, 4> corners = {
        Box{right, top, right + legend.width, top + legend.height},
        Box{left, top, left + legend.width, top + legend.height},
        Box{right, bottom, right + legend.width, bottom + legend.height},
        Box{left, bottom, left + legend.width, bottom + legend.height},
    };
    std::pair<Box, std::size_t> best = {corners[0], covered(corners[0], drawn)};
    for (std::size_t c = 1; c < corners.size(); ++c) {
        const std::size_t hidden = covered(corners[c], drawn);
        if (hidden < best.second) best = {corners[c], hidden};
    }
    return best;
}

// The legend in its box: per series a short stretch of its line and/or one marker, then its label.
std::string draw_legend(const Figure& figure, const Legend& legend, const Box& box) {
    std::string svg = "<g font-size=\"" + num(legend_size) + "\">\n";
    svg += "<rect x=\"" + num(box.left) + "\" y=\"" + num(box.top) + "\" width=\"" + num(legend.width) + "\" height=\"" +
           num(legend.height) + "\" rx=\"3\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"/>\n";
    for (std::size_t i = 0; i < legend.entries.size(); ++i) {
        const Series& series = figure.series[legend.entries[i]];
        const std::string& colour = colour_of(legend.entries[i]);
        const double middle = box.top + legend_padding + legend_row * (static_cast<double>(i) + 0.5);
        const double x0 = box.left + legend_padding, x1 = x0 + legend_swatch;
        if (has_line(series.style))
            svg += "<path d=\"M" + num(x0) + "," + num(middle) + "H" + num(x1) + "\" " + line_style(colour) + "/>\n";
        if (has_markers(series.style))
            svg += "<path d=\"M" + num((x0 + x1) / 2.0) + "," + num(middle) + "h0\" " + marker_style(colour) + "/>\n";
        svg += text(x1 + 8.0, middle + legend_size * 0.35, "", series.label);
    }
    return svg + "</g>\n";
}

// Where everything goes: the plot area, its ticks and scales, and the series in pixels.
struct Layout {
    Box plot;
    AxisTicks x_ticks, y_ticks;
    Scale x, y;
    std::vector<Drawn> drawn;
};

// Lays the figure out from the outside in: the title above, x tick labels and axis label below, y tick labels
// and axis label to the left, right_margin pixels to the right. The y ticks come first: their labels' width
// decides where the plot starts, and so how long the x axis is.
Layout lay_out(const Figure& figure, const Range& x_data, const Range& y_data, double right_margin) {
    Layout layout;
    Box& plot = layout.plot;
    plot.top = figure.title.empty() ? 20.0 : 44.0;
    plot.bottom = figure.height - 30.0 - (figure.x_label.empty() ? 0.0 : 22.0);
    layout.y_ticks = fitting_ticks(y_data, figure.log_y, plot.height(), false);
    double widest_y_label = 0.0;
    for (const Tick& t : layout.y_ticks.major) widest_y_label = std::max(widest_y_label, text_width(t.label, tick_size));
    plot.left = 12.0 + (figure.y_label.empty() ? 0.0 : label_size + 10.0) + widest_y_label + 9.0;
    plot.right = figure.width - right_margin;
    layout.x_ticks = fitting_ticks(x_data, figure.log_x, plot.width(), true);

    layout.x = Scale{figure.log_x, layout.x_ticks.low, layout.x_ticks.high, plot.left, plot.right};
    layout.y = Scale{figure.log_y, layout.y_ticks.low, layout.y_ticks.high, plot.bottom, plot.top};
    for (std::size_t i = 0; i < figure.series.size(); ++i)
        layout.drawn.push_back(to_pixels(figure.series[i], colour_of(i), layout.x, layout.y));
    return layout;
}

void check(const Figure& figure) {
    if (figure.width < min_width || figure.height < min_height)
        throw std::invalid_argument("to_svg: the figure is " + std::to_string(figure.width) + "x" +
                                    std::to_string(figure.height) + " pixels; it needs at least " +
                                    std::to_string(min_width) + "x" + std::to_string(min_height));
    for (std::size_t i = 0; i < figure.series.size(); ++i) {
        const Series& s = figure.series[i];
        if (s.x.size() != s.y.size())
            throw std::invalid_argument("to_svg: series " + std::to_string(i) + " (\"" + s.label + "\") has " +
                                        std::to_string(s.x.size()) + " x values and " + std::to_string(s.y.size()) +
                                        " y values");
    }
}

}  // namespace

std::string to_svg(const Figure& figure) {
    check(figure);
    const double width = figure.width, height = figure.height;

    // The data's extent, over the points that can be plotted.
    Range x_data, y_data;
    for (const Series& s : figure.series) {
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            if (plottable(s.x[i], figure.log_x) && plottable(s.y[i], figure.log_y)) x_data.add(s.x[i]), y_data.add(s.y[i]);
        }
    }
    const bool no_data = x_data.empty();

    Layout layout = lay_out(figure, x_data, y_data, 30.0);
    const Legend legend = measure_legend(figure);
    Box legend_box;
    if (!legend.entries.empty()) {
        std::size_t hidden = 0;
        std::tie(legend_box, hidden) = best_corner(legend, layout.plot, layout.drawn);
        // Wherever it went inside it would hide data: narrow the plot and put the legend beside it, on the right,
        // as long as the plot keeps most of its width.
        constexpr double gap = 15.0;
        if (hidden > 0 && gap + legend.width + 10.0 < layout.plot.width() / 2.0) {
            layout = lay_out(figure, x_data, y_data, gap + legend.width + 10.0);
            legend_box = Box{layout.plot.right + gap, layout.plot.top, layout.plot.right + gap + legend.width,
                             layout.plot.top + legend.height};
        }
    }
    const Box& plot = layout.plot;
    const AxisTicks& x_ticks = layout.x_ticks;
    const AxisTicks& y_ticks = layout.y_ticks;
    const Scale& x = layout.x;
    const Scale& y = layout.y;

    const std::string w = num(width), h = num(height);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " +
                      w + " " + h + "\" font-family=\"" + font_family + "\" fill=\"#222222\">\n";
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";  // or a dark-mode viewer shows black on black
    if (!figure.title.empty()) {
        // Centred over the plot, but moved in if that would push it off the figure's edge.
        const double half = text_width(figure.title, title_size) / 2.0;
        const double centre = std::max(std::min((plot.left + plot.right) / 2.0, width - 10.0 - half), 10.0 + half);
        svg += text(centre, 28.0, "font-size=\"" + num(title_size) + "\" font-weight=\"bold\" text-anchor=\"middle\"", figure.title);
    }

    // Grid: minor lines lightest, major lines a little darker, both under the data.
    std::vector<double> minor_x, minor_y, major_x, major_y;
    for (const double v : x_ticks.minor) minor_x.push_back(x(v));
    for (const double v : y_ticks.minor) minor_y.push_back(y(v));
    for (const Tick& t : x_ticks.major) major_x.push_back(x(t.value));
    for (const Tick& t : y_ticks.major) major_y.push_back(y(t.value));
    svg += grid_path(minor_x, plot, true, "#f0f0f0") + grid_path(minor_y, plot, false, "#f0f0f0");
    svg += grid_path(major_x, plot, true, "#dddddd") + grid_path(major_y, plot, false, "#dddddd");

    // The data, in order, so later series are drawn over earlier ones.
    svg += "<g>\n";
    for (const Drawn& d : layout.drawn) {
        if (d.runs.empty()) continue;
        if (has_line(d.series->style)) svg += "<path d=\"" + line_path(d.runs) + "\" " + line_style(d.colour) + "/>\n";
        if (has_markers(d.series->style)) svg += "<path d=\"" + marker_path(d.runs) + "\" " + marker_style(d.colour) + "/>\n";
    }
    svg += "</g>\n";
    if (no_data)
        svg += text((plot.left + plot.right) / 2.0, (plot.top + plot.bottom) / 2.0,
                    "font-size=\"16\" fill=\"#888888\" text-anchor=\"middle\"", "no data");

    // The frame, tick marks and tick labels.
    svg += "<rect x=\"" + num(crisp(plot.left)) + "\" y=\"" + num(crisp(plot.top)) + "\" width=\"" +
           num(std::floor(plot.right) - std::floor(plot.left)) + "\" height=\"" +
           num(std::floor(plot.bottom) - std::floor(plot.top)) + "\" fill=\"none\" stroke=\"#444444\"/>\n";
    std::string marks;
    for (const double p : major_x) {
        add_point(marks, "M", crisp(p), crisp(plot.bottom));
        marks += "v5";
    }
    for (const double p : major_y) {
        add_point(marks, "M", crisp(plot.left), crisp(p));
        marks += "h-5";
    }
    svg += "<path d=\"" + marks + "\" stroke=\"#444444\"/>\n";
    svg += "<g font-size=\"" + num(tick_size) + "\" fill=\"#444444\">\n";
    for (std::size_t i = 0; i < x_ticks.major.size(); ++i)
        svg += text(major_x[i], plot.bottom + 9.0 + tick_size, "text-anchor=\"middle\"", x_ticks.major[i].label);
    for (std::size_t i = 0; i < y_ticks.major.size(); ++i)
        svg += text(plot.left - 9.0, major_y[i] + tick_size * 0.35, "text-anchor=\"end\"", y_ticks.major[i].label);
    svg += "</g>\n";

    // Axis labels: x centred under the plot, y centred beside it, turned to read upwards.
    const std::string label_attributes = "font-size=\"" + num(label_size) + "\" text-anchor=\"middle\"";
    if (!figure.x_label.empty()) svg += text((plot.left + plot.right) / 2.0, height - 12.0, label_attributes, figure.x_label);
    if (!figure.y_label.empty()) {
        const double cx = 12.0 + label_size * 0.8, cy = (plot.top + plot.bottom) / 2.0;
        svg += text(cx, cy, label_attributes + " transform=\"rotate(-90 " + num(cx) + " " + num(cy) + ")\"", figure.y_label);
    }

    if (!legend.entries.empty()) svg += draw_legend(figure, legend, legend_box);
    return svg + "</svg>\n";
}

void write_svg(const Figure& figure, const std::filesystem::path& path) {
    const std::string svg = to_svg(figure);
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    std::error_code ignored;
    {
        std::ofstream out(temporary, std::ios::binary);
        if (!out) throw std::runtime_error(path.string() + ": cannot open file for writing");
        out << svg;
        out.close();
        if (!out) {
            std::filesystem::remove(temporary, ignored);
            throw std::runtime_error(path.string() + ": error while writing");
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);  // replaces path in one step
    if (error) {
        std::filesystem::remove(temporary, ignored);
        throw std::runtime_error(path.string() + ": cannot write file (" + error.message() + ")");
    }
}

}  // namespace tapegrad::plot
