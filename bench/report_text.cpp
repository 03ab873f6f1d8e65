#include "bench/report_text.hpp"

#include <cmath>
#include <cstdio>

namespace tapegrad::report {

namespace {

std::string printf_text(const char* format, double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, x);
    return buffer;
}

}  // namespace

std::string fixed(double x, int decimals) { return printf_text(("%." + std::to_string(decimals) + "f").c_str(), x); }

std::string three_digits(double x) {
    const double a = std::abs(x);
    if (a == 0) return "0";
    if (a >= 100) return fixed(x, 0);
    if (a >= 10) return fixed(x, 1);
    if (a >= 1) return fixed(x, 2);
    if (a >= 0.1) return fixed(x, 3);
    return printf_text("%.2e", x);
}

std::string time_text(double us) {
    if (us < 1) return three_digits(us * 1e3) + " ns";
    if (us < 1e3) return three_digits(us) + " µs";
    if (us < 1e6) return three_digits(us / 1e3) + " ms";
    return three_digits(us / 1e6) + " s";
}

std::string error_text(double x) { return printf_text("%.1e", x); }

std::string plain(double x) { return printf_text("%g", x); }

std::string count_text(double x) {
    const std::string digits = fixed(std::abs(x), 0);
    std::string text = x < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

std::string times_text(double ratio) { return (ratio < 1000 ? three_digits(ratio) : count_text(ratio)) + "×"; }

std::string problem_name(const std::string& problem) { return problem == "svd" ? "SVD" : problem; }

std::string percent_over(double measured, double bound) { return fixed((measured / bound - 1) * 100, 0) + "%"; }

std::string shape_text(const std::string& args) {
    std::string text = args;
    const std::size_t slash = text.find('/');
    return slash == std::string::npos ? text : text.replace(slash, 1, "×");
}

double rows_of(const std::string& args) { return std::stod(args.substr(0, args.find('/'))); }
double cols_of(const std::string& args) { return std::stod(args.substr(args.find('/') + 1)); }

std::string last_part(const std::string& name) { return name.substr(name.rfind('/') + 1); }

}  // namespace tapegrad::report
