// Runs an SVD method on bench/test_matrices.hpp's suite and checks every answer against LAPACK with issue 5's
// targets: singular values within 1e-8·σ₁, reconstruction within 1e-8, orthonormal factors. Prints the
// failures, then one line: how many passed, iterations, tape passes, worst errors, time. docs/svd.md's table.
//
//   build/bin/svd_suite [method] [fast|full] [--all]     (defaults: trust-region fast; --all prints every matrix)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"
#include "bench/test_matrices.hpp"

using namespace tapegrad;

int main(int argc, char** argv) {
    const std::optional<SvdMethod> chosen = svd_method_named(argc > 1 ? argv[1] : "trust-region");
    if (!chosen) {
        std::fprintf(stderr, "svd_suite: no SVD method named %s\n", argv[1]);
        return 2;
    }
    const SvdMethod method = *chosen;
    const bool full = argc > 2 && std::string(argv[2]) == "full";
    const bool all = argc > 3 && std::string(argv[3]) == "--all";
    const SvdOptions options = default_svd_options(method);
    const std::vector<TestMatrix> suite = svd_suite(full ? SuiteSize::full : SuiteSize::fast);
    int passed = 0, diverged = 0;
    long iterations = 0, most_iterations = 0, passes = 0;
    double seconds = 0.0, worst_value = 0.0, worst_reconstruction = 0.0, worst_sine = 0.0;
    for (const TestMatrix& t : suite) {
        const auto start = std::chrono::steady_clock::now();
        const SvdResult r = svd_by_descent(t.M, options);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const ReferenceSvd reference = lapack_svd(t.M);
        const SvdComparison c = compare_svd(t.M, r.U, r.singular_values, r.V, reference);
        const SubspaceComparison sub = compare_subspaces(r.U, r.V, reference);
        const bool ok = c.max_singular_value_error <= 1e-8 && c.reconstruction_error <= 1e-8 &&
                        c.orthogonality_error_U <= 1e-12 && c.orthogonality_error_V <= 1e-12;
        passed += ok;
        diverged += r.report.status == Status::diverged;
        iterations += r.report.iterations;
        most_iterations = std::max(most_iterations, r.report.iterations);
        passes += r.report.tape_passes;
        seconds += s;
        worst_value = std::max(worst_value, c.max_singular_value_error);
        worst_reconstruction = std::max(worst_reconstruction, c.reconstruction_error);
        worst_sine = std::max({worst_sine, sub.max_sine_U, sub.max_sine_V});
        if (!ok || all)
            std::printf("%-4s %-44s %6ld iterations %7ld passes  %-14s σ error %.1e  reconstruction %.1e  subspace %.1e  %.3f s\n",
                        ok ? "ok" : "FAIL", t.name.c_str(), r.report.iterations, r.report.tape_passes,
                        std::string(to_string(r.report.status)).c_str(), c.max_singular_value_error, c.reconstruction_error,
                        std::max(sub.max_sine_U, sub.max_sine_V), s);
    }
    const double n = static_cast<double>(suite.size());
    std::printf("%s on the %s suite: %d/%zu passed, %d diverged; iterations mean %.1f, max %ld; tape passes mean %.1f; "
                "worst σ error %.1e, reconstruction %.1e, subspace sine %.1e; %.3f s in all\n",
                std::string(to_string(method)).c_str(), full ? "full" : "fast", passed, suite.size(), diverged, iterations / n,
                most_iterations, passes / n, worst_value, worst_reconstruction, worst_sine, seconds);
    return passed == static_cast<int>(suite.size()) ? 0 : 1;
}
