#include "bench/svd_history.hpp"

#include <algorithm>
#include <cmath>

#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"

namespace tapegrad {

std::vector<SvdErrorPoint> svd_error_history(const Matrix& M, SvdOptions options, const std::vector<long>& iterations) {
    const ReferenceSvd reference = lapack_svd(M);
    std::vector<SvdErrorPoint> out;
    for (const long t : iterations) {
        std::visit(
            [t](auto& o) {
                o.tolerance = 0.0;  // no early stop: the run stopped at t is the longer run as it stood at t
                o.max_iterations = t;
            },
            options);
        const SvdResult r = svd_by_descent(M, options);
        const SvdComparison c = compare_svd(M, r.U, r.singular_values, r.V, reference);
        out.push_back({r.report.iterations, r.report.final_loss, c.max_singular_value_error, c.reconstruction_error,
                       std::max(c.orthogonality_error_U, c.orthogonality_error_V)});
    }
    return out;
}

std::vector<long> log_spaced_iterations(long last, int per_decade) {
    std::vector<long> out;
    for (long t = 0; t <= std::min(last, 10L); ++t) out.push_back(t);
    for (int i = per_decade + 1; out.back() < last; ++i)
        out.push_back(std::min(last, std::max(out.back() + 1, std::lround(std::pow(10.0, static_cast<double>(i) / per_decade)))));
    return out;
}

}  // namespace tapegrad
