#include "bench/inverse_history.hpp"

#include <cmath>
#include <ostream>

namespace tapegrad {

void write_inverse_convergence_csv(std::ostream& out, const Matrix& M, const std::vector<InverseMethod>& methods) {
    const double n = static_cast<double>(M.rows());
    out << "method,iteration,loss,residual\n";
    const auto old_precision = out.precision(17);
    for (const InverseMethod method : methods) {
        const InverseResult r = inverse_by_descent(M, default_inverse_options(method));
        for (std::size_t k = 0; k < r.report.losses.size(); ++k) {
            const double loss = r.report.losses[k];
            out << to_string(method) << ',' << k << ',' << loss << ',' << n * std::sqrt(loss) << '\n';
        }
    }
    out.precision(old_precision);
}

}  // namespace tapegrad
