#pragma once
// How fast each inverse method converges on one matrix, as CSV for plotting:
//
//   method,iteration,loss,residual
//   descent,0,0.4375,2.64
//   ...
//
// loss is mse(X·M, I) after that many steps (0: the guess) and residual is ‖X·M − I‖_F = n·√loss, the error the
// methods watch (linalg/inverse/residual_judge.hpp). Each method runs with its default options (variant right).
#include <iosfwd>
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/inverse/inverse.hpp"

namespace tapegrad {

void write_inverse_convergence_csv(std::ostream& out, const Matrix& M, const std::vector<InverseMethod>& methods);

}  // namespace tapegrad
