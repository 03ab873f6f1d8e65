#pragma once
// The sum of squares behind mse. Everything that must agree with the tape's mse to the bit (Newton–Schulz's loss)
// calls this one function, so the order of the adds lives in one place.
#include "autodiff/matrix.hpp"
#include "autodiff/simd.hpp"

namespace tapegrad {

// Σ (a_ij − b_ij)², writing each difference into `difference` (all three of one shape). Four running sums, one
// per lane of a vector, over the entries k ≡ 0, 1, 2, 3 (mod 4), added as (s₀ + s₁) + (s₂ + s₃) at the end: four
// chains of adds side by side, where one sum waits on each add in turn. Each difference is squared from the
// register it was computed in: read back just after it was stored, it would wait for the store (issue 12). The sums
// stay in their register to the end, as a lane written on its own would send the vector through memory.
inline double squared_distance(const ConstMatrixRef& a, const ConstMatrixRef& b, const MatrixRef& difference) {
    if (a.shape() != b.shape()) throw shape_error("squared_distance", "shapes differ,", a.shape(), "vs", b.shape());
    if (difference.shape() != a.shape())
        throw shape_error("squared_distance", "cannot store the difference of two", a.shape(), "matrices in",
                          difference.shape());
    // The pointers and the size in locals: a vector's store may write anything as far as the compiler knows, so the
    // views' fields would be read again after each difference stored.
    const double* const x = a.data;
    const double* const y = b.data;
    double* const out = difference.data;
    const std::size_t size = a.size();
    Four sum = 0.0;
    std::size_t k = 0;
    for (; k + 4 <= size; k += 4) {
        const Four d = Four(x + k, unaligned) - Four(y + k, unaligned);
        d.copy_to(out + k, unaligned);
        sum += d * d;
    }
    if (k < size) {  // the last size mod 4 entries, the lanes past them 0, which adds +0 to their sums
        const std::size_t left = size - k;
        const Four d([&](auto lane) { return lane < left ? x[k + lane] - y[k + lane] : 0.0; });
        for (std::size_t lane = 0; lane < left; ++lane) out[k + lane] = d[lane];
        sum += d * d;
    }
    return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

}  // namespace tapegrad
