#include "linalg/checks.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace tapegrad {

namespace {

[[noreturn]] void fail(const char* who, const std::string& what) { throw std::invalid_argument(std::string(who) + ": " + what); }

}  // namespace

std::string brief(double x) {
    std::ostringstream out;
    out.precision(3);
    out << x;
    return out.str();
}

void check_nonempty(const char* who, const Matrix& M) {
    if (M.empty()) fail(who, "the matrix is empty (" + to_string(M.shape()) + ")");
}

void check_finite(const char* who, const Matrix& M) {
    for (std::size_t i = 0; i < M.rows(); ++i)
        for (std::size_t j = 0; j < M.cols(); ++j)
            if (!std::isfinite(M(i, j)))
                fail(who, "entry (" + std::to_string(i) + ", " + std::to_string(j) + ") is " + brief(M(i, j)) +
                              "; every entry must be finite");
}

void check_square(const char* who, const Matrix& M) {
    if (M.rows() != M.cols()) fail(who, "needs a square matrix, got " + to_string(M.shape()));
}

void check_positive(const char* who, const char* name, double value) {
    if (!(value > 0.0 && std::isfinite(value))) fail(who, std::string(name) + " must be finite and > 0, got " + brief(value));
}

void check_nonnegative(const char* who, const char* name, double value) {
    if (!(value >= 0.0 && std::isfinite(value))) fail(who, std::string(name) + " must be finite and >= 0, got " + brief(value));
}

void check_nonnegative(const char* who, const char* name, long value) {
    if (value < 0) fail(who, std::string(name) + " must be >= 0, got " + std::to_string(value));
}

void check_half_open(const char* who, const char* name, double value, double low, double high) {
    if (!(value >= low && value < high))
        fail(who, std::string(name) + " must be in [" + brief(low) + ", " + brief(high) + "), got " + brief(value));
}

void check_open_closed(const char* who, const char* name, double value, double low, double high) {
    if (!(value > low && value <= high))
        fail(who, std::string(name) + " must be in (" + brief(low) + ", " + brief(high) + "], got " + brief(value));
}

}  // namespace tapegrad
