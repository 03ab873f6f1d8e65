// The truncated SVD (svd.hpp's `rank`): the k largest singular triplets by the Riemannian methods on
// St(m, k) × St(n, k), held to LAPACK's full SVD, and its check by the triplets' residuals.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "autodiff/gemm.hpp"
#include "helpers.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

// M = P·diag(σ)·Qᵀ with σ_j = decay^j: a spectrum that decays, with distinct values (so each vector is unique up to
// its sign), P and Q the orthonormal factors of random matrices (LAPACK's).
Matrix with_spectrum(std::size_t m, std::size_t n, double decay, std::uint64_t seed) {
    const ReferenceSvd p = lapack_svd(uniform(m, n, seed));
    std::vector<double> sigma(std::min(m, n));
    for (std::size_t j = 0; j < sigma.size(); ++j) sigma[j] = std::pow(decay, static_cast<double>(j));
    return reconstruct(p.U, sigma, p.V);
}

// Largest over the k columns of min(‖x_j − y_j‖∞, ‖x_j + y_j‖∞), y_j LAPACK's j-th vector.
double vector_error(const Matrix& X, const Matrix& reference) {
    double worst = 0.0;
    for (std::size_t j = 0; j < X.cols(); ++j) {
        double same = 0.0, flipped = 0.0;
        for (std::size_t i = 0; i < X.rows(); ++i) {
            same = std::max(same, std::abs(X(i, j) - reference(i, j)));
            flipped = std::max(flipped, std::abs(X(i, j) + reference(i, j)));
        }
        worst = std::max(worst, std::min(same, flipped));
    }
    return worst;
}

void check_triplets(const Matrix& M, const SvdResult& r, std::size_t k) {
    const ReferenceSvd ref = lapack_svd(M);
    CHECK(r.report.status == Status::converged);
    REQUIRE(r.singular_values.size() == k);
    CHECK(r.U.shape() == Shape{M.rows(), k});
    CHECK(r.V.shape() == Shape{M.cols(), k});
    for (std::size_t j = 0; j < k; ++j)
        CHECK(std::abs(r.singular_values[j] - ref.singular_values[j]) <= 1e-8 * ref.singular_values[0]);
    CHECK(vector_error(r.U, ref.U) <= 1e-6);
    CHECK(vector_error(r.V, ref.V) <= 1e-6);
    CHECK(r.orthogonality_error <= 1e-12);
    // The check behind the status, recomputed here.
    CHECK(r.triplet_residual == triplet_residual(M, r.U, r.singular_values, r.V));
    CHECK(r.triplet_residual <= r.allowed);
    CHECK(r.reconstruction_error == 0.0);  // not computed: k triplets cannot rebuild M
}

}  // namespace

TEST_CASE("truncated SVD: the k largest triplets of tall and wide matrices, as LAPACK's") {
    for (const Shape s : {Shape{60, 30}, Shape{30, 50}}) {
        const Matrix M = with_spectrum(s.rows, s.cols, 0.8, 7);
        for (const long k : {1L, 3L, 8L}) {
            CAPTURE(to_string(s));
            CAPTURE(k);
            check_triplets(M, svd_by_descent(M, TrustRegionOptions{.rank = k}), static_cast<std::size_t>(k));
        }
    }
}

TEST_CASE("truncated SVD: large enough for gemm's thin path (M·V and Mᵀ·U without dgemm), as LAPACK's") {
    static_assert(400 * 200 >= thin_from);
    for (const Shape s : {Shape{400, 200}, Shape{200, 400}}) {
        const Matrix M = with_spectrum(s.rows, s.cols, 0.8, 12);
        for (const long k : {1L, 8L}) {
            CAPTURE(to_string(s));
            CAPTURE(k);
            check_triplets(M, svd_by_descent(M, TrustRegionOptions{.rank = k}), static_cast<std::size_t>(k));
        }
    }
}

TEST_CASE("truncated SVD: the line-search methods take the rank too") {
    const Matrix M = with_spectrum(40, 25, 0.7, 8);
    check_triplets(M, svd_by_descent(M, StiefelCgOptions{.rank = 2}), 2);
    check_triplets(M, svd_by_descent(M, StiefelDescentOptions{.rank = 2}), 2);
}

TEST_CASE("truncated SVD: a random matrix (slowly decaying spectrum) and a scaled one") {
    const Matrix M = uniform(80, 50, 9);
    check_triplets(M, svd_by_descent(M, TrustRegionOptions{.rank = 5}), 5);
    const SvdResult scaled = svd_by_descent(1e200 * M, TrustRegionOptions{.rank = 5});
    check_triplets(1e200 * M, scaled, 5);
}

TEST_CASE("truncated SVD: rank min(m, n) is the full SVD; a larger or negative rank is refused by name") {
    const Matrix M = uniform(6, 4, 10);
    const SvdResult full = svd_by_descent(M, TrustRegionOptions{});
    const SvdResult all = svd_by_descent(M, TrustRegionOptions{.rank = 4});
    CHECK(all.singular_values == full.singular_values);
    CHECK(all.reconstruction_error == full.reconstruction_error);
    CHECK(error_message([&] { svd_by_descent(M, TrustRegionOptions{.rank = 5}); }) ==
          "svd_by_descent: rank 5 is more than min(m, n) = 4 for a 6x4 matrix");
    CHECK(error_message([&] { svd_by_descent(M, StiefelCgOptions{.rank = -1}); }).find("rank must be >= 0") !=
          std::string::npos);
}

TEST_CASE("triplet_residual: 0 for LAPACK's triplets, the residual of a wrong one") {
    const Matrix M = uniform(7, 5, 11);
    const ReferenceSvd ref = lapack_svd(M);
    CHECK(triplet_residual(M, ref.U, ref.singular_values, ref.V) <= 1e-14);
    std::vector<double> wrong = ref.singular_values;
    wrong[0] *= 1.5;  // ‖M·v₁ − 1.5σ₁·u₁‖ = 0.5σ₁: relative to the σ₁ given, 0.5/1.5
    CHECK(triplet_residual(M, ref.U, wrong, ref.V) == doctest::Approx(1.0 / 3.0).epsilon(1e-12));
}
