// Part 1 of the tutorial: the inverse of a matrix by gradient descent, checked against LAPACK.
// By default it runs the tutorial's random 4x4 and diag(1,2,3,4) and plots their loss per iteration.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "demos/cli.hpp"
#include "demos/matrix_text.hpp"
#include "linalg/checks.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"

using namespace tapegrad;

namespace {

std::vector<std::string> method_names() {
    std::vector<std::string> names;
    for (const InverseMethod m : all_inverse_methods) names.emplace_back(to_string(m));
    return names;
}

// The options of the named method, with its defaults; the tutorial's for a name that is not a method (the
// --method flag's own check then refuses the name).
InverseOptions defaults_of(const std::string& name) {
    return default_inverse_options(inverse_method_named(name).value_or(InverseMethod::descent));
}

const std::vector<std::pair<std::string, InverseVariant>> variants = {
    {"right", InverseVariant::right}, {"left", InverseVariant::left}, {"both", InverseVariant::both}};
const std::string variant_help = "right: drive X·M to I; left: M·X; both: their average";

// Each method's flags, bound to its options' fields.
void add_flags(demo::MethodFlags& f, InverseDescentOptions& o) {
    f.add("--variant", o.variant, variants, variant_help);
    f.add("--optimizer", o.optimizer, "momentum (the tutorial's loop), sgd, nesterov or adam");
    f.add("--lr", o.lr, "Learning rate (default 0.9; 0.01 for adam)")->check(demo::positive_number());
    f.add("--momentum", o.momentum, "Momentum, in [0, 1) (default 0.9; adam takes none)")->check(demo::fraction_below_one());
    f.add("--iterations", o.max_iterations, "Steps to take");
    f.add("--tolerance", o.tolerance, "Stop once the loss proves ‖X·M − I‖_F within this (0: take every step)")
        ->check(demo::nonnegative_number());
    f.add("--guess-seed", o.seed, "Seed of the initial guess");
}

void add_stopping_flags(demo::MethodFlags& f, long& max_iterations, double& tolerance) {
    f.add("--iterations", max_iterations, "Most iterations");
    f.add("--tolerance", tolerance, "Stop once ‖X·M − I‖_F is within this (0: as close as rounding allows)")
        ->check(demo::nonnegative_number());
}

void add_flags(demo::MethodFlags& f, ScaledDescentOptions& o) {
    f.add("--variant", o.variant, variants, variant_help);
    f.add("--step-fraction", o.step_fraction, "The step, as a fraction of the largest safe step, in (0, 1]")
        ->check(demo::fraction_up_to_one());
    f.add("--momentum", o.momentum, "Momentum, in [0, 1)")->check(demo::fraction_below_one());
    add_stopping_flags(f, o.max_iterations, o.tolerance);
    f.add("--guess-seed", o.seed, "Seed of the initial guess");
}

void add_flags(demo::MethodFlags& f, LineSearchOptions& o) {
    f.add("--variant", o.variant, variants, variant_help);
    add_stopping_flags(f, o.max_iterations, o.tolerance);
    f.add("--guess-seed", o.seed, "Seed of the initial guess");
}

void add_flags(demo::MethodFlags& f, ConjugateGradientOptions& o) {
    // Both couples X's rows and columns, which loses the n-step guarantee: not offered.
    f.add("--variant", o.variant, {{"right", InverseVariant::right}, {"left", InverseVariant::left}},
          "right: solve X·M = I row by row; left: M·X = I column by column");
    add_stopping_flags(f, o.max_iterations, o.tolerance);
    f.add("--guess-seed", o.seed, "Seed of the initial guess");
}

void add_flags(demo::MethodFlags& f, NewtonSchulzOptions& o) {
    f.add("--variant", o.variant, variants, "The product whose residual is logged and checked: " + variant_help);
    add_stopping_flags(f, o.max_iterations, o.tolerance);
}

std::vector<std::string> flags_of(const std::string& method) {
    CLI::App scratch;
    demo::MethodFlags f(scratch);
    InverseOptions o = defaults_of(method);
    std::visit([&](auto& options) { add_flags(f, options); }, o);
    return f.flags();
}

// LAPACK's inverse and M's condition number, computed once per matrix: the answer to compare with, and the
// refusal of a matrix no method can invert (before spending iterations on it).
struct Reference {
    Matrix inverse;
    double condition = 0.0;
};

Reference reference_for(const NamedMatrix& c) {
    const std::string name = demo::label(c);
    if (c.M.rows() != c.M.cols()) throw std::invalid_argument(name + " is not square: only a square matrix has an inverse");
    check_nonempty(name.c_str(), c.M);
    Reference r;
    try {
        r.inverse = lapack_inverse(c.M);
    } catch (const SingularMatrixError&) {
        throw std::invalid_argument(name + " is singular (LAPACK's LU factorisation has a zero pivot): it has no inverse");
    }
    r.condition = condition_number(c.M);
    if (!(r.condition * std::numeric_limits<double>::epsilon() < 1.0))
        throw std::invalid_argument(name + " is numerically singular (condition number " + brief(r.condition) +
                                    " >= 1/ε): no double-precision inverse is meaningful");
    return r;
}

nlohmann::ordered_json to_json(const InverseResult& r, const InverseComparison& cmp, const Reference& ref,
                               const std::string& method, const demo::MethodFlags& flags) {
    nlohmann::ordered_json j;
    j["status"] = to_string(r.report.status);
    j["message"] = r.report.message;
    j["method"] = method;
    j["options"] = flags.to_json();
    j["iterations"] = r.report.iterations;
    j["tape_passes"] = r.report.tape_passes;
    j["final_loss"] = r.report.final_loss;
    j["wall_seconds"] = r.report.wall_seconds;
    j["inverse"] = demo::to_json(r.inverse);
    j["check"] = {{"residual", r.residual}, {"allowed", r.allowed}};
    j["residual"] = cmp.residual;
    j["max_error_vs_reference"] = cmp.max_error_vs_reference;
    j["relative_error_vs_reference"] = cmp.relative_error;
    j["condition_number"] = ref.condition;
    return j;
}

void print_walkthrough(const NamedMatrix& c, const std::string& method, InverseVariant variant, const InverseResult& r,
                       const Reference& ref, const InverseComparison& cmp, bool full) {
    const auto text = [full](ConstMatrixRef m) { return demo::matrix_text(m, full); };
    const std::string product(product_name(variant));
    std::cout << "== " << demo::label(c) << " ==\nM =\n" << text(c.M) << "\n\n";
    std::printf("%s: %s (%.3f ms)\n\n", method.c_str(), r.report.message.c_str(), r.report.wall_seconds * 1e3);
    std::cout << "X (" << method << ") =\n" << text(r.inverse) << "\n";
    std::cout << "LAPACK's inverse (dgetrf + dgetri) =\n" << text(ref.inverse) << "\n";
    // The tutorial's check: the product the method drove to I is the identity.
    if (variant != InverseVariant::left) std::cout << "X·M =\n" << text(matmul(r.inverse, c.M)) << "\n";
    if (variant != InverseVariant::right) std::cout << "M·X =\n" << text(matmul(c.M, r.inverse)) << "\n";
    std::printf("\nresidual max|%s − I| %.2e, max error against LAPACK %.2e (relative %.2e), condition number %.4g\n\n",
                product.c_str(), cmp.residual, cmp.max_error_vs_reference, cmp.relative_error, ref.condition);
}

int run_demo(const demo::Common& common, const std::string& method, InverseOptions& options, const demo::MethodFlags& flags) {
    if (auto* descent = std::get_if<InverseDescentOptions>(&options))
        demo::resolve_optimizer(descent->optimizer, descent->lr, descent->momentum, flags);
    std::optional<OutputDir> out = demo::output_directory(common);  // a bad --out is refused before computing
    const auto [max_iterations, variant] =
        std::visit([](const auto& o) { return std::pair(o.max_iterations, o.variant); }, options);
    const char* loss = variant == InverseVariant::right  ? "loss = mse(X·M, I)"
                       : variant == InverseVariant::left ? "loss = mse(M·X, I)"
                                                         : "loss = (mse(X·M, I) + mse(M·X, I)) / 2";
    demo::LossCurves curves("inverse_demo: " + method + ", the loss at each iteration", loss);
    demo::Verdict verdict("inverse_demo");
    if (common.rows || common.cols) {  // the size guard, before the random matrix is made
        const std::size_t n = demo::random_shape(common).rows;
        check_inverse_memory("", n, options, 3.0 * 8.0 * static_cast<double>(n) * static_cast<double>(n));  // M, LAPACK's
    }
    for (const NamedMatrix& c : demo::matrices_to_run(common, tutorial_inverse_matrices())) {
        const Reference ref = reference_for(c);
        const InverseResult r = inverse_by_descent(c.M, options, demo::progress_for(common, demo::label(c), max_iterations));
        const InverseComparison cmp = compare_inverse(c.M, r.inverse, ref.inverse, variant);
        verdict.add(demo::label(c), r.report);
        if (common.json) {
            std::cout << to_json(r, cmp, ref, method, flags).dump(2) << "\n";
            return verdict.exit_status();
        }
        if (common.quiet)
            std::printf("%s: %s after %ld iterations, loss %.2e, residual %.2e\n", demo::label(c).c_str(),
                        std::string(to_string(r.report.status)).c_str(), r.report.iterations, r.report.final_loss,
                        cmp.residual);
        else
            print_walkthrough(c, method, variant, r, ref, cmp, common.full);
        curves.add(c.name, demo::label(c), r.report.losses);
    }
    curves.write(*out, "inverse");
    out->commit();
    std::cout << verdict.line(method) << "\n";
    return verdict.exit_status();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string method =
        demo::chosen_method(demo::scout(argc, argv), "descent", std::string(to_string(most_robust_inverse_method())));
    InverseOptions options = defaults_of(method);

    CLI::App app{"The inverse of a matrix by gradient descent (part 1 of the tutorial), checked against LAPACK.\n"
                 "Without --matrix or --rows it runs the tutorial's random 4x4 and diag(1,2,3,4) with its method "
                 "(descent); with them, the most robust method (conjugate_gradient).",
                 "inverse_demo"};
    demo::Common common;
    demo::add_matrix_flags(app, common, method_names(),
                           "descent (the tutorial's), scaled_descent, line_search, conjugate_gradient (the most robust) "
                           "or newton_schulz (matrix products, for comparison). See docs/inverse.md");
    demo::MethodFlags flags(app);
    std::visit([&](auto& o) { add_flags(flags, o); }, options);
    demo::add_output_flags(app, common, "Print one JSON object on stdout, for one matrix (the given one, or M1); writes no files");
    app.footer(demo::methods_help(method_names(), flags_of) + "\n" + demo::exit_status_help());
    return demo::run(app, argc, argv, [&] { return run_demo(common, method, options, flags); }, method, flags.flags());
}
