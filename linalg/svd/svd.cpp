// svd_by_descent: check the input, pick the method by its options, run it through iterate(), and check the
// answer against M before the status says converged.
#include "linalg/svd/svd.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <stdexcept>
#include <tuple>

#include "linalg/checks.hpp"
#include "linalg/memory.hpp"
#include "linalg/metrics.hpp"
#include "linalg/svd/methods.hpp"

namespace tapegrad {

namespace {

constexpr double epsilon = std::numeric_limits<double>::epsilon();

std::unique_ptr<SvdSolver> solver_for(const Matrix& M, const SvdOptions& options) {
    switch (method_of(options)) {
        case SvdMethod::penalty: return penalty(M, std::get<PenaltyOptions>(options));
        case SvdMethod::stiefel_descent: return stiefel_descent(M, std::get<StiefelDescentOptions>(options));
        case SvdMethod::stiefel_cg: return stiefel_cg(M, std::get<StiefelCgOptions>(options));
        case SvdMethod::trust_region: return trust_region(M, std::get<TrustRegionOptions>(options));
    }
    throw std::invalid_argument("svd_by_descent: unknown method");
}

// The check of the answer that settle() turns into the status (metrics.hpp computes the errors, in arithmetic
// scaled so that entries near 1e308 neither overflow nor lose digits).
Check check_svd(const Matrix& M, const SvdFactors& f, double tolerance, SvdResult& result) {
    Check check;
    check.finite = all_finite(f.U) && all_finite(f.V) &&
                   std::all_of(f.singular_values.begin(), f.singular_values.end(), [](double s) { return std::isfinite(s); });
    if (!check.finite) return check;
    // A truncated SVD cannot rebuild M: its triplets are checked one by one instead.
    const bool truncated = f.singular_values.size() < std::min(M.rows(), M.cols());
    const double error = truncated ? (result.triplet_residual = triplet_residual(M, f.U, f.singular_values, f.V))
                                   : (result.reconstruction_error = reconstruction_error(M, f.U, f.singular_values, f.V));
    result.orthogonality_error = std::max(orthogonality_error(f.U), orthogonality_error(f.V));
    const double floor = 100.0 * epsilon * static_cast<double>(std::max(M.rows(), M.cols()));
    result.allowed = std::max(tolerance, floor);
    check.passed = error <= result.allowed && result.orthogonality_error <= result.allowed;
    check.what = std::string(truncated ? "largest triplet residual ‖M·v − σ·u‖, ‖Mᵀ·u − σ·v‖ over σ₁ "
                                       : "relative reconstruction error ") +
                 brief(error) + ", orthogonality error " +
                 brief(result.orthogonality_error) + (check.passed ? ", both <= " : ", not both <= ") +
                 (tolerance >= floor ? "tolerance " : "100·ε·max(m, n) = ") + brief(result.allowed);
    return check;
}

}  // namespace

std::string_view to_string(SvdMethod method) {
    switch (method) {
        case SvdMethod::penalty: return "penalty";
        case SvdMethod::stiefel_descent: return "stiefel";
        case SvdMethod::stiefel_cg: return "stiefel-cg";
        case SvdMethod::trust_region: return "trust-region";
    }
    return "?";
}

std::optional<SvdMethod> svd_method_named(std::string_view name) {
    for (const SvdMethod m : all_svd_methods)
        if (name == to_string(m)) return m;
    return std::nullopt;
}

SvdMethod most_robust_svd_method() { return SvdMethod::trust_region; }

SvdMethod method_of(const SvdOptions& options) {
    return static_cast<SvdMethod>(options.index());  // the variant lists the options in the enum's order
}

SvdOptions default_svd_options(SvdMethod method) {
    switch (method) {
        case SvdMethod::penalty: return PenaltyOptions{};
        case SvdMethod::stiefel_descent: return StiefelDescentOptions{};
        case SvdMethod::stiefel_cg: return StiefelCgOptions{};
        case SvdMethod::trust_region: return TrustRegionOptions{};
    }
    throw std::invalid_argument("default_svd_options: unknown method");
}

void sort_and_fix_signs(Matrix& U, std::vector<double>& singular_values, Matrix& V) {
    const std::size_t k = singular_values.size();
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return singular_values[a] > singular_values[b]; });
    const Matrix U0 = U, V0 = V;
    const std::vector<double> s0 = singular_values;
    for (std::size_t j = 0; j < k; ++j) {
        const std::size_t from = order[j];
        // The sign rule: the largest-magnitude entry of u_j is positive (the first such entry on a tie).
        std::size_t top = 0;
        for (std::size_t i = 1; i < U0.rows(); ++i)
            if (std::abs(U0(i, from)) > std::abs(U0(top, from))) top = i;
        const double sign = U0(top, from) < 0.0 ? -1.0 : 1.0;
        singular_values[j] = s0[from];
        for (std::size_t i = 0; i < U.rows(); ++i) U(i, j) = sign * U0(i, from);
        for (std::size_t i = 0; i < V.rows(); ++i) V(i, j) = sign * V0(i, from);
    }
}

