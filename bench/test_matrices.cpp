#include "bench/test_matrices.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "autodiff/gemm.hpp"
#include "linalg/svd/stiefel.hpp"

namespace tapegrad {

Matrix with_singular_values(std::size_t m, std::size_t n, const std::vector<double>& s, Random& rng) {
    const std::size_t k = std::min(m, n);
    if (s.size() != k) throw std::invalid_argument("with_singular_values: needs min(m, n) values");
    Matrix left = random_stiefel(m, k, rng);
    const Matrix right = random_stiefel(n, k, rng);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < k; ++j) left(i, j) *= s[j];
    Matrix M(m, n);
    gemm(left, Trans::No, right, Trans::Yes, M.ref());
    return M;
}

namespace {

std::string sci(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0e", x);
    return buffer;
}

// One spectrum of k values with σ₁ = 1 (the norm is applied afterwards).
struct Spectrum {
    std::string name;
    std::function<std::vector<double>(std::size_t k, Random& rng)> values;
};

std::vector<Spectrum> spectra(bool full) {
    std::vector<Spectrum> out;
    for (const double cond : full ? std::vector<double>{1e2, 1e4, 1e6} : std::vector<double>{1e3, 1e6})
        out.push_back({"geometric cond " + sci(cond), [cond](std::size_t k, Random&) {
                           std::vector<double> s(k);
                           for (std::size_t j = 0; j < k; ++j)
                               s[j] = k == 1 ? 1.0 : std::pow(cond, -static_cast<double>(j) / static_cast<double>(k - 1));
                           return s;
                       }});
    out.push_back({"rank-deficient", [](std::size_t k, Random& rng) {
                       std::vector<double> s(k, 0.0);
                       for (std::size_t j = 0; j < (k + 1) / 2; ++j) s[j] = rng.uniform(0.1, 1.0);
                       s[0] = 1.0;
                       return s;
                   }});
    out.push_back({"repeated", [](std::size_t k, Random&) {
                       std::vector<double> s(k);
                       for (std::size_t j = 0; j < k; ++j) s[j] = j < k / 2 ? 1.0 : 0.5;  // two clusters of equal values
                       return s;
                   }});
    out.push_back({"nearly repeated", [](std::size_t k, Random&) {
                       std::vector<double> s(k);
                       for (std::size_t j = 0; j < k; ++j) s[j] = 1.0 - 1e-10 * static_cast<double>(j % 3) - 0.3 * static_cast<double>(j / 3) / static_cast<double>(k);
                       return s;
                   }});
    return out;
}

std::vector<std::pair<std::size_t, std::size_t>> shapes(bool full, bool square_only) {
    std::vector<std::pair<std::size_t, std::size_t>> all =
        full ? std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {1, 6}, {9, 1}, {2, 2}, {4, 3}, {3, 4}, {5, 4}, {4, 4},
                                                              {7, 4}, {10, 10}, {16, 9}, {9, 16}, {24, 24}, {48, 48}, {64, 64}, {64, 40}}
             : std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {1, 5}, {6, 1}, {5, 4}, {3, 5}, {4, 4}, {12, 12}};
    if (square_only) std::erase_if(all, [](const auto& s) { return s.first != s.second; });
    return all;
}

std::vector<TestMatrix> suite(SuiteSize size, std::uint64_t seed, bool square_only) {
    const bool full = size == SuiteSize::full;
    Random rng(seed);
    const std::vector<double> norms = full ? std::vector<double>{1e-6, 1e-3, 1.0, 1e3, 1e6} : std::vector<double>{1e-6, 1.0, 1e6};
    std::vector<TestMatrix> out;
    for (const auto& [m, n] : shapes(full, square_only)) {
        const std::string shape = std::to_string(m) + "x" + std::to_string(n);
        const std::size_t k = std::min(m, n);
        // Uniform [0, 1) entries, like the tutorial's torch.rand, at unit scale.
        Matrix uniform(m, n);
        for (std::size_t i = 0; i < uniform.size(); ++i) uniform.data()[i] = rng.uniform();
        out.push_back({"uniform " + shape, uniform, {}});
        for (const Spectrum& spectrum : spectra(full)) {
            if (square_only && spectrum.name == "rank-deficient") continue;  // no inverse to find
            if (k == 1 && spectrum.name != spectra(full).front().name) continue;  // one value: one case is enough
            for (const double norm : norms) {
                std::vector<double> s = spectrum.values(k, rng);
                for (double& x : s) x *= norm;
                TestMatrix t{spectrum.name + " " + shape + " norm " + sci(norm), with_singular_values(m, n, s, rng), s};
                std::sort(t.singular_values.rbegin(), t.singular_values.rend());
                out.push_back(std::move(t));
                if (!full && norm != 1.0 && spectrum.name != spectra(full).front().name) break;  // fast: fewer norms
            }
        }
    }
    return out;
}

}  // namespace

std::vector<TestMatrix> svd_suite(SuiteSize size, std::uint64_t seed) { return suite(size, seed, false); }

std::vector<TestMatrix> inverse_suite(SuiteSize size, std::uint64_t seed) { return suite(size, seed, true); }

}  // namespace tapegrad
