#pragma once
// Small helpers shared by the tests.
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

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

// A fresh directory under the system's temporary directory, removed with all it holds when this goes out of
// scope. Its name is random, so test processes that ctest runs in parallel never share one.
class TempDir {
public:
    TempDir() {
        std::random_device entropy;
        do path_ = std::filesystem::temp_directory_path() / ("tapegrad-test-" + std::to_string(entropy()));
        while (!std::filesystem::create_directory(path_));  // false: it already existed, draw another name
    }
    ~TempDir() {
        std::error_code ignored;  // a destructor must not throw; a leftover temporary directory is harmless
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace tapegrad::testing
