#pragma once
// One step of each of the tutorial's descents, two ways: through the tape (record, backward) and with the
// hand-derived gradient (bench/handwritten.hpp), each followed by the same optimiser update. Shared by the step
// benchmarks (bench_steps.cpp), which time them, and step_costs.cpp, which scripts/step-costs.sh runs under
// callgrind to count their instructions.
#include <algorithm>
#include <cstddef>

#include "autodiff/autodiff.hpp"
#include "bench/handwritten.hpp"
#include "linalg/losses.hpp"

namespace tapegrad::bench {

// The tutorial's momentum, as torch.optim.SGD (bitwise the tutorial's p -= lr·grad; grad *= momentum, see
// tests/test_optim.cpp). One lr serves every size: with 1e-3 both losses fall steadily and stay finite from
// 4x4 to 512x512 (checked over 20000 steps up to 64x64, 1500 at 256x256 and 400 at 512x512, more than the
// benchmark runs), so no step needs resetting outside the timed loop.
inline constexpr SgdOptions step_options{.lr = 1e-3, .momentum = 0.9};

// The tutorial's SVD problem at m×n: the matrix, the penalty's identity, random factors, their optimiser, and
// what each way of stepping needs (a tape; a workspace). Not copyable: the optimiser holds pointers to the
// parameters.
struct SvdProblem {
    SvdProblem(std::size_t m, std::size_t n)
        : M(Matrix::random(m, n, 314)),
          I(Matrix::identity(std::min(m, n))),
          U(Matrix::random(m, std::min(m, n), 1)),
          d(Matrix::random(1, std::min(m, n), 2)),
          V(Matrix::random(n, std::min(m, n), 3)),
          sgd({&U, &d, &V}, step_options),
          workspace(m, n) {}
    SvdProblem(const SvdProblem&) = delete;
    SvdProblem& operator=(const SvdProblem&) = delete;

    void step_autodiff() {
        tape.clear();
        sgd.zero_grad();
        // The factors read in place (param_view), as the library's descent records them (linalg/svd/penalty.cpp).
        backward(svd_penalty_loss(tape.param_view(U), tape.param_view(d), tape.param_view(V), M, I));
        sgd.step();
    }
    void step_handwritten() {
        // Writes the gradients, so no zero_grad.
        svd_penalty_loss_and_gradient(U.value, d.value, V.value, M, workspace, U.grad, d.grad, V.grad);
        sgd.step();
    }

    const Matrix M, I;
    Parameter U, d, V;
    Sgd sgd;
    Tape tape;
    SvdWorkspace workspace;
};

// The inverse problem at n×n: find X with X·M = I.
struct InverseProblem {
    explicit InverseProblem(std::size_t n)
        : M(Matrix::random(n, n, 314)), I(Matrix::identity(n)), X(Matrix::random(n, n, 1)), sgd({&X}, step_options),
          workspace(n) {}
    InverseProblem(const InverseProblem&) = delete;
    InverseProblem& operator=(const InverseProblem&) = delete;

    void step_autodiff() {
        tape.clear();
        sgd.zero_grad();
        // X and M are read in place (param_view, constant_view), as the library's descent records them
        // (linalg/inverse/descent.cpp).
        backward(inverse_loss(tape.param_view(X), tape.constant_view(M), I, InverseVariant::right));
        sgd.step();
    }
    void step_handwritten() {
        inverse_loss_and_gradient(X.value, M, InverseVariant::right, workspace, X.grad);
        sgd.step();
    }

    const Matrix M, I;
    Parameter X;
    Sgd sgd;
    Tape tape;
    InverseWorkspace workspace;
};

}  // namespace tapegrad::bench
