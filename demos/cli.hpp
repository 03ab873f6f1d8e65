#pragma once
// What the three demo programs share: their command line (CLI11), the exit status that is the verdict, how a
// run picks its matrices, progress on a terminal, and the loss curves' plot and CSV.
//
// A solver demo's command line is read in two passes. The first finds --method (and whether the user gave a
// matrix, which picks the default method); the second binds that method's own flags straight to the fields of
// its options type (MethodFlags), so a flag reaches its solver in one hop, and a flag the method does not take
// is refused with a message that names the method and the flags it does take.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/matrix.hpp"
#include "autodiff/optim.hpp"
#include "io/output_dir.hpp"
#include "io/tutorial_matrices.hpp"
#include "linalg/iterate.hpp"

namespace tapegrad::demo {

// The exit status of every demo is its verdict (the worst over the matrices it ran, in this order: 1, 2, 3, 4, 0).
enum ExitStatus : int {
    exit_converged = 0,
    exit_bad_input = 1,      // an unreadable file, a matrix the problem cannot take (empty, singular, ...), or
                             // output that cannot be written (--out, stdout)
    exit_bad_flag = 2,       // a flag that is unknown, malformed, out of range, or not taken by the chosen method
    exit_diverged = 3,       // a descent diverged
    exit_not_converged = 4,  // stopped without converging: max_iterations, stalled, ill_conditioned
};

int exit_status(Status status);
int worse(int a, int b);  // the worse of two exit statuses, in the order above
// The help text's paragraph on exit statuses.
std::string exit_status_help();

// The verdict over the matrices a demo ran: the exit status, and the last line of its text output, in words.
class Verdict {
public:
    explicit Verdict(std::string program) : program_(std::move(program)) {}
    // A run that did not converge is also said on stderr, with its report's message.
    void add(const std::string& label, const Report& report);
    int exit_status() const { return exit_status_; }
    // "verdict: trust-region converged on M (4x4)", or "... did not converge on M3 (7x4) max_iterations (exit 4)"
    std::string line(const std::string& method) const;

private:
    std::string program_;
    int exit_status_ = exit_converged;
    std::vector<std::string> labels_, failures_;
};

// The largest --rows or --cols: a dense matrix that size holds 80 GB.
constexpr std::size_t max_dimension = 100'000;

// The flags every solver demo has, whatever the method.
struct Common {
    std::optional<std::string> matrix_file;  // --matrix FILE
    std::optional<std::size_t> rows, cols;   // --rows --cols: a random matrix
    std::uint64_t seed = 1;                  // --seed: of that random matrix
    std::string method;                      // --method
    std::string out_dir = "out";             // --out
    bool json = false;                       // --json
    bool quiet = false;                      // --quiet
    bool full = false;                       // --full: print large matrices whole

    bool user_matrix() const { return matrix_file || rows || cols; }
};

// --out, --json, --quiet, --full. json_help says what --json prints.
void add_output_flags(CLI::App& app, Common& common, const std::string& json_help);
// --matrix, --rows, --cols, --seed and --method (methods: the names --method takes; its help lists them).
void add_matrix_flags(CLI::App& app, Common& common, const std::vector<std::string>& methods, const std::string& method_help);

// Validators with messages a user reads: "--lr: must be a number > 0 (got 0)".
CLI::Validator positive_number();     // finite, > 0
CLI::Validator nonnegative_number();  // finite, >= 0
CLI::Validator fraction_below_one();  // in [0, 1)
CLI::Validator fraction_up_to_one();  // in (0, 1]
CLI::Validator whole_number();        // an integer in [0, 2^63)
CLI::Validator seed_number();         // an integer in [0, 2^64)
CLI::Validator dimension();           // an integer in [1, max_dimension]

// The flags of one method, each bound to a field of the method's options, and able to write those fields as JSON
// after the run (what ran, exactly). `add` takes the flag ("--lr"), the field, and the help text; a field that
// is a std::optional is written only when set.
class MethodFlags {
public:
    explicit MethodFlags(CLI::App& app) : app_(app) {}

    CLI::Option* add(const std::string& flag, double& field, const std::string& help);
    CLI::Option* add(const std::string& flag, std::optional<double>& field, const std::string& help);
    CLI::Option* add(const std::string& flag, long& field, const std::string& help);
    CLI::Option* add(const std::string& flag, std::uint64_t& field, const std::string& help);
    CLI::Option* add(const std::string& flag, OptimizerKind& field, const std::string& help);
    // An enum field by name, e.g. the inverse's --variant: names lists (name, value) pairs.
    template <class Enum>
    CLI::Option* add(const std::string& flag, Enum& field, const std::vector<std::pair<std::string, Enum>>& names,
                     const std::string& help) {
        const auto name_of = [&field, names] {
            for (const auto& [name, value] : names)
                if (value == field) return name;
            return std::string();
        };
        record(flag, [name_of] { return nlohmann::ordered_json(name_of()); });
        std::vector<std::string> choices;
        for (const auto& [name, value] : names) choices.push_back(name);
        const auto assign = [&field, names](const std::string& chosen) {
            for (const auto& [name, value] : names)
                if (name == chosen) field = value;
        };
        return app_.add_option_function<std::string>(flag, assign, help)->check(CLI::IsMember(choices))->default_str(name_of());
    }

