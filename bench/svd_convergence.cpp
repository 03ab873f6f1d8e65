// The error of each SVD method on the tutorial's M1, iteration by iteration, as CSV on stdout: the data for
// docs/svd.md's convergence plot. Columns: method, iteration, loss (the method's own), and three errors
// against LAPACK (linalg/svd_history.hpp).
//
//   build/bin/svd_convergence > svd_convergence_M1.csv
#include <cstdio>
#include <string>

#include "linalg/svd.hpp"
#include "linalg/svd_history.hpp"

using namespace tapegrad;

int main() {
    // demos/data/svd_M1_5x4.csv: torch.manual_seed(314); torch.rand(5, 4), in float32.
    const Matrix M1{{0.7196354866027832, 0.6294925808906555, 0.6667295098304749, 0.3384963870048523},
                    {0.8522237539291382, 0.31256353855133057, 0.5005768537521362, 0.4642782211303711},
                    {0.008270680904388428, 0.44691288471221924, 0.8028827905654907, 0.551185131072998},
                    {0.3555806875228882, 0.37097591161727905, 0.682988166809082, 0.3074285387992859},
                    {0.41142916679382324, 0.6122983694076538, 0.7536777853965759, 0.42343664169311523}};
    std::printf("method,iteration,loss,singular_value_error,reconstruction_error,orthogonality_error\n");
    for (const SvdMethod method : {SvdMethod::penalty, SvdMethod::stiefel_descent, SvdMethod::stiefel_cg, SvdMethod::trust_region}) {
        const SvdOptions options = default_svd_options(method);
        // Each method's iterations up to where its default run stops (the penalty: all 20,000).
        const long last = svd_by_descent(M1, options).report.iterations;
        const std::vector<long> iterations = method == SvdMethod::penalty ? log_spaced_iterations(last, 20) : log_spaced_iterations(last, 1000);
        for (const SvdErrorPoint& p : svd_error_history(M1, options, iterations))
            std::printf("%s,%ld,%.17g,%.17g,%.17g,%.17g\n", std::string(to_string(method)).c_str(), p.iteration, p.loss,
                        p.singular_value_error, p.reconstruction_error, p.orthogonality_error);
    }
}
