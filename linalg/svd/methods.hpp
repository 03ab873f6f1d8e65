#pragma once
// The methods behind svd_by_descent (svd.hpp). Each is a Method for iterate() (linalg/iterate.hpp): its
// constructor makes the guess, evaluate() gives the loss at the current point, judge() says when it is done,
// step() improves. svd_by_descent checks the options and the matrix and checks the answer; call it rather than
// these.
#include <memory>
#include <vector>

#include "autodiff/matrix.hpp"
#include "linalg/svd/svd.hpp"

namespace tapegrad {

struct SvdFactors {
    Matrix U;                             // m×k
    std::vector<double> singular_values;  // k values, descending, for M as given
    Matrix V;                             // n×k
};

class SvdSolver : public Method {
public:
    virtual SvdFactors answer() const = 0;  // sorted, signs fixed (sort_and_fix_signs)
};

std::unique_ptr<SvdSolver> penalty(const Matrix& M, const PenaltyOptions& options);                  // penalty.cpp
std::unique_ptr<SvdSolver> stiefel_descent(const Matrix& M, const StiefelDescentOptions& options);   // riemannian.cpp
std::unique_ptr<SvdSolver> stiefel_cg(const Matrix& M, const StiefelCgOptions& options);             // riemannian.cpp
std::unique_ptr<SvdSolver> trust_region(const Matrix& M, const TrustRegionOptions& options);         // trust_region.cpp

}  // namespace tapegrad
