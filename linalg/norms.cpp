#include "linalg/norms.hpp"

#include <cmath>
#include <vector>

namespace tapegrad {

double norm_1(ConstMatrixRef m) {
    std::vector<double> column_sums;
    return norm_1(m, column_sums);
}

double norm_1(ConstMatrixRef m, std::vector<double>& column_sums) {
    column_sums.assign(m.cols, 0.0);
    for (std::size_t i = 0; i < m.rows; ++i)
        for (std::size_t j = 0; j < m.cols; ++j) column_sums[j] += std::abs(m(i, j));
    double largest = 0.0;
    for (const double s : column_sums)
        if (!(s <= largest)) largest = s;  // NaN wins
    return largest;
}

double norm_inf(ConstMatrixRef m) {
    double largest = 0.0;
    for (std::size_t i = 0; i < m.rows; ++i) {
        double s = 0.0;
        for (std::size_t j = 0; j < m.cols; ++j) s += std::abs(m(i, j));
        if (!(s <= largest)) largest = s;
    }
    return largest;
}

void scale_by_power_of_two(MatrixRef m, int e) {
    double* const x = m.data;
    if (e >= -1074 && e <= 1023) {  // 2^e is a double (subnormal below -1022, still exact)
        const double factor = std::ldexp(1.0, e);
        for (std::size_t i = 0; i < m.size(); ++i) x[i] *= factor;
    } else {  // only from a subnormal largest entry brought up to 1: 2^e overflows, ldexp does not
        for (std::size_t i = 0; i < m.size(); ++i) x[i] = std::ldexp(x[i], e);
    }
}

}  // namespace tapegrad
