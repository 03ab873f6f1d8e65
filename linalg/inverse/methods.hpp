#pragma once
// The methods behind inverse_by_descent (inverse.hpp), one file each. Each is a Method for iterate()
// (linalg/iterate.hpp): its constructor makes the guess, evaluate() records the loss and its gradient, judge()
// says when it is done, step() improves. inverse_by_descent checks the options and the matrix, scales M (all but
// the tutorial's method) and checks the answer; call it rather than these.
#include <memory>

#include "autodiff/tape.hpp"
#include "linalg/inverse/inverse.hpp"

namespace tapegrad {

class InverseSolver : public Method {
public:
    virtual Matrix answer() const = 0;  // X, the current approximation of M⁻¹
};

// What the gradient methods beyond the tutorial's share: X from a random guess, and evaluate(): the tutorial's
// loss on the tape, and backward() for X.grad.
class InverseByGradient : public InverseSolver {
public:
    double evaluate() override;
    long tape_passes() const override { return tape_passes_; }
    Matrix answer() const override { return X_.value; }

protected:
    InverseByGradient(const Matrix& M, InverseVariant variant, std::uint64_t seed);

    const Matrix& M_;
    const Matrix I_;
    const InverseVariant variant_;
    Parameter X_;
    Tape tape_;
    long tape_passes_ = 0;
};

std::unique_ptr<InverseSolver> tutorial_descent(const Matrix& M, const InverseDescentOptions& options);     // descent.cpp
std::unique_ptr<InverseSolver> scaled_descent(const Matrix& M, const ScaledDescentOptions& options);        // scaled_descent.cpp
std::unique_ptr<InverseSolver> line_search(const Matrix& M, const LineSearchOptions& options);             // line_search.cpp
std::unique_ptr<InverseSolver> conjugate_gradient(const Matrix& M, const ConjugateGradientOptions& options);  // conjugate_gradient.cpp
std::unique_ptr<InverseSolver> newton_schulz(const Matrix& M, const NewtonSchulzOptions& options);         // newton_schulz.cpp

}  // namespace tapegrad