    std::vector<std::string> flags() const;  // "--lr", ... in the order added
    nlohmann::ordered_json to_json() const;  // {"lr": 0.9, ...}
    bool given(const std::string& flag) const { return app_.count(flag) > 0; }

private:
    void record(const std::string& flag, std::function<nlohmann::ordered_json()> value);

    CLI::App& app_;
    std::vector<std::pair<std::string, std::function<nlohmann::ordered_json()>>> fields_;
};

// The first pass: the --method given, if any, and whether --matrix, --rows or --cols was. Ignores everything else
// (the second pass reads it).
struct Scouted {
    std::optional<std::string> method;
    bool user_matrix = false;
};
Scouted scout(int argc, char** argv);

// The method to run: --method if given; otherwise the tutorial's on the tutorial's matrices and the most robust
// one on a matrix of the user's.
std::string chosen_method(const Scouted& scouted, const std::string& tutorial, const std::string& most_robust);

// "penalty takes --optimizer --lr ...": for the help text and for refusals. flags_of(method) lists a method's.
std::string methods_help(const std::vector<std::string>& methods,
                         const std::function<std::vector<std::string>(const std::string&)>& flags_of);

// The user's matrix (--matrix FILE, or a random --rows x --cols), or the tutorial's; with --json only the first.
std::vector<NamedMatrix> matrices_to_run(const Common& common, const std::vector<NamedMatrix>& tutorial);
// The shape --rows and --cols ask for (either alone: square); only when one of them was given.
Shape random_shape(const Common& common);

// "M1 (5x4)", or the file's name for --matrix.
std::string label(const NamedMatrix& m);

// Progress on stderr when it is a terminal (and not --quiet or --json); nothing otherwise.
Progress progress_for(const Common& common, const std::string& label, long max_iterations);

// The run's output directory (--out), checked or created before any computing, so that a bad --out costs no
// time; none with --json, which writes no files. The files are put in place by its commit() once all are written.
std::optional<OutputDir> output_directory(const Common& common);

// Each run's loss per iteration, written as one CSV (iteration, 0 for the guess, then a column per run, empty once
// a run stopped) and drawn from it by gnuplot (io/plots/convergence.gp) on a log scale, the tutorial's "How fast does
// the gradient algorithm converge?".
class LossCurves {
public:
    // title names the program and the method, e.g. "svd_demo: penalty, the tutorial's method"; loss_label says
    // what the method's loss is, in gnuplot's enhanced text (x_{F} a subscript), e.g. "loss = mse(X·M, I)".
    LossCurves(std::string title, std::string loss_label)
        : title_(std::move(title)), loss_label_(std::move(loss_label)) {}
    void add(const std::string& name, const std::string& label, const std::vector<double>& losses);
    // Writes <stem>_losses.csv, <stem>_convergence.gp and, with gnuplot, <stem>_convergence.svg in out, and says
    // so on stdout; without gnuplot it says on stderr that the plot was not drawn, and why, and goes on.
    void write(OutputDir& out, const std::string& stem) const;

private:
    std::string title_, loss_label_;
    std::vector<std::string> names_, labels_;
    std::vector<std::vector<double>> losses_;
};

// A flag that parsed but cannot be used as given (--momentum with --optimizer adam): run() exits 2 for it.
class BadFlag : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The tutorial's optimiser settings as they will run: an unset lr or momentum becomes its default, so --json
// reports the numbers used. --momentum with adam (which takes none) is a BadFlag.
void resolve_optimizer(OptimizerKind optimizer, std::optional<double>& lr, std::optional<double>& momentum,
                       const MethodFlags& flags);

// Parses the command line and runs `body`; --help prints and exits 0, a bad flag prints "<program>: error: ..."
// and exits 2, and any exception from body prints its message and exits 1. Never lets an exception escape. Output
// that could not be written (stdout a full disk, a closed pipe) exits 1 too: a result lost is not a success. A flag
// the chosen method does not take is refused by name: "--lr is not a flag of trust-region, which takes ...".
int run(CLI::App& app, int argc, char** argv, const std::function<int()>& body, const std::string& method = "",
        const std::vector<std::string>& method_flags = {});

// A matrix as JSON: an array of rows.
nlohmann::ordered_json to_json(const Matrix& m);

}  // namespace tapegrad::demo