long rank_of(const SvdOptions& options) {
    return std::visit([](const auto& o) -> long {
        if constexpr (requires { o.rank; }) return o.rank;
        return 0;
    }, options);
}

double svd_memory_need(std::size_t m, std::size_t n, const SvdOptions& options) {
    const double M = static_cast<double>(m), N = static_cast<double>(n);
    const long rank = rank_of(options);
    const double k = rank > 0 ? std::min(static_cast<double>(rank), std::min(M, N)) : std::min(M, N);
    // Measured peaks (svd_demo under /usr/bin/time) were about half these counts of doubles.
    if (std::holds_alternative<PenaltyOptions>(options)) return 8.0 * (10.0 * M * N + 20.0 * (M + N) * k);
    return 8.0 * (3.0 * M * N + 40.0 * (M + N) * k + 10.0 * k * k);
}

void check_svd_memory(const std::string& who, std::size_t m, std::size_t n, const SvdOptions& options,
                      const std::string& rank_flag, double extra) {
    std::string hint;
    constexpr long few = 10;
    if (!std::holds_alternative<PenaltyOptions>(options) && rank_of(options) == 0 && std::min(m, n) > few) {
        SvdOptions truncated = options;
        std::visit([](auto& o) {
            if constexpr (requires { o.rank; }) o.rank = few;
        }, truncated);
        hint = "; the " + std::to_string(few) + " largest triplets alone (" + rank_flag + std::to_string(few) +
               ") would need about " + bytes_text(extra + svd_memory_need(m, n, truncated));
    }
    check_memory(who, "an SVD of a " + std::to_string(m) + "x" + std::to_string(n) + " matrix by " +
                          std::string(to_string(method_of(options))),
                 extra + svd_memory_need(m, n, options), hint);
}

SvdResult svd_by_descent(const Matrix& M, const SvdOptions& options, const Progress& progress) {
    check_nonempty("svd_by_descent", M);
    check_finite("svd_by_descent", M);
    const auto [max_iterations, tolerance] =
        std::visit([](const auto& o) { return std::tuple(o.max_iterations, o.tolerance); }, options);
    const char* name = to_string(method_of(options)).data();  // the names are string literals
    check_nonnegative(name, "max_iterations", max_iterations);
    check_nonnegative(name, "tolerance", tolerance);
    std::visit([&](const auto& o) {
        if constexpr (requires { o.rank; }) check_nonnegative(name, "rank", o.rank);
    }, options);
    check_svd_memory("svd_by_descent", M.rows(), M.cols(), options);  // before the method allocates
    const std::unique_ptr<SvdSolver> method = solver_for(M, options);

    SvdResult result;
    result.report = iterate(*method, max_iterations, progress);
    SvdFactors f = method->answer();
    if (result.report.status != Status::diverged && all_finite(f.U) && all_finite(f.V) &&
        !std::isfinite(f.singular_values.front()))
        throw std::invalid_argument("svd_by_descent: M's largest singular value is beyond the largest double (" +
                                    brief(std::numeric_limits<double>::max()) + "); divide M by a power of two first");
    settle(result.report, check_svd(M, f, tolerance, result));
    result.U = std::move(f.U);
    result.singular_values = std::move(f.singular_values);
    result.V = std::move(f.V);
    return result;
}

}  // namespace tapegrad
