#pragma once
// The inverse of a square matrix M by iteration: guess X, then improve it until X·M = I.
//
// Method `descent` is the tutorial's (part 1): momentum descent on mse(X·M, I) (or mse(M·X, I), or their
// average), lr 0.9, 10,000 steps. Its step does not scale with ‖M‖, so it diverges for large norms, and it needs
// a number of steps that grows with the square of the condition number κ. The other methods fix that, one idea at
// a time; docs/inverse.md derives them and compares them on linalg/test_matrices.hpp's inverse_suite.
#include <string_view>

#include "autodiff/matrix.hpp"
#include "linalg/descent.hpp"
#include "linalg/losses.hpp"

namespace tapegrad {

enum class InverseMethod {
    descent,             // the tutorial's: momentum 0.9, lr 0.9, 10,000 steps, from a random guess
    scaled_descent,      // the same loop with the step scaled to M: lr·n²/(2‖M‖₁‖M‖∞); never diverges, ~κ² steps
    line_search,         // steepest descent with the exact (closed-form) step: no lr at all; still ~κ² steps
    conjugate_gradient,  // conjugate directions with exact steps: done in n steps. The most robust.
    newton_schulz,       // X ← X(2I − M·X) from Mᵀ/(‖M‖₁‖M‖∞): matrix products, not gradients; for comparison
};

std::string_view to_string(InverseMethod method);
InverseMethod parse_inverse_method(std::string_view name);  // throws std::invalid_argument listing the choices

// The method to use for a matrix nobody has looked at (the demos' --matrix default): conjugate_gradient. It
// inverts every matrix of inverse_suite(full) to LAPACK's accuracy, at any norm and size, and calls a singular one
// singular.
InverseMethod most_robust_inverse_method();

struct InverseOptions {
    InverseMethod method = InverseMethod::descent;
    InverseVariant variant = InverseVariant::right;  // conjugate_gradient takes right or left
    // For descent, all of it (the tutorial's: lr 0.9, momentum 0.9, 10,000 steps). The other methods read
    // max_iterations, tolerance, seed (of the random guess; newton_schulz's guess is not random) and progress;
    // scaled_descent also lr (a fraction in (0, 1] of its scaled step, 1 if unset) and momentum. For them tolerance 0 means "as accurate as rounding allows":
    // they stop by themselves when the loss stops falling (see InverseWatch).
    DescentOptions descent{.max_iterations = 10000};
};

// The options a method is measured with: InverseOptions{} for descent; for the others their own iteration limit.
InverseOptions default_inverse_options(InverseMethod method);

struct InverseResult {
    Matrix inverse;
    // Status singular means M has no inverse in double precision; the message says whether it is singular (the
    // loss stopped at a positive floor) or numerically singular (condition number ≳ 1/ε).
    DescentReport report;
};

std::string_view to_string(InverseVariant variant);
InverseVariant parse_inverse_variant(std::string_view name);  // "right" (X·M), "left" (M·X), "both"

// Runs options.method. Every method but the tutorial's first scales M by a power of two to ‖M‖₁‖M‖∞ ≈ 1 (exact
// in binary) and scales the answer back, so the norm of M makes no difference. Throws std::invalid_argument for a
// non-square, empty or non-finite M, and for options the method cannot use.
InverseResult inverse_by_descent(const Matrix& M, const InverseOptions& options = {});

}  // namespace tapegrad
