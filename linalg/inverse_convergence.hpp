#pragma once
// How fast each inverse method converges on one matrix, as CSV for plotting:
//
//   method,iteration,loss,residual
//   descent,1,0.4375,2.64
//   ...
//
// loss is mse(X·M, I) at that iteration (before its step) and residual is ‖X·M − I‖_F = n·√loss, the error the
// methods watch (see inverse_watch.hpp). Each method runs with default_inverse_options(method) and variant right.
#include <iosfwd>
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/inverse.hpp"

namespace tapegrad {

void write_inverse_convergence_csv(std::ostream& out, const Matrix& M, const std::vector<InverseMethod>& methods);

}  // namespace tapegrad
