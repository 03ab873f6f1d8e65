#pragma once
// Matrices with known singular values, of every kind a robust solver must handle: the tests run a fast
// slice of this suite, `make bench` the full set. Each is M = Q₁·diag(σ)·Q₂ᵀ with random orthonormal Q₁, Q₂.
#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/matrix.hpp"
#include "autodiff/random.hpp"

namespace tapegrad {

struct TestMatrix {
    std::string name;                     // says how it was made, e.g. "geometric 12x7 cond 1e+06 norm 1e-06"
    Matrix M;
    std::vector<double> singular_values;  // as constructed, descending (LAPACK's agree to about ε·σ₁)
};

// Q₁·diag(σ)·Q₂ᵀ for m×n with min(m, n) values σ (any order; they are not sorted here), Q₁ and Q₂ random
// points of the Stiefel manifolds (linalg/stiefel.hpp's random_stiefel).
Matrix with_singular_values(std::size_t m, std::size_t n, const std::vector<double>& singular_values, Random& rng);

enum class SuiteSize {
    fast,  // a few dozen cases: CI
    full,  // hundreds: make bench
};

// Every shape (1x1, rows, columns, tall, square, wide, up to 64x64) crossed with kinds of spectra (uniform
// random entries like the tutorial's, geometric decay to condition numbers 1e2..1e6, rank-deficient,
// repeated and nearly repeated values) and norms from 1e-6 to 1e6.
std::vector<TestMatrix> svd_suite(SuiteSize size, std::uint64_t seed = 2024);

// Square, invertible matrices of the same kinds (condition numbers up to 1e6, norms 1e-6..1e6).
std::vector<TestMatrix> inverse_suite(SuiteSize size, std::uint64_t seed = 2025);

}  // namespace tapegrad
