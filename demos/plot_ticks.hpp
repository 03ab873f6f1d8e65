#pragma once
// Where a plot axis puts its ticks and what it writes under them: steps of 1, 2 or 5 × 10^k on a linear axis,
// powers of ten on a log axis. svg_plot.cpp draws them; they are separate so they can be tested exactly.
#include <string>
#include <vector>

namespace tapegrad::plot {

// The largest value, in size, that an axis handles (and on a log axis 1/largest_value is the smallest). Beyond it
// a value is overflow on its way to Inf, and the axis arithmetic would overflow with it; svg_plot skips it.
constexpr double largest_value = 1e300;

struct Tick {
    double value = 0.0;  // where, in data units
    std::string label;   // what is written there, e.g. "0.5", "2×10⁶", "10⁻¹²"
};

struct AxisTicks {
    double low = 0.0, high = 1.0;  // the axis' range in data units: the data's, widened to whole ticks
    std::vector<Tick> major;       // labelled, with a grid line
    std::vector<double> minor;     // a lighter grid line only (log axes: the decades and 2..9 × 10^k between labels)
};

// Ticks for a linear axis over [data_low, data_high]: a step of 1, 2 or 5 × 10^k, the smallest that needs at most
// max_labels ticks (taken as 3 if less: a range across zero needs -1, 0, 1), and the range widened to the ticks
// on either side. One value, or a range narrower than a billionth of its size (a constant with rounding noise),
// gets a range around it. Numbers of a million or more, or steps under 0.001, are labelled like 2×10⁶.
// Throws std::invalid_argument unless data_low <= data_high, both within ±largest_value.
AxisTicks linear_ticks(double data_low, double data_high, int max_labels);

// Ticks for a log axis over [data_low, data_high]: the range widened to whole decades, every decade labelled,
// or every 2nd, 3rd, ... so that at most max_labels are, with the others as minor grid lines.
// Throws std::invalid_argument unless 1/largest_value <= data_low <= data_high <= largest_value.
AxisTicks log_ticks(double data_low, double data_high, int max_labels);

// 10^exponent as a tick label: "1", "10", then 10², 10⁻¹² with Unicode superscripts.
std::string power_of_ten_label(int exponent);

}  // namespace tapegrad::plot
