#include "demos/plot_ticks.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace tapegrad::plot {

namespace {

// The typographic minus sign: it lines up with the superscript one in 10⁻¹² and is as wide as a digit.
const std::string minus_sign = "\u2212";

std::string superscript(int n) {
    static const std::array<std::string, 10> digits = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    std::string out = n < 0 ? "⁻" : "";
    for (const char c : std::to_string(std::abs(n))) out += digits[static_cast<std::size_t>(c - '0')];
    return out;
}

// v with a fixed number of decimals, locale-independent, with "−" for negative numbers.
std::string fixed(double v, int decimals) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, std::abs(v), std::chars_format::fixed, decimals);
    const std::string digits(buffer, result.ptr);
    const bool zero = digits.find_first_not_of("0.") == std::string::npos;
    return (v < 0 && !zero ? minus_sign : "") + digits;
}

// 10^e, exactly the double that "1e<e>" reads as (std::pow promises less). Values are within 10^±300
// (largest_value), so e stays well inside a double's range.
double power_of_ten(int e) {
    const std::string text = "1e" + std::to_string(e);
    double value = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

// The label of a tick at value on an axis whose step is m × 10^step_exponent.
std::string linear_label(double value, int step_exponent, bool scientific) {
    if (!scientific) return fixed(value, std::max(0, -step_exponent));
    if (value == 0.0) return "0";
    // mantissa × 10^e with as many mantissa decimals as the step needs: 1.5×10⁶ for a step of 5×10⁵.
    int e = static_cast<int>(std::floor(std::log10(std::abs(value))));
    if (std::abs(value) >= power_of_ten(e + 1)) ++e;  // log10 can land a hair under a whole power
    const std::string mantissa = fixed(value / power_of_ten(e), std::max(0, e - step_exponent));
    return mantissa + "×10" + superscript(e);
}

// "[1e-12, 0.5]", for error messages: each number in the shortest text that reads back as it.
std::string range_text(double low, double high) {
    char buffer[64];
    std::string text = "[";
    text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, low).ptr);
    text += ", ";
    text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, high).ptr);
    return text + "]";
}

}  // namespace

std::string power_of_ten_label(int exponent) {
    if (exponent == 0) return "1";
    if (exponent == 1) return "10";
    return "10" + superscript(exponent);
}

AxisTicks linear_ticks(double data_low, double data_high, int max_labels) {
    if (!(data_low <= data_high && -largest_value <= data_low && data_high <= largest_value))
        throw std::invalid_argument("linear_ticks: the range " + range_text(data_low, data_high) +
                                    " is not ordered and within ±1e300");
    // One value, or one with rounding noise (0.3 and 0.30000000000000004): centre it in a range of its own size,
    // or ±1 around zero. Steps a billionth of the values' size would also count ticks past 2^53, where ++ stops.
    const double size = std::max(std::abs(data_low), std::abs(data_high));
    if (data_high - data_low <= 1e-9 * size) {
        const double middle = data_low / 2.0 + data_high / 2.0;
        const double half = middle == 0.0 ? 1.0 : std::abs(middle) / 2.0;
        data_low = middle - half;
        data_high = middle + half;
    }
    // A step at least the range's length needs at most 3 ticks (a range across zero needs all 3: -1, 0, 1), so
    // with max_labels >= 3 the search below always ends.
    max_labels = std::max(max_labels, 3);
    // The smallest step 1, 2 or 5 × 10^k that needs at most max_labels ticks, tried upwards from just under
    // range / (max_labels - 1).
    const std::array<double, 3> multipliers = {1.0, 2.0, 5.0};
    std::size_t m = 0;
    int exponent = static_cast<int>(std::floor(std::log10((data_high - data_low) / (max_labels - 1))));
    double step = power_of_ten(exponent);
    while (std::ceil(data_high / step) - std::floor(data_low / step) + 1 > max_labels) {
        if (++m == multipliers.size()) m = 0, ++exponent;
        step = multipliers[m] * power_of_ten(exponent);
    }
    const double first = std::floor(data_low / step), last = std::ceil(data_high / step);
    AxisTicks ticks;
    ticks.low = first * step;
    ticks.high = last * step;
    const bool scientific = std::max(std::abs(ticks.low), std::abs(ticks.high)) >= 1e6 || step < 1e-3;
    const int count = static_cast<int>(last - first) + 1;
    for (int k = 0; k < count; ++k) {
        const double value = (first + k) * step;  // i · step, not a running sum: 0 is exactly 0, no error piles up
        ticks.major.push_back({value, linear_label(value, exponent, scientific)});
    }
    return ticks;
}

AxisTicks log_ticks(double data_low, double data_high, int max_labels) {
    if (!(1.0 / largest_value <= data_low && data_low <= data_high && data_high <= largest_value))
        throw std::invalid_argument("log_ticks: the range " + range_text(data_low, data_high) +
                                    " is not ordered and within 1e-300..1e300");
    // Whole decades around the data; log10 alone can land a hair either side of a power, so check with powers.
    int low = static_cast<int>(std::floor(std::log10(data_low)));
    while (power_of_ten(low + 1) <= data_low) ++low;
    while (power_of_ten(low) > data_low) --low;
    int high = static_cast<int>(std::ceil(std::log10(data_high)));
    while (power_of_ten(high - 1) >= data_high) --high;
    while (power_of_ten(high) < data_high) ++high;
    if (low == high) --low, ++high;  // one power of ten: show the decades either side
    max_labels = std::max(max_labels, 2);

    // Label every decade, or every 2nd, 3rd, ... (counted from 10⁰, so 1 is labelled when it is in range).
    const int decades = high - low;
    const int needed = (decades + max_labels - 2) / (max_labels - 1);  // ceil(decades / (max_labels - 1))
    int every = needed;
    for (const int nice : {1, 2, 3, 4, 5, 10, 20, 50, 100}) {
        if (nice >= needed) {
            every = nice;
            break;
        }
    }
    AxisTicks ticks;
    ticks.low = power_of_ten(low);
    ticks.high = power_of_ten(high);
    for (int e = low; e <= high; ++e) {
        if (e % every == 0)
            ticks.major.push_back({power_of_ten(e), power_of_ten_label(e)});
        else
            ticks.minor.push_back(power_of_ten(e));
    }
    // With few decades there is room to mark 2×, 3×, ... 9× each power, the ruler a log axis is read by.
    if (every == 1 && decades <= 6) {
        for (int e = low; e < high; ++e)
            for (int m = 2; m <= 9; ++m) ticks.minor.push_back(m * power_of_ten(e));
    }
    return ticks;
}

}  // namespace tapegrad::plot
