// The tutorial's inverse M1 through every inverse method: the loss and the residual ‖X·M − I‖_F at every
// iteration as CSV on stdout (for the plot in docs/inverse.md), and on stderr, for each method, the iterations
// and the wall time it takes to bring the residual below 1e-12.
//
//   inverse_convergence > inverse_convergence.csv
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <string>

#include "io/tutorial_matrices.hpp"
#include "linalg/inverse/inverse.hpp"
#include "bench/inverse_history.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"

using namespace tapegrad;

int main() {
    // The tutorial's M1: torch.manual_seed(314); torch.rand(4, 4) (io/data/inverse_M1_4x4.csv), condition
    // number 18.67.
    const Matrix M = tutorial_matrix("inverse_M1_4x4.csv");
    const std::vector<InverseMethod> methods(std::begin(all_inverse_methods), std::end(all_inverse_methods));
    write_inverse_convergence_csv(std::cout, M, methods);

    // To ‖X·M − I‖_F <= 1e-12; the best wall time of 200 runs.
    const Matrix reference = lapack_inverse(M);
    std::fprintf(stderr, "%-20s %10s %12s %14s %12s\n", "method", "iterations", "time (s)", "status", "max|XM-I|");
    for (const InverseMethod method : methods) {
        InverseOptions options = default_inverse_options(method);
        std::visit([](auto& o) { o.tolerance = 1e-12; }, options);
        double best = std::numeric_limits<double>::infinity();
        InverseResult r;
        for (int run = 0; run < 200; ++run) {
            r = inverse_by_descent(M, options);
            best = std::min(best, r.report.wall_seconds);
        }
        std::fprintf(stderr, "%-20s %10ld %12.3g %14s %12.2e\n", std::string(to_string(method)).c_str(), r.report.iterations,
                     best, std::string(to_string(r.report.status)).c_str(), compare_inverse(M, r.inverse, reference).residual);
    }
    double best = std::numeric_limits<double>::infinity();
    for (int run = 0; run < 200; ++run) {
        const auto start = std::chrono::steady_clock::now();
        for (int k = 0; k < 100; ++k) lapack_inverse(M);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 100.0);
    }
    std::fprintf(stderr, "%-20s %10s %12.3g %14s %12.2e\n", "LAPACK dgetrf+dgetri", "-", best, "-",
                 compare_inverse(M, reference, reference).residual);
}
