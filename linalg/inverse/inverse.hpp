#pragma once
// The inverse of a square matrix M by iteration: guess X, then improve it until X·M = I.
//
// Method `descent` is the tutorial's (part 1): momentum descent on mse(X·M, I) (or mse(M·X, I), or their
// average), lr 0.9, 10,000 steps. Its step does not scale with ‖M‖, so it diverges for large norms, and it needs a
// number of steps that grows with the square of the condition number κ. The other methods fix that, one idea at
// a time; docs/inverse.md derives them and compares them.
//
// Each method has an options type of its own, holding what that method uses and nothing else; the type chosen
// is the method run:
//
//   inverse_by_descent(M)                                            the tutorial's method, as the tutorial runs it
//   inverse_by_descent(M, ConjugateGradientOptions{})                 the most robust one
//   inverse_by_descent(M, InverseDescentOptions{.optimizer = OptimizerKind::adam})
//
// The result's status is a promise (linalg/iterate.hpp): `converged` only when ‖X·M − I‖_F (the product the
// variant drives to I) is within the tolerance asked for, or, with tolerance 0, within what double precision
// allows for this M: 4·√n·ε·‖M‖_F·‖X‖_F, about κ·ε, which LAPACK's own inverse meets with room to spare.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "autodiff/matrix.hpp"
#include "autodiff/optim.hpp"
#include "linalg/iterate.hpp"
#include "linalg/losses.hpp"

namespace tapegrad {

enum class InverseMethod {
    descent,             // the tutorial's: momentum 0.9, lr 0.9, 10,000 steps, from a random guess
    scaled_descent,      // the same loop with the step scaled to M: never diverges, but ~κ² steps
    line_search,         // steepest descent with the exact (closed-form) step: no lr at all; still ~κ² steps
    conjugate_gradient,  // conjugate directions with exact steps: done in n steps. The most robust.
    newton_schulz,       // X ← (2I − X·M)·X from Mᵀ/(‖M‖₁‖M‖∞): matrix products, not gradients; for comparison
};

constexpr InverseMethod all_inverse_methods[] = {InverseMethod::descent, InverseMethod::scaled_descent,
                                                 InverseMethod::line_search, InverseMethod::conjugate_gradient,
                                                 InverseMethod::newton_schulz};
std::string_view to_string(InverseMethod method);
std::optional<InverseMethod> inverse_method_named(std::string_view name);  // to_string's inverse
std::string_view to_string(InverseVariant variant);
std::string_view product_name(InverseVariant variant);  // "X·M", "M·X", or "X·M and M·X"

// The method to use for a matrix nobody has looked at (the demos' --matrix default): conjugate_gradient.
InverseMethod most_robust_inverse_method();

// The tutorial's method (`descent`): mse(X·M, I) by a torch-style optimiser, from a uniform random guess.
struct InverseDescentOptions {
    InverseVariant variant = InverseVariant::right;
    OptimizerKind optimizer = OptimizerKind::momentum;  // the tutorial's hand-written loop
    std::optional<double> lr{};                          // unset: 0.9 (the tutorial's), 0.01 for adam
    std::optional<double> momentum{};                    // unset: 0.9 (the tutorial's); adam takes none
    long max_iterations = 10000;
    double tolerance = 0.0;     // stop once the loss proves ‖X·M − I‖_F <= tolerance; 0 takes every step
    std::uint64_t seed = 314;   // of the guess
};

// `scaled_descent`: the same loop with the momentum optimiser and a step of step_fraction/L, where L bounds the
// loss's curvature, so no norm of M makes it diverge.
struct ScaledDescentOptions {
    InverseVariant variant = InverseVariant::right;
    double step_fraction = 1.0;  // of the largest safe step 1/L, in (0, 1]
    double momentum = 0.9;
    long max_iterations = 20000;
    double tolerance = 0.0;      // on ‖X·M − I‖_F; 0: as accurate as rounding allows
    std::uint64_t seed = 314;
};

// `line_search`: steepest descent with the exact step along −G.
struct LineSearchOptions {
    InverseVariant variant = InverseVariant::right;
    long max_iterations = 20000;
    double tolerance = 0.0;
    std::uint64_t seed = 314;
};

// `conjugate_gradient`: variant right (rows of X) or left (columns); both couples them and is refused.
struct ConjugateGradientOptions {
    InverseVariant variant = InverseVariant::right;
    long max_iterations = 10000;  // it stops by itself after about n steps
    double tolerance = 0.0;
    std::uint64_t seed = 314;
};

// `newton_schulz`: no guess to seed (it starts from Mᵀ/(‖M‖₁‖M‖∞)) and no gradient; the variant picks the
// product its loss and its check measure.
struct NewtonSchulzOptions {
    InverseVariant variant = InverseVariant::right;
    long max_iterations = 500;  // it stops by itself after about log₂(nκ²) steps
    double tolerance = 0.0;
};

using InverseOptions =
    std::variant<InverseDescentOptions, ScaledDescentOptions, LineSearchOptions, ConjugateGradientOptions, NewtonSchulzOptions>;

InverseMethod method_of(const InverseOptions& options);
InverseOptions default_inverse_options(InverseMethod method);

struct InverseResult {
    Matrix inverse;
    Report report;
    double residual = 0.0;  // ‖X·M − I‖_F of the product(s) the variant measures (the larger of two for both)
    double allowed = 0.0;   // the residual a converged answer may have: max(tolerance, double precision's floor)
};

// Throws std::invalid_argument for a non-square, empty or non-finite M, and for options the method cannot use.
// Every method but the tutorial's first divides M by a power of two near its norm (exact in binary) and the answer
// back, so entries near 1e-300 or 1e300 make no difference. A failed check is diagnosed with LAPACK: `singular`
// only where LAPACK also finds M singular or κ >= 1/ε, `ill_conditioned` where κ >= 1/√ε explains the failure.
InverseResult inverse_by_descent(const Matrix& M, const InverseOptions& options = InverseDescentOptions{},
                                 const Progress& progress = {});

// The size guard (linalg/memory.hpp). inverse_memory_need: the bytes inverse_by_descent allocates for an n×n M with
// these options (M itself not counted): a dozen n×n matrices (the tape's, the iterate, its gradient), and for
// conjugate_gradient the directions it keeps, two n×n matrices each, up to 128 of them. check_inverse_memory throws
// OutOfMemory, naming the size, when need + extra is more than the memory available; inverse_by_descent calls it.
double inverse_memory_need(std::size_t n, const InverseOptions& options);
void check_inverse_memory(const std::string& who, std::size_t n, const InverseOptions& options, double extra = 0.0);

}  // namespace tapegrad
