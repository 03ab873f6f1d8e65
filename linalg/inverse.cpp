#include "linalg/inverse.hpp"

#include <stdexcept>

#include "autodiff/tape.hpp"

namespace tapegrad {

std::string_view to_string(InverseVariant variant) {
    switch (variant) {
        case InverseVariant::right: return "right";
        case InverseVariant::left: return "left";
        case InverseVariant::both: return "both";
    }
    return "?";
}

InverseVariant parse_inverse_variant(std::string_view name) {
    for (const InverseVariant v : {InverseVariant::right, InverseVariant::left, InverseVariant::both})
        if (name == to_string(v)) return v;
    throw std::invalid_argument("unknown inverse variant \"" + std::string(name) +
                                "\" (choose right for X·M, left for M·X, or both)");
}

InverseResult inverse_by_descent(const Matrix& M, const InverseOptions& options) {
    if (M.rows() != M.cols())
        throw std::invalid_argument("inverse_by_descent: needs a square matrix, got " + to_string(M.shape()));
    require_finite_nonempty("inverse_by_descent", M);
    const std::size_t n = M.rows();
    const Matrix I = Matrix::identity(n);

    Parameter X(Matrix::random(n, n, options.descent.seed));  // guess
    Descent descent(options.descent, {&X});
    Tape tape;
    while (descent.running()) {  // improve
        tape.clear();
        const Var loss = inverse_loss(tape.param(X), tape.constant(M), I, options.variant);
        descent.zero_grad();
        backward(loss);
        descent.step(loss.item());
    }
    return {std::move(X.value), descent.finish()};
}

}  // namespace tapegrad
