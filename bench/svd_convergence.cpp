// The error of each SVD method on the tutorial's M1, iteration by iteration, as CSV on stdout: the data for
// docs/svd.md's convergence plot. Columns: method, iteration, loss (the method's own), and three errors
// against LAPACK (bench/svd_history.hpp).
//
//   build/bin/svd_convergence > svd_convergence_M1.csv
//   build/bin/svd_convergence --table     docs/svd.md's table: two errors per method at a few iterations
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "io/tutorial_matrices.hpp"
#include "linalg/svd/svd.hpp"
#include "bench/svd_history.hpp"

using namespace tapegrad;

namespace {

// Two significant digits: 0.59, 1.9e-2.
std::string brief_number(double x) {
    char text[32];
    std::snprintf(text, sizeof text, x >= 0.1 ? "%.2g" : "%.1e", x);
    return text;
}

// The markdown table of docs/svd.md: for each method, the singular values' error and the reconstruction error
// after 1, 10, 100, ... iterations and at the iteration its default run stops, marked "(converged)" or with its
// status.
void print_table(const Matrix& M1) {
    std::map<SvdMethod, long> last;
    std::map<SvdMethod, std::string> status;
    std::vector<long> rows = {0, 1, 10, 100, 1000, 10000};  // 0: the guess
    for (const SvdMethod method : all_svd_methods) {
        const SvdResult r = svd_by_descent(M1, default_svd_options(method));
        last[method] = r.report.iterations;
        status[method] = std::string(to_string(r.report.status));
        rows.push_back(r.report.iterations);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const long longest = std::max_element(last.begin(), last.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->second;
    std::erase_if(rows, [longest](long t) { return t > longest; });
    std::printf("| iteration |");
    for (const SvdMethod method : all_svd_methods) std::printf(" `%s`: σ error, reconstruction |", std::string(to_string(method)).c_str());
    std::printf("\n| --- |");
    for ([[maybe_unused]] const SvdMethod method : all_svd_methods) std::printf(" --- |");
    std::printf("\n");
    std::map<SvdMethod, std::map<long, SvdErrorPoint>> at;
    for (const SvdMethod method : all_svd_methods) {
        std::vector<long> mine;
        for (const long t : rows)
            if (t <= last[method]) mine.push_back(t);
        for (const SvdErrorPoint& p : svd_error_history(M1, default_svd_options(method), mine)) at[method][p.iteration] = p;
    }
    for (const long t : rows) {
        std::printf("| %ld |", t);
        for (const SvdMethod method : all_svd_methods) {
            const auto p = at[method].find(t);
            if (p == at[method].end()) {
                std::printf(" |");
                continue;
            }
            std::printf(" %s, %s%s |", brief_number(p->second.singular_value_error).c_str(),
                        brief_number(p->second.reconstruction_error).c_str(),
                        t == last[method] ? (" (" + status[method] + ")").c_str() : "");
        }
        std::printf("\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    // io/data/svd_M1_5x4.csv: torch.manual_seed(314); torch.rand(5, 4), in float32.
    const Matrix M1 = tutorial_matrix("svd_M1_5x4.csv");
    if (argc > 1 && std::string(argv[1]) == "--table") {
        print_table(M1);
        return 0;
    }
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
