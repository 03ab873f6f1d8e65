// The SVG plots: ticks where a reader expects them, long series thinned without losing their shape, bad points
// skipped without spoiling the axes, text escaped, and a document a browser can open.
#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "demos/plot_decimate.hpp"
#include "demos/plot_ticks.hpp"
#include "demos/svg_plot.hpp"
#include "helpers.hpp"

using namespace tapegrad::plot;
using tapegrad::testing::error_message;
using tapegrad::testing::TempDir;

namespace {

std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

bool has(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

std::vector<double> values(const AxisTicks& ticks) {
    std::vector<double> v;
    for (const Tick& t : ticks.major) v.push_back(t.value);
    return v;
}

std::vector<std::string> labels(const AxisTicks& ticks) {
    std::vector<std::string> v;
    for (const Tick& t : ticks.major) v.push_back(t.label);
    return v;
}

std::vector<double> iota(std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
    return v;
}

// A noisy loss curve falling from about 1 towards 1e-14 at the given rate, like the tutorial's.
std::vector<double> loss_curve(std::size_t n, double rate, std::uint64_t seed) {
    tapegrad::Random rng(seed);
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i)
        y[i] = std::max(1e-14, std::exp(-rate * static_cast<double>(i))) * std::exp(rng.uniform(-0.5, 0.5));
    return y;
}

// The number in attribute `name` of the first element whose text contains `marker`, e.g. a rect's x.
double attribute(const std::string& svg, std::string_view marker, const std::string& name) {
    const std::size_t element = svg.rfind('<', svg.find(marker));
    const std::size_t value = svg.find(name + "=\"", element) + name.size() + 2;
    double number = 0.0;
    std::from_chars(svg.data() + value, svg.data() + svg.size(), number);
    return number;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("plot ticks: a linear axis steps by 1, 2 or 5 × 10^k and covers the data") {
    const AxisTicks iterations = linear_ticks(0, 20000, 7);
    CHECK(values(iterations) == std::vector<double>{0, 5000, 10000, 15000, 20000});
    CHECK(labels(iterations) == std::vector<std::string>{"0", "5000", "10000", "15000", "20000"});
    CHECK(iterations.low == 0.0);
    CHECK(iterations.high == 20000.0);

    const AxisTicks signed_range = linear_ticks(-0.3, 0.7, 6);
    CHECK(values(signed_range) == std::vector<double>{-0.5, 0.0, 0.5, 1.0});
    CHECK(labels(signed_range) == std::vector<std::string>{"\u22120.5", "0.0", "0.5", "1.0"});

    CHECK(labels(linear_ticks(0, 3e6, 5)) == std::vector<std::string>{"0", "1×10⁶", "2×10⁶", "3×10⁶"});
    CHECK(labels(linear_ticks(0, 0.002, 5)) ==
          std::vector<std::string>{"0", "5×10⁻⁴", "1.0×10⁻³", "1.5×10⁻³", "2.0×10⁻³"});

    // Fewer than 3 is taken as 3: a range across zero cannot do with less (this once ran the step up to Inf).
    CHECK(labels(linear_ticks(-1, 1, 2)) == std::vector<std::string>{"\u22121", "0", "1"});

    const AxisTicks one_value = linear_ticks(5, 5, 5);  // a constant series still gets a range around it
    CHECK(values(one_value) == std::vector<double>{2, 4, 6, 8});
    CHECK(linear_ticks(0, 0, 5).low < 0.0);
    // A constant with rounding noise is a constant too (this once counted ticks past 2^53 and never stopped).
    const AxisTicks noisy = linear_ticks(0.3, 0.30000000000000004, 8);
    CHECK(noisy.low < 0.3);
    CHECK(noisy.high > 0.31);
    CHECK(noisy.major.size() <= 8);

    CHECK(error_message([] { linear_ticks(2, 1, 5); }) == "linear_ticks: the range [2, 1] is not ordered and within ±1e300");
    CHECK_THROWS_AS(linear_ticks(0, HUGE_VAL, 5), std::invalid_argument);
    CHECK_THROWS_AS(linear_ticks(std::nan(""), 1, 5), std::invalid_argument);
}

TEST_CASE("plot ticks: a log axis ticks powers of ten, every decade or every few") {
    CHECK(power_of_ten_label(0) == "1");
    CHECK(power_of_ten_label(1) == "10");
    CHECK(power_of_ten_label(2) == "10²");
    CHECK(power_of_ten_label(-12) == "10⁻¹²");
    CHECK(power_of_ten_label(105) == "10¹⁰⁵");

    const AxisTicks loss = log_ticks(1e-12, 1.0, 7);  // 12 decades, at most 7 labels: every second one
    CHECK(loss.low == 1e-12);
    CHECK(loss.high == 1.0);
    CHECK(labels(loss) == std::vector<std::string>{"10⁻¹²", "10⁻¹⁰", "10⁻⁸", "10⁻⁶", "10⁻⁴", "10⁻²", "1"});
    CHECK(values(loss) == std::vector<double>{1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1});
    CHECK(loss.minor == std::vector<double>{1e-11, 1e-9, 1e-7, 1e-5, 1e-3, 1e-1});

    // 15 decades, at most 8 labels: every third, counted from 10⁰.
    CHECK(labels(log_ticks(3e-15, 0.5, 8)) == std::vector<std::string>{"10⁻¹⁵", "10⁻¹²", "10⁻⁹", "10⁻⁶", "10⁻³", "1"});

    // Sizes 4..512: whole decades 1..1000, and 2..9 × each power as minor grid lines.
    const AxisTicks sizes = log_ticks(4, 512, 8);
    CHECK(labels(sizes) == std::vector<std::string>{"1", "10", "10²", "10³"});
    CHECK(sizes.minor.size() == 24);
    CHECK(std::count(sizes.minor.begin(), sizes.minor.end(), 500.0) == 1);

    CHECK(labels(log_ticks(1, 1, 5)) == std::vector<std::string>{"10⁻¹", "1", "10"});
    // The extremes an axis takes, and beyond them an error rather than a range of Inf (or a loop that never ends).
    CHECK(labels(log_ticks(1e-300, 1e300, 3)) == std::vector<std::string>{"10⁻³⁰⁰", "1", "10³⁰⁰"});
    CHECK(error_message([] { log_ticks(0, 1, 5); }) == "log_ticks: the range [0, 1] is not ordered and within 1e-300..1e300");
    CHECK_THROWS_AS(log_ticks(1, 1e308, 5), std::invalid_argument);
    CHECK_THROWS_AS(log_ticks(1e-12, std::nan(""), 5), std::invalid_argument);
}

TEST_CASE("plot decimate: keeps each column's first, lowest, highest and last point, in order") {
    const std::vector<Point> few = {{0.1, 5}, {0.2, 1}, {0.3, 9}, {0.4, 4}, {0.5, 7}, {1.2, 3}};
    CHECK(decimate(few) == std::vector<Point>{{0.1, 5}, {0.2, 1}, {0.3, 9}, {0.5, 7}, {1.2, 3}});
    CHECK(decimate({}).empty());

    // 20,000 points over 100 pixel columns, with one spike and one dip.
    std::vector<Point> points;
    for (int i = 0; i < 20000; ++i) points.push_back({i / 200.0, std::sin(i * 0.01)});
    points[12345].y = 50.0;
    points[777].y = -60.0;
    const std::vector<Point> kept = decimate(points);
    CHECK(kept.size() <= 400);
    CHECK(kept.front() == points.front());
    CHECK(kept.back() == points.back());
    CHECK(std::count(kept.begin(), kept.end(), points[12345]) == 1);
    CHECK(std::count(kept.begin(), kept.end(), points[777]) == 1);
    CHECK(std::is_sorted(kept.begin(), kept.end(), [](Point a, Point b) { return a.x < b.x; }));
    // Every column keeps its extremes, so the drawing spans the same heights.
    for (int column = 0; column < 100; ++column) {
        double all_low = 1e9, all_high = -1e9, kept_low = 1e9, kept_high = -1e9;
        for (const Point& p : points)
            if (std::floor(p.x) == column) all_low = std::min(all_low, p.y), all_high = std::max(all_high, p.y);
        for (const Point& p : kept)
            if (std::floor(p.x) == column) kept_low = std::min(kept_low, p.y), kept_high = std::max(kept_high, p.y);
        CHECK(kept_low == all_low);
        CHECK(kept_high == all_high);
    }
}

TEST_CASE("svg plot: a whole document with title, axis labels, ticks and a legend entry per series") {
    Figure figure{.title = "How fast does it converge?", .x_label = "iteration", .y_label = "loss"};
    figure.series.push_back({.label = "lr = 0.1", .x = {0, 1, 2}, .y = {3, 1, 2}});
    figure.series.push_back({.label = "lr = 0.01", .x = {0, 1, 2}, .y = {3, 2.5, 2}, .style = Series::Style::markers});
    const std::string svg = to_svg(figure);
    CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\""));
    CHECK(svg.ends_with("</svg>\n"));
    CHECK(count(svg, "<g") == count(svg, "</g>"));
    CHECK(count(svg, "<text") == count(svg, "</text>"));
    CHECK(count(svg, "<svg") == 1);
    CHECK(count(svg, ">How fast does it converge?</text>") == 1);
    CHECK(count(svg, ">iteration</text>") == 1);
    CHECK(count(svg, ">loss</text>") == 1);
    CHECK(count(svg, ">lr = 0.1</text>") == 1);
    CHECK(count(svg, ">lr = 0.01</text>") == 1);
    CHECK(!has(svg, "no data"));
    // x from 0 to 2 and y from 1 to 3 in steps of 0.5 or 1: the ends are labelled.
    CHECK(has(svg, ">0.0</text>"));
    CHECK(has(svg, ">2.0</text>"));
    CHECK(has(svg, ">3.0</text>"));
    // The line series draws a path; the markers series a path of zero-length lines (its dots), 3 of them.
    CHECK(has(svg, "stroke=\"#1f77b4\""));
    CHECK(count(svg, "h0") == 3 + 1);  // its three points and its legend swatch
}

