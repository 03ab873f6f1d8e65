#pragma once
// Gradient check: the tape's gradient against central differences, element by element, with
// torch.autograd.gradcheck's defaults. A non-scalar result is checked through a fixed random projection
// ⟨W, f⟩, which exercises every output entry's adjoint at once.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/tape.hpp"

namespace tapegrad {

struct GradcheckOptions {
    double eps = 1e-6;   // step of the central difference
    double atol = 1e-5;  // pass when |analytic - numeric| <= atol + rtol·|numeric|
    double rtol = 1e-3;
    std::uint64_t seed = 7;  // of the projection W for non-scalar results
};

struct GradcheckResult {
    bool passed = true;
    // The element furthest outside its tolerance (or closest to it, when all pass).
    std::size_t parameter = 0, row = 0, col = 0;
    double analytic = 0.0, numeric = 0.0;
    double worst_ratio = 0.0;  // |analytic - numeric| / (atol + rtol·|numeric|); passing means <= 1
    std::string message;       // names the worst element; empty when passed
};

// f records an expression of the parameters on the tape it is given and returns the result. The parameters'
// values and .grad are the same afterwards as before.
GradcheckResult gradcheck(const std::function<Var(Tape&)>& f, const std::vector<Parameter*>& params,
                          const GradcheckOptions& options = {});

// The second-order check (PyTorch's gradgradcheck), along a seeded random direction v: jvp against the central
// difference of the (projected) value, (f(x + εv) - f(x - εv))/2ε, then hvp's H·v, entry by entry, against the
// central difference of the tape's gradients, (∇f(x + εv) - ∇f(x - εv))/2ε. The same tolerances and the same
// projection as gradcheck; the message names the worst entry, or the jvp when that is what failed. Parameters'
// values, .grad, .tangent and .grad_tangent are the same afterwards as before.
GradcheckResult gradgradcheck(const std::function<Var(Tape&)>& f, const std::vector<Parameter*>& params,
                              const GradcheckOptions& options = {});

}  // namespace tapegrad
