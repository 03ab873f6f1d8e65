// The trust region with exact Hessian-vector products (autodiff's hvp, forward over reverse) against finite
// differences of two tape gradients (Manopt's way): iterations, tape passes, time and accuracy against LAPACK on
// the tutorial's M1, on a suite (bench/test_matrices.hpp), and on random n×n from 16 to 256. Prints the
// markdown tables docs/svd.md quotes.
//
//   build/bin/hessian_products [fast|full]     (default fast)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/test_matrices.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;

namespace {

struct Run {
    SvdResult result;
    double seconds = 0.0;  // the fastest of `rounds` calls
    double value_error = 0.0, reconstruction_error = 0.0;
    bool passed = false;  // svd_suite's test: σ within 1e-8·σ₁, reconstruction 1e-8, orthonormal to 1e-12
};

Run run(const Matrix& M, HessianProducts hessian, int rounds) {
    Run r;
    r.seconds = 1e300;
    for (int i = 0; i < rounds; ++i) {
        const auto start = std::chrono::steady_clock::now();
        r.result = svd_by_descent(M, TrustRegionOptions{.hessian = hessian});
        r.seconds = std::min(r.seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const SvdComparison c = compare_svd(M, r.result.U, r.result.singular_values, r.result.V, lapack_svd(M));
    r.value_error = c.max_singular_value_error;
    r.reconstruction_error = c.reconstruction_error;
    r.passed = c.max_singular_value_error <= 1e-8 && c.reconstruction_error <= 1e-8 && c.orthogonality_error_U <= 1e-12 &&
               c.orthogonality_error_V <= 1e-12;
    return r;
}

const char* name(HessianProducts h) { return h == HessianProducts::exact ? "exact (hvp)" : "finite difference"; }

constexpr HessianProducts both[] = {HessianProducts::exact, HessianProducts::finite_difference};

}  // namespace

int main(int argc, char** argv) {
    const bool full = argc > 1 && std::string(argv[1]) == "full";

    std::printf("On M1 (5×4; fastest of 2000 calls):\n\n");
    std::printf("| Hessian products | iterations | tape passes | time | σ error | reconstruction |\n| --- | --- | --- | --- | --- | --- |\n");
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    for (const HessianProducts h : both) {
        const Run r = run(M1, h, 2000);
        std::printf("| %s | %ld | %ld | %.1f µs | %.1e | %.1e |\n", name(h), r.result.report.iterations,
                    r.result.report.tape_passes, r.seconds * 1e6, r.value_error, r.reconstruction_error);
    }

    std::printf("\nOn the %s suite (each matrix once):\n\n", full ? "full" : "fast");
    std::printf("| Hessian products | passed | mean / max iterations | mean tape passes | worst σ error | worst reconstruction | time |\n"
                "| --- | --- | --- | --- | --- | --- | --- |\n");
    const std::vector<TestMatrix> suite = svd_suite(full ? SuiteSize::full : SuiteSize::fast);
    for (const HessianProducts h : both) {
        int passed = 0;
        long iterations = 0, most = 0, passes = 0;
        double seconds = 0.0, value = 0.0, reconstruction = 0.0;
        for (const TestMatrix& t : suite) {
            const Run r = run(t.M, h, 1);
            passed += r.passed;
            iterations += r.result.report.iterations;
            most = std::max(most, r.result.report.iterations);
            passes += r.result.report.tape_passes;
            seconds += r.seconds;
            value = std::max(value, r.value_error);
            reconstruction = std::max(reconstruction, r.reconstruction_error);
        }
        const double n = static_cast<double>(suite.size());
        std::printf("| %s | %d / %zu | %.1f / %ld | %.1f | %.1e | %.1e | %.2f s |\n", name(h), passed, suite.size(),
                    static_cast<double>(iterations) / n, most, static_cast<double>(passes) / n, value, reconstruction, seconds);
    }

    std::printf("\nOn random n×n (Matrix::random(n, n, 314); fastest of 3 calls up to 64, one call above):\n\n");
    std::printf("| n | Hessian products | iterations | tape passes | time | σ error | reconstruction |\n"
                "| --- | --- | --- | --- | --- | --- | --- |\n");
    for (const std::size_t n : {16, 32, 64, 128, 256}) {
        const Matrix M = Matrix::random(n, n, 314);
        for (const HessianProducts h : both) {
            const Run r = run(M, h, n <= 64 ? 3 : 1);
            std::printf("| %zu | %s | %ld | %ld | %.2f ms | %.1e | %.1e |\n", n, name(h), r.result.report.iterations,
                        r.result.report.tape_passes, r.seconds * 1e3, r.value_error, r.reconstruction_error);
        }
    }
}
