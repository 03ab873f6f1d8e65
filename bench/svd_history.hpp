#pragma once
// How an SVD method's error falls, iteration by iteration: the data for a convergence plot (docs/svd.md).
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/svd/svd.hpp"

namespace tapegrad {

struct SvdErrorPoint {
    long iteration = 0;                    // after this many iterations (0 = the guess)
    double loss = 0.0;                     // report.losses at that iteration: each method's own loss
    double singular_value_error = 0.0;     // compare_svd's, against LAPACK: max_j |σ_j - σ_ref_j| / σ_ref_1
    double reconstruction_error = 0.0;     // ‖U·diag(σ)·Vᵀ - M‖_F / ‖M‖_F
    double orthogonality_error = 0.0;      // the larger of max |UᵀU - I| and max |VᵀV - I|
};

// Runs the method once per entry of `iterations` (ascending), stopped after that many iterations, and compares
// each answer with LAPACK's. Every method is deterministic for a given seed, so the run stopped at t is the
// longer run as it stood at iteration t. The tolerance is set to 0, so no run stops early.
std::vector<SvdErrorPoint> svd_error_history(const Matrix& M, SvdOptions options, const std::vector<long>& iterations);

// 0, 1, 2, ..., 10, then about `per_decade` values per factor of 10, up to and including last.
std::vector<long> log_spaced_iterations(long last, int per_decade = 10);

}  // namespace tapegrad