TEST_CASE("svg plot: every text is XML-escaped") {
    Figure figure{.title = "a < b & c", .x_label = "\"x\"", .y_label = "y's"};
    figure.series.push_back({.label = "<&>", .x = {1, 2}, .y = {1, 2}});
    const std::string svg = to_svg(figure);
    CHECK(has(svg, ">&lt;&amp;&gt;</text>"));
    CHECK(has(svg, ">a &lt; b &amp; c</text>"));
    CHECK(has(svg, ">&quot;x&quot;</text>"));
    CHECK(has(svg, ">y&apos;s</text>"));
    CHECK(!has(svg, "<&>"));
    CHECK(!has(svg, "a < b"));
}

TEST_CASE("svg plot: six series get six colours") {
    Figure figure;
    for (int i = 0; i < 11; ++i) figure.series.push_back({.label = std::to_string(i), .x = {0, 1}, .y = {0, i + 1.0}});
    const std::string svg = to_svg(figure);
    for (const char* colour : {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"})
        CHECK(count(svg, "stroke=\"" + std::string(colour) + "\"") >= 2);  // its line and its legend swatch
    CHECK(count(svg, "stroke=\"#1f77b4\"") == 4);  // the 11th series comes round to the first colour again
}

TEST_CASE("svg plot: a log axis from 1e-12 to 1 is labelled at powers of ten") {
    Figure figure{.title = "loss", .log_y = true};
    figure.series.push_back({.label = "loss", .x = {0, 1, 2, 3}, .y = {1.0, 1e-4, 1e-9, 1e-12}});
    const std::string svg = to_svg(figure);
    for (const char* label : {">10⁻¹²</text>", ">10⁻⁸</text>", ">10⁻⁴</text>", ">1</text>"}) CHECK(count(svg, label) == 1);
    CHECK(!has(svg, "10⁻¹³"));
    CHECK(!has(svg, ">10</text>"));
}

TEST_CASE("svg plot: long series are thinned, keeping their shape, and the output stays small") {
    Figure one{.log_y = true};
    one.series.push_back({.label = "loss", .x = iota(20000), .y = loss_curve(20000, 1e-3, 1)});
    const std::string svg = to_svg(one);
    // Undecimated, 20,000 points at 8 bytes or more each would be over 160 kB.
    CHECK(svg.size() < 60'000);
    CHECK(count(svg, " ") < 4 * 800);  // one space between points on a line: at most 4 points a column

    // Five tutorial-like curves: well under a megabyte.
    Figure five{.title = "How fast does the gradient algorithm converge?", .x_label = "iteration", .y_label = "loss", .log_y = true};
    for (int k = 0; k < 5; ++k)
        five.series.push_back({.label = "run " + std::to_string(k), .x = iota(20000), .y = loss_curve(20000, 2e-3 * (k + 1), k)});
    CHECK(to_svg(five).size() < 300'000);
}

TEST_CASE("svg plot: NaN, Inf and non-positive values on a log axis are skipped, breaking the line") {
    Figure log_figure{.log_y = true};
    log_figure.series.push_back({.label = "s", .x = {1, 2, 3, 4, 5, 6, 7}, .y = {1, -1, std::nan(""), 0, 10, HUGE_VAL, 100}});
    const std::string svg = to_svg(log_figure);
    CHECK(!has(svg, "nan"));
    CHECK(!has(svg, "inf"));
    // The range is the good points' 1..100: nothing below 1, nothing above 10².
    CHECK(has(svg, ">1</text>"));
    CHECK(has(svg, ">10²</text>"));
    CHECK(!has(svg, "10⁻"));
    CHECK(!has(svg, "10³"));
    // 1, 10 and 100 each stand alone between skipped points: three one-point runs, drawn as dots.
    CHECK(count(svg, "h0") == 3);

    Figure linear{};
    linear.series.push_back({.label = "s", .x = {0, 1, std::nan(""), 3, 4}, .y = {1, -HUGE_VAL, 5, 3, 2}});
    const std::string linear_svg = to_svg(linear);
    CHECK(!has(linear_svg, "nan"));
    CHECK(!has(linear_svg, "inf"));
    CHECK(has(linear_svg, ">4.0</text>"));  // x: 0..4, from the points 0, 3 and 4
    CHECK(!has(linear_svg, ">5.0</text>"));  // y: 1..3; the 5 sits at a NaN x
}

TEST_CASE("svg plot: a figure with nothing to draw still has axes and says so") {
    const std::string empty = to_svg(Figure{.title = "empty"});
    CHECK(count(empty, ">no data</text>") == 1);
    CHECK(has(empty, ">empty</text>"));
    CHECK(has(empty, ">0.0</text>"));  // the axes of an empty linear plot run from 0 to 1
    CHECK(has(empty, ">1.0</text>"));

    Figure all_bad{.log_x = true, .log_y = true};
    all_bad.series.push_back({.label = "diverged", .x = {1, 2}, .y = {std::nan(""), -1}});
    const std::string svg = to_svg(all_bad);
    CHECK(count(svg, ">no data</text>") == 1);
    CHECK(count(svg, ">diverged</text>") == 1);  // still in the legend
    CHECK(has(svg, ">10</text>"));
}

TEST_CASE("svg plot: the legend goes in a free corner of the plot, or beside it when there is none") {
    // The frame is the rect stroked #444444, the legend's the one stroked #bbbbbb.
    const auto frame_right = [](const std::string& svg) {
        return attribute(svg, "stroke=\"#444444\"/>", "x") + attribute(svg, "stroke=\"#444444\"/>", "width");
    };
    const auto legend_left = [](const std::string& svg) { return attribute(svg, "stroke=\"#bbbbbb\"", "x"); };
    const auto legend_top = [](const std::string& svg) { return attribute(svg, "stroke=\"#bbbbbb\"", "y"); };

    // A loss curve falls from top left to bottom right: the top right corner is free.
    Figure loss{.title = "t", .log_y = true};
    loss.series.push_back({.label = "loss", .x = iota(1000), .y = loss_curve(1000, 0.03, 2)});
    const std::string falling = to_svg(loss);
    CHECK(legend_left(falling) > frame_right(falling) - 200.0);
    CHECK(legend_left(falling) < frame_right(falling));
    CHECK(legend_top(falling) < 100.0);

    // Rising times on a log-log plot leave the top left free.
    Figure times{.log_x = true, .log_y = true};
    times.series.push_back({.label = "time", .x = {4, 8, 16, 32, 64, 128, 256, 512}, .y = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10}});
    const std::string rising = to_svg(times);
    CHECK(legend_left(rising) < 150.0);
    CHECK(legend_top(rising) < 100.0);

    // Two diagonals cross every corner: the plot narrows and the legend stands to its right.
    Figure cross;
    cross.series.push_back({.label = "up", .x = {0, 1}, .y = {0, 1}});
    cross.series.push_back({.label = "down", .x = {0, 1}, .y = {1, 0}});
    const std::string crossed = to_svg(cross);
    CHECK(legend_left(crossed) > frame_right(crossed));
    CHECK(legend_left(crossed) < 800.0 - 60.0);
}

TEST_CASE("svg plot: a small figure still gets ticks on both axes") {
    Figure small{.title = "small", .width = 360, .height = 180};  // room for only 2 y labels
    small.series.push_back({.label = "sin", .x = {0, 1, 2, 3, 4, 5, 6}, .y = {0, 0.84, 0.91, 0.14, -0.76, -0.96, -0.28}});
    const std::string svg = to_svg(small);
    CHECK(!has(svg, "nan"));
    CHECK(has(svg, ">\u22121</text>"));
    CHECK(has(svg, ">1</text>"));
    CHECK(has(svg, ">6</text>"));
}

TEST_CASE("svg plot: mismatched series and tiny figures are errors") {
    Figure figure;
    figure.series.push_back({.label = "ok", .x = {1}, .y = {1}});
    figure.series.push_back({.label = "bad", .x = {1, 2, 3}, .y = {1, 2}});
    CHECK(error_message([&] { to_svg(figure); }) == "to_svg: series 1 (\"bad\") has 3 x values and 2 y values");
    CHECK(error_message([] { to_svg(Figure{.width = 100, .height = 50}); }) ==
          "to_svg: the figure is 100x50 pixels; it needs at least 240x180");
}

TEST_CASE("svg plot: write_svg writes the document, and names a path it cannot write") {
    const TempDir dir;
    Figure figure{.title = "written"};
    figure.series.push_back({.label = "s", .x = {1, 2}, .y = {3, 4}});
    write_svg(figure, dir / "plot.svg");
    CHECK(read_text(dir / "plot.svg") == to_svg(figure));
    CHECK(!std::filesystem::exists(dir / "plot.svg.tmp"));

    const std::filesystem::path nowhere = dir / "no-such-dir" / "plot.svg";
    CHECK(error_message([&] { write_svg(figure, nowhere); }) == nowhere.string() + ": cannot open file for writing");
    CHECK_THROWS_AS(write_svg(figure, nowhere), std::runtime_error);

    // A directory where the file should go: the rename fails, and no temporary file is left behind.
    std::filesystem::create_directory(dir / "taken.svg");
    CHECK(error_message([&] { write_svg(figure, dir / "taken.svg"); }).starts_with((dir / "taken.svg").string() + ": cannot write file ("));
    CHECK(!std::filesystem::exists(dir / "taken.svg.tmp"));
}
