#include "autodiff/gradcheck.hpp"

#include <cmath>
#include <sstream>

#include "autodiff/random.hpp"

namespace tapegrad {

namespace {

// ⟨W, y⟩ = Σ w_ij y_ij: the scalar whose gradient the check compares.
double project(ConstMatrixRef w, ConstMatrixRef y) {
    double total = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) total += w.data[k] * y.data[k];
    return total;
}

}  // namespace

GradcheckResult gradcheck(const std::function<Var(Tape&)>& f, const std::vector<Parameter*>& params,
                          const GradcheckOptions& options) {
    std::vector<Matrix> saved_grads;
    for (Parameter* p : params) saved_grads.push_back(p->grad);

    // Analytic: one backward pass seeded with W (W = 1 for a scalar result).
    Tape tape;
    const Var y = f(tape);
    Matrix w(y.rows(), y.cols(), 1.0);
    if (y.value().size() > 1) {
        Random rng(options.seed);
        for (std::size_t k = 0; k < w.size(); ++k) w.data()[k] = rng.uniform(-1.0, 1.0);
    }
    for (Parameter* p : params) p->zero_grad();
    backward(y, w);
    std::vector<Matrix> analytic;
    for (Parameter* p : params) analytic.push_back(p->grad);

    // Numeric: nudge one entry at a time both ways and re-record.
    const auto evaluate = [&] {
        tape.clear();
        return project(w, f(tape).value());
    };
    GradcheckResult result;
    for (std::size_t pi = 0; pi < params.size(); ++pi) {
        Matrix& value = params[pi]->value;
        for (std::size_t i = 0; i < value.rows(); ++i)
            for (std::size_t j = 0; j < value.cols(); ++j) {
                const double original = value(i, j);
                value(i, j) = original + options.eps;
                const double up = evaluate();
                value(i, j) = original - options.eps;
                const double down = evaluate();
                value(i, j) = original;
                const double numeric = (up - down) / (2.0 * options.eps);
                const double exact = analytic[pi](i, j);
                const double ratio = std::abs(exact - numeric) / (options.atol + options.rtol * std::abs(numeric));
                if (!(ratio <= result.worst_ratio)) {  // NaN counts as the worst
                    result.worst_ratio = ratio;
                    result.parameter = pi, result.row = i, result.col = j;
                    result.analytic = exact, result.numeric = numeric;
                }
            }
    }
    result.passed = result.worst_ratio <= 1.0;
    if (!result.passed) {
        std::ostringstream out;
        out.precision(12);
        out << "gradcheck: parameter " << result.parameter << " entry (" << result.row << ", " << result.col
            << "): tape gives " << result.analytic << ", central difference gives " << result.numeric << " ("
            << result.worst_ratio << "x the tolerance)";
        result.message = out.str();
    }
    for (std::size_t pi = 0; pi < params.size(); ++pi) params[pi]->grad = saved_grads[pi];
    return result;
}

}  // namespace tapegrad
