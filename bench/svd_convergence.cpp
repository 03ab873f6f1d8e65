// The error of each SVD method on the tutorial's M1, iteration by iteration, as CSV on stdout: the data for
// docs/svd.md's convergence plot. Columns: method, iteration, loss (the method's own), and three errors
// against LAPACK (bench/svd_history.hpp).
//
//   build/bin/svd_convergence > svd_convergence_M1.csv
#include <cstdio>
#include <string>

#include "io/tutorial_matrices.hpp"
#include "linalg/svd/svd.hpp"
#include "bench/svd_history.hpp"

using namespace tapegrad;

int main() {
    // io/data/svd_M1_5x4.csv: torch.manual_seed(314); torch.rand(5, 4), in float32.
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    std::printf("method,iteration,loss,singular_value_error,reconstruction_error,orthogonality_error\n");
    for (const SvdMethod method : all_svd_methods) {
        const SvdOptions options = default_svd_options(method);
        // Each method's iterations up to where its default run stops (the penalty: all 20,000).
        const long last = svd_by_descent(M1, options).report.iterations;
        const std::vector<long> iterations = method == SvdMethod::penalty ? log_spaced_iterations(last, 20) : log_spaced_iterations(last, 1000);
        for (const SvdErrorPoint& p : svd_error_history(M1, options, iterations))
            std::printf("%s,%ld,%.17g,%.17g,%.17g,%.17g\n", std::string(to_string(method)).c_str(), p.iteration, p.loss,
                        p.singular_value_error, p.reconstruction_error, p.orthogonality_error);
    }
}
