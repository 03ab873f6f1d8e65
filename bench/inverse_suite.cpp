// Measures every inverse method on bench/test_matrices.hpp's inverse_suite against LAPACK's dgetrf + dgetri:
// success rate, iterations and wall time per case. The numbers in docs/inverse.md come from this program.
//
//   inverse_suite [fast|full] [method ...]     e.g.  inverse_suite full conjugate_gradient newton_schulz
//
// A case succeeds when the method says converged (its answer passed the check against M: inverse.hpp) and its
// inverse is within max(1e-8, 20·κ·ε) of LAPACK's, relative to LAPACK's largest entry (compare_inverse's
// relative_error).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "linalg/inverse/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "bench/test_matrices.hpp"

using namespace tapegrad;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// LAPACK's time for one inverse: the best of several batches, each long enough to time.
double lapack_seconds(const Matrix& M) {
    double best = std::numeric_limits<double>::infinity();
    for (int batch = 0; batch < 5; ++batch) {
        long runs = 0;
        const auto start = std::chrono::steady_clock::now();
        do {
            const Matrix X = lapack_inverse(M);
            ++runs;
        } while (seconds_since(start) < 0.002);
        best = std::min(best, seconds_since(start) / static_cast<double>(runs));
    }
    return best;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
    const SuiteSize size = argc > 1 && std::string(argv[1]) == "fast" ? SuiteSize::fast : SuiteSize::full;
    std::vector<InverseMethod> methods;
    for (int i = 2; i < argc; ++i) {
        const std::optional<InverseMethod> m = inverse_method_named(argv[i]);
        if (!m) {
            std::fprintf(stderr, "inverse_suite: no inverse method named %s\n", argv[i]);
            return 2;
        }
        methods.push_back(*m);
    }
    if (methods.empty()) methods.assign(std::begin(all_inverse_methods), std::end(all_inverse_methods));
    const std::vector<TestMatrix> suite = inverse_suite(size);
    const double epsilon = std::numeric_limits<double>::epsilon();

    std::vector<Matrix> references;
    std::vector<double> kappas, lapack_times;
    for (const TestMatrix& t : suite) {
        references.push_back(lapack_inverse(t.M));
        kappas.push_back(condition_number(t.M));
        lapack_times.push_back(lapack_seconds(t.M));
    }
    std::printf("LAPACK dgetrf+dgetri: %zu cases, time median %.3g s, p90 %.3g s, max %.3g s\n", suite.size(),
                percentile(lapack_times, 0.5), percentile(lapack_times, 0.9), percentile(lapack_times, 1.0));

    for (const InverseMethod method : methods) {
        const InverseOptions options = default_inverse_options(method);
        std::vector<double> iterations, times, errors;
        int successes = 0;
        std::printf("\n== %s\n", std::string(to_string(method)).c_str());
        for (std::size_t k = 0; k < suite.size(); ++k) {
            const InverseResult r = inverse_by_descent(suite[k].M, options);
            const InverseComparison c = compare_inverse(suite[k].M, r.inverse, references[k]);
            const double bound = std::max(1e-8, 20.0 * kappas[k] * epsilon);
            const bool success = r.report.status == Status::converged && c.relative_error <= bound;
            successes += success;
            iterations.push_back(static_cast<double>(r.report.iterations));
            times.push_back(r.report.wall_seconds);
            errors.push_back(c.relative_error);
            std::printf("%-4s %-44s κ %8.2e  %-14s it %6ld  %9.3g s (LAPACK ×%-8.3g)  rel. error %8.2e\n",
                        success ? "ok" : "FAIL", suite[k].name.c_str(), kappas[k],
                        std::string(to_string(r.report.status)).c_str(), r.report.iterations, r.report.wall_seconds,
                        r.report.wall_seconds / lapack_times[k], c.relative_error);
        }
        std::printf("%s: %d/%zu succeed; iterations median %.0f, p90 %.0f, max %.0f; time median %.3g s, p90 %.3g s, "
                    "max %.3g s, total %.3g s; worst relative error %.2e\n",
                    std::string(to_string(method)).c_str(), successes, suite.size(), percentile(iterations, 0.5),
                    percentile(iterations, 0.9), percentile(iterations, 1.0), percentile(times, 0.5),
                    percentile(times, 0.9), percentile(times, 1.0), [&] { double s = 0; for (double t : times) s += t; return s; }(),
                    percentile(errors, 1.0));
    }
}
