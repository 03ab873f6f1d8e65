// Part 2 of the tutorial: the singular value decomposition by gradient descent, checked against LAPACK.
// By default it runs the tutorial's five matrices and plots their loss curves on one log-scale chart.
#include <cstdio>
#include <iostream>

#include "autodiff/graphviz.hpp"
#include "demos/cli.hpp"
#include "demos/matrix_text.hpp"
#include "io/plot.hpp"
#include "linalg/losses.hpp"
#include "linalg/metrics.hpp"
#include "linalg/reference.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;

namespace {

std::vector<std::string> method_names() {
    std::vector<std::string> names;
    for (const SvdMethod m : all_svd_methods) names.emplace_back(to_string(m));
    return names;
}

// The options of the named method, with its defaults; the penalty's for a name that is not a method (the
// --method flag's own check then refuses the name).
SvdOptions defaults_of(const std::string& name) {
    return default_svd_options(svd_method_named(name).value_or(SvdMethod::penalty));
}

// Each method's flags, bound to its options' fields.
void add_flags(demo::MethodFlags& f, PenaltyOptions& o) {
    f.add("--optimizer", o.optimizer, "momentum (the tutorial's loop), sgd, nesterov or adam");
    f.add("--lr", o.lr, "Learning rate (default 0.9; 0.01 for adam)")->check(demo::positive_number());
    f.add("--momentum", o.momentum, "Momentum, in [0, 1) (default 0.9; adam takes none)")->check(demo::fraction_below_one());
    f.add("--iterations", o.max_iterations, "Steps to take");
    f.add("--tolerance", o.tolerance, "Stop once the loss proves the answer within this (0: take every step)")
        ->check(demo::nonnegative_number());
    f.add("--guess-seed", o.seed, "Seed of the initial guess");
}

template <class RiemannianOptions>
void add_flags(demo::MethodFlags& f, RiemannianOptions& o) {
    f.add("--iterations", o.max_iterations, "Most iterations");
    f.add("--tolerance", o.tolerance, "Relative reconstruction and orthogonality error to reach")->check(demo::nonnegative_number());
    f.add("--guess-seed", o.seed, "Seed of the initial guess");
    f.add("--rank", o.rank, "The k largest singular triplets only (a truncated SVD), k <= min(rows, cols); 0: all");
}

// LAPACK's k leading triplets, to compare a truncated answer with (all of them when k is min(m, n)).
ReferenceSvd leading(ReferenceSvd full, std::size_t k) {
    if (k == full.singular_values.size()) return full;
    const auto columns = [k](const Matrix& X) {
        Matrix out(X.rows(), k);
        for (std::size_t i = 0; i < X.rows(); ++i)
            for (std::size_t j = 0; j < k; ++j) out(i, j) = X(i, j);
        return out;
    };
    full.singular_values.resize(k);
    return {columns(full.U), std::move(full.singular_values), columns(full.V)};
}

// A truncated run's walkthrough: its triplets' check, and its values against LAPACK's largest (the values only,
// dgesdd without vectors, and only up to 2000 columns: beyond, LAPACK's full SVD is what --rank is there to avoid).
void print_truncated(const NamedMatrix& c, const std::string& method, const SvdResult& r) {
    std::printf("== %s ==\n%s: %s (%.3f ms)\n\n", demo::label(c).c_str(), method.c_str(), r.report.message.c_str(),
                r.report.wall_seconds * 1e3);
    const bool compare = std::min(c.M.rows(), c.M.cols()) <= 2000;  // as the size guard in run_demo assumes
    const std::vector<double> ref = compare ? lapack_singular_values(c.M) : std::vector<double>{};
    std::printf("%-6s %18s %18s %12s\n", "", method.c_str(), compare ? "LAPACK (dgesdd)" : "", compare ? "difference" : "");
    for (std::size_t j = 0; j < r.singular_values.size(); ++j)
        if (compare)
            std::printf("σ%-4zu  %18.12g %18.12g %12.2e\n", j + 1, r.singular_values[j], ref[j], r.singular_values[j] - ref[j]);
        else
            std::printf("σ%-4zu  %18.12g\n", j + 1, r.singular_values[j]);
    std::printf("largest triplet residual (relative to σ1) %.2e, orthogonality error %.2e\n\n", r.triplet_residual,
                r.orthogonality_error);
}

std::vector<std::string> flags_of(const std::string& method) {
    CLI::App scratch;
    demo::MethodFlags f(scratch);
    SvdOptions o = defaults_of(method);
    std::visit([&](auto& options) { add_flags(f, options); }, o);
    return f.flags();
}

void print_walkthrough(const NamedMatrix& c, const std::string& method, const SvdResult& r, const ReferenceSvd& ref,
                       const SvdComparison& cmp, bool full) {
    const auto text = [full](ConstMatrixRef m) { return demo::matrix_text(m, full); };
    std::cout << "== " << demo::label(c) << " ==\nM =\n" << text(c.M) << "\n\n";
    std::printf("%s: %s (%.3f ms)\n\n", method.c_str(), r.report.message.c_str(), r.report.wall_seconds * 1e3);
    // The tutorial's three checks: the factors rebuild M, and U and V have orthonormal columns.
    std::cout << "U S Vᵀ - M =\n" << text(reconstruct(r.U, r.singular_values, r.V) - c.M) << "\n";
    std::cout << "UᵀU =\n" << text(matmul(r.U.transpose(), r.U)) << "\n";
    std::cout << "VᵀV =\n" << text(matmul(r.V.transpose(), r.V)) << "\n\n";
    std::printf("%-6s %18s %18s %12s\n", "", method.c_str(), "LAPACK (dgesdd)", "difference");
    for (std::size_t j = 0; j < r.singular_values.size(); ++j)
        std::printf("σ%-4zu  %18.12g %18.12g %12.2e\n", j + 1, r.singular_values[j], ref.singular_values[j],
                    r.singular_values[j] - ref.singular_values[j]);
    std::printf("max singular value error (relative to σ1) %.2e, reconstruction error %.2e,\n"
                "orthogonality error U %.2e, V %.2e, sign-aligned vector error U %.2e, V %.2e\n\n",
                cmp.max_singular_value_error, cmp.reconstruction_error, cmp.orthogonality_error_U,
                cmp.orthogonality_error_V, cmp.max_vector_error_U, cmp.max_vector_error_V);
}

nlohmann::ordered_json to_json(const SvdResult& r, const ReferenceSvd& ref, const SvdComparison& cmp,
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
    j["singular_values"] = r.singular_values;
    j["U"] = demo::to_json(r.U);
    j["V"] = demo::to_json(r.V);
    // The check measures one of the two: the reconstruction for a full SVD, the triplets for a truncated one.
    const bool truncated = r.singular_values.size() < std::min(r.U.rows(), r.V.rows());
    j["check"] = {{truncated ? "triplet_residual" : "reconstruction_error", truncated ? r.triplet_residual : r.reconstruction_error},
                  {"orthogonality_error", r.orthogonality_error},
                  {"allowed", r.allowed}};
    j["reference_singular_values"] = ref.singular_values;
    j["max_singular_value_error"] = cmp.max_singular_value_error;
    j["reconstruction_error"] = cmp.reconstruction_error;
    j["orthogonality_error_U"] = cmp.orthogonality_error_U;
    j["orthogonality_error_V"] = cmp.orthogonality_error_V;
    return j;
}

// The tape of one step of the tutorial's loss, differentiated, as a graph: what every iteration of the penalty
// method records, at its first guess, so its loss is the first of the run's losses.
std::string penalty_loss_graph(const Matrix& M, std::uint64_t seed) {
    PenaltyFactors guess = penalty_guess(M, seed);
    Parameter U(std::move(guess.U)), d(std::move(guess.d)), V(std::move(guess.V));
    Tape tape;
    const Var u = tape.param(U), s = tape.param(d), v = tape.param(V);
    const Var loss = svd_penalty_loss(u, s, v, M, Matrix::identity(d.value.cols()));
    backward(loss);
    return to_dot(loss, {.names = {{u, "U"}, {s, "d"}, {v, "V"}, {loss, "loss"}}, .adjoints = true});
}

// --rank K asks for K of a matrix's min(rows, cols) singular triplets.
void check_rank(long rank, Shape shape, const std::string& name) {
    if (rank > 0 && static_cast<std::size_t>(rank) > std::min(shape.rows, shape.cols))
        throw demo::BadFlag("--rank " + std::to_string(rank) + " is more than min(rows, cols) = " +
                            std::to_string(std::min(shape.rows, shape.cols)) + " of " + name + " (" + to_string(shape) + ")");
}

int run_demo(const demo::Common& common, const std::string& method, SvdOptions& options, const demo::MethodFlags& flags) {
    if (auto* penalty = std::get_if<PenaltyOptions>(&options))
        demo::resolve_optimizer(penalty->optimizer, penalty->lr, penalty->momentum, flags);
    std::optional<OutputDir> out = demo::output_directory(common);  // a bad --out is refused before computing
    const long max_iterations = std::visit([](const auto& o) { return o.max_iterations; }, options);
    // What each method's report.losses holds (linalg/svd/svd.hpp).
    const char* loss = std::holds_alternative<PenaltyOptions>(options) ? "loss = mse(U·diag(d^2)·V^T, M) + penalties"
                       : rank_of(options) > 0 ? "Σ_j ‖M·v_j − σ_j·u_j‖@^2 + ‖M^T·u_j − σ_j·v_j‖@^2, over ‖M‖@^2_F"
                                              : "‖M − U·diag(σ)·V^T‖@^2_F / ‖M‖@^2_F";
    demo::LossCurves curves("svd_demo: " + method + ", the loss at each iteration", loss);
    demo::Verdict verdict("svd_demo");
    if (common.rows || common.cols) {  // the size guard, before the random matrix is made
        const auto [rows, cols] = demo::random_shape(common);
        check_rank(rank_of(options), {rows, cols}, "random");  // a bad flag before a size it would make look large
        const double M = 8.0 * static_cast<double>(rows) * static_cast<double>(cols);
        const bool compared = rank_of(options) == 0 || std::min(rows, cols) <= 2000;  // as print_truncated decides
        check_svd_memory("", rows, cols, options, "--rank ", compared ? 3.0 * M : M);  // M, and LAPACK's copy and factors
    }
    const std::vector<NamedMatrix> runs = demo::matrices_to_run(common, tutorial_svd_matrices());
    const long rank = rank_of(options);
    for (const NamedMatrix& c : runs) check_rank(rank, c.M.shape(), c.name);  // before any run: a refusal prints nothing else
    for (const NamedMatrix& c : runs) {
        const SvdResult r = svd_by_descent(c.M, options, demo::progress_for(common, demo::label(c), max_iterations));
        verdict.add(demo::label(c), r.report);
        if (rank > 0 && !common.json) {  // k triplets: no reconstruction to show, and M may be far too large to print
            if (common.quiet)
                std::printf("%s: %s after %ld iterations, largest triplet residual %.2e\n", demo::label(c).c_str(),
                            std::string(to_string(r.report.status)).c_str(), r.report.iterations, r.triplet_residual);
            else
                print_truncated(c, method, r);
            curves.add(c.name, demo::label(c), r.report.losses);
            continue;
        }
        const ReferenceSvd ref = leading(lapack_svd(c.M), r.singular_values.size());
        const SvdComparison cmp = compare_svd(c.M, r.U, r.singular_values, r.V, ref);
        if (common.json) {
            std::cout << to_json(r, ref, cmp, method, flags).dump(2) << "\n";
            return verdict.exit_status();
        }
        if (common.quiet)
            std::printf("%s: %s after %ld iterations, loss %.2e, max singular value error %.2e\n", demo::label(c).c_str(),
                        std::string(to_string(r.report.status)).c_str(), r.report.iterations, r.report.final_loss,
                        cmp.max_singular_value_error);
        else
            print_walkthrough(c, method, r, ref, cmp, common.full);
        curves.add(c.name, demo::label(c), r.report.losses);
    }
    curves.write(*out, "svd");
    if (const auto* penalty = std::get_if<PenaltyOptions>(&options))
        plot::draw_graph(*out, "tape_svd_loss", penalty_loss_graph(runs.front().M, penalty->seed));
    out->commit();
    std::cout << verdict.line(method) << "\n";
    return verdict.exit_status();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string method = demo::chosen_method(demo::scout(argc, argv), "penalty", std::string(to_string(most_robust_svd_method())));
    SvdOptions options = defaults_of(method);

    CLI::App app{"The SVD by gradient descent (part 2 of the tutorial), checked against LAPACK.\n"
                 "Without --matrix or --rows it runs the tutorial's five matrices with its method (penalty); with them, "
                 "the most robust method (trust-region).",
                 "svd_demo"};
    demo::Common common;
    demo::add_matrix_flags(app, common, method_names(),
                           "penalty (the tutorial's), stiefel, stiefel-cg or trust-region (the most robust). See docs/svd.md");
    demo::MethodFlags flags(app);
    std::visit([&](auto& o) { add_flags(flags, o); }, options);
    demo::add_output_flags(app, common, "Print one JSON object on stdout, for one matrix (the given one, or M1); writes no files");
    app.footer(demo::methods_help(method_names(), flags_of) + "\n" + demo::exit_status_help());
    return demo::run(app, argc, argv, [&] { return run_demo(common, method, options, flags); }, method, flags.flags());
}
