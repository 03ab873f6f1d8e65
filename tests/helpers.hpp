#pragma once
// Small helpers shared by the tests.
#include <string>

#include "autodiff/autodiff.hpp"

namespace tapegrad::testing {

// A seeded random matrix with entries uniform in [low, high).
inline Matrix uniform(std::size_t rows, std::size_t cols, std::uint64_t seed, double low = -1.0, double high = 1.0) {
    Random rng(seed);
    Matrix m(rows, cols);
    for (std::size_t k = 0; k < m.size(); ++k) m.data()[k] = rng.uniform(low, high);
    return m;
}

// The message of the exception f throws, or "" if it throws none.
template <class F>
std::string error_message(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace tapegrad::testing
