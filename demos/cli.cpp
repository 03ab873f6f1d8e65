#include "demos/cli.hpp"

#include <unistd.h>

#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>

#include "io/matrix_file.hpp"
#include "io/plot.hpp"

namespace tapegrad::demo {

int exit_status(Status status) {
    switch (status) {
        case Status::converged: return exit_converged;
        case Status::diverged: return exit_diverged;
        case Status::singular: return exit_bad_input;
        case Status::max_iterations:
        case Status::stalled:
        case Status::ill_conditioned: return exit_not_converged;
    }
    return exit_not_converged;
}

int worse(int a, int b) {
    // Most to least severe: bad input, bad flag, diverged, not converged, converged.
    const auto rank = [](int s) { return s == exit_converged ? 0 : s == exit_not_converged ? 1 : s == exit_diverged ? 2 : s == exit_bad_flag ? 3 : 4; };
    return rank(a) >= rank(b) ? a : b;
}

void Verdict::add(const std::string& label, const Report& report) {
    labels_.push_back(label);
    exit_status_ = worse(exit_status_, demo::exit_status(report.status));
    if (report.status == Status::converged) return;
    const std::string status(to_string(report.status));
    failures_.push_back(label + " " + status);
    std::cerr << program_ << ": " << label << " " << status << ": " << report.message << "\n";
}

std::string Verdict::line(const std::string& method) const {
    const auto list = [](const std::vector<std::string>& items) {
        std::string out;
        for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
        return out;
    };
    if (failures_.empty())
        return "verdict: " + method + " converged on " + (labels_.size() == 1 ? labels_.front() : "all " + std::to_string(labels_.size()) + " matrices");
    return "verdict: " + method + " did not converge on " + list(failures_) + " (exit status " + std::to_string(exit_status_) + ")";
}

std::string exit_status_help() {
    return "Exit status: 0 every run converged; 1 bad input file or unusable matrix (singular included), or output that "
           "cannot be written; 2 bad flag; "
           "3 a descent diverged; 4 a run stopped without converging (max_iterations, stalled, ill_conditioned).";
}

void add_output_flags(CLI::App& app, Common& c, const std::string& json_help) {
    app.add_option("--out", c.out_dir, "Directory for plots and CSV files (created if missing)")->capture_default_str();
    app.add_flag("--json", c.json, json_help);
    app.add_flag("--quiet", c.quiet, "Print only the results: no walkthrough, no progress");
    app.add_flag("--full", c.full, "Print large matrices whole (more than 1000 entries, or rows wider than 120 characters, "
                                   "are summarised: their edge rows and columns, with ...); --json always has them whole");
}

void add_matrix_flags(CLI::App& app, Common& c, const std::vector<std::string>& methods, const std::string& method_help) {
    auto* matrix = app.add_option("--matrix", c.matrix_file, "Run on the matrix in FILE (CSV or whitespace-separated, # comments)");
    auto* rows = app.add_option("--rows", c.rows, "Run on a random matrix with this many rows (at most 100000)")->check(dimension());
    auto* cols = app.add_option("--cols", c.cols, "... and this many columns (default: as many as rows)")->check(dimension());
    matrix->excludes(rows)->excludes(cols);
    app.add_option("--seed", c.seed, "Seed of the random matrix")->check(seed_number())->capture_default_str();
    app.add_option("--method", c.method, method_help)->check(CLI::IsMember(methods));
}

namespace {

CLI::Validator number_check(const std::string& what, const std::function<bool(double)>& ok) {
    return CLI::Validator(
        [what, ok](std::string& text) -> std::string {
            double x = 0.0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), x);
            if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(x) || !ok(x))
                return "must be " + what + " (got " + text + ")";
            return "";
        },
        what);
}

// An integer in [least, most], written in decimal digits only.
CLI::Validator integer_check(const std::string& what, std::uint64_t least, std::uint64_t most) {
    return CLI::Validator(
        [what, least, most](std::string& text) -> std::string {
            std::uint64_t x = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), x);
            if (error != std::errc() || end != text.data() + text.size() || x < least || x > most)
                return "must be " + what + " (got " + text + ")";
            return "";
        },
        what);
}

}  // namespace

CLI::Validator positive_number() { return number_check("a number > 0", [](double x) { return x > 0.0; }); }
CLI::Validator nonnegative_number() { return number_check("a number >= 0", [](double x) { return x >= 0.0; }); }
CLI::Validator fraction_below_one() { return number_check("a number in [0, 1)", [](double x) { return x >= 0.0 && x < 1.0; }); }
CLI::Validator fraction_up_to_one() { return number_check("a number in (0, 1]", [](double x) { return x > 0.0 && x <= 1.0; }); }
CLI::Validator whole_number() {
    return integer_check("a whole number >= 0", 0, static_cast<std::uint64_t>(std::numeric_limits<long>::max()));
}
CLI::Validator seed_number() {
    return integer_check("a whole number from 0 to 2^64 - 1", 0, std::numeric_limits<std::uint64_t>::max());
}
CLI::Validator dimension() { return integer_check("a whole number from 1 to 100000", 1, max_dimension); }

void MethodFlags::record(const std::string& flag, std::function<nlohmann::ordered_json()> value) {
    fields_.emplace_back(flag, std::move(value));
}

CLI::Option* MethodFlags::add(const std::string& flag, double& field, const std::string& help) {
    record(flag, [&field] { return nlohmann::ordered_json(field); });
    return app_.add_option(flag, field, help)->capture_default_str();
}

CLI::Option* MethodFlags::add(const std::string& flag, std::optional<double>& field, const std::string& help) {
    record(flag, [&field] { return field ? nlohmann::ordered_json(*field) : nlohmann::ordered_json(); });
    return app_.add_option(flag, field, help);
}

CLI::Option* MethodFlags::add(const std::string& flag, long& field, const std::string& help) {
    record(flag, [&field] { return nlohmann::ordered_json(field); });
    return app_.add_option(flag, field, help)->check(whole_number())->capture_default_str();
}

CLI::Option* MethodFlags::add(const std::string& flag, std::uint64_t& field, const std::string& help) {
    record(flag, [&field] { return nlohmann::ordered_json(field); });
    return app_.add_option(flag, field, help)->check(seed_number())->capture_default_str();
}

CLI::Option* MethodFlags::add(const std::string& flag, OptimizerKind& field, const std::string& help) {
    std::vector<std::pair<std::string, OptimizerKind>> names;
    for (const OptimizerKind k : {OptimizerKind::momentum, OptimizerKind::sgd, OptimizerKind::nesterov, OptimizerKind::adam})
        names.emplace_back(std::string(to_string(k)), k);
    return add(flag, field, names, help);
}

std::vector<std::string> MethodFlags::flags() const {
    std::vector<std::string> out;
    for (const auto& [flag, value] : fields_) out.push_back(flag);
    return out;
}

nlohmann::ordered_json MethodFlags::to_json() const {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [flag, value] : fields_) {
        nlohmann::ordered_json v = value();
        if (!v.is_null()) out[flag.substr(2)] = std::move(v);  // "--lr" -> "lr"
    }
    return out;
}

void resolve_optimizer(OptimizerKind optimizer, std::optional<double>& lr, std::optional<double>& momentum,
                       const MethodFlags& flags) {
    if (optimizer == OptimizerKind::adam && flags.given("--momentum"))
        throw BadFlag("--momentum is not used by --optimizer adam (its betas are 0.9 and 0.999)");
    if (!lr) lr = default_lr(optimizer);
    if (optimizer != OptimizerKind::adam && !momentum) momentum = tutorial_momentum;
}

Scouted scout(int argc, char** argv) {
    CLI::App app;
    app.allow_extras();
    app.set_help_flag();  // --help is the second pass's
    std::string method;
    app.add_option("--method", method);
    const auto* matrix = app.add_option("--matrix");
    const auto* rows = app.add_option("--rows");
    const auto* cols = app.add_option("--cols");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError&) {
        return {};  // malformed: the second pass says what is wrong
    }
    Scouted s;
    if (app.count("--method") > 0) s.method = method;
    s.user_matrix = matrix->count() + rows->count() + cols->count() > 0;
    return s;
}

std::string chosen_method(const Scouted& s, const std::string& tutorial, const std::string& most_robust) {
    if (s.method) return *s.method;
    return s.user_matrix ? most_robust : tutorial;
}

std::string methods_help(const std::vector<std::string>& methods,
                         const std::function<std::vector<std::string>(const std::string&)>& flags_of) {
    std::string out = "Each method takes its own flags:";
    for (const std::string& m : methods) {
        out += "\n  " + m + ":";
        for (const std::string& f : flags_of(m)) out += " " + f;
    }
    return out;
}

std::vector<NamedMatrix> matrices_to_run(const Common& c, const std::vector<NamedMatrix>& tutorial) {
    if (c.matrix_file) return {{std::filesystem::path(*c.matrix_file).filename().string(), read_matrix_file(*c.matrix_file)}};
    if (c.rows || c.cols) {
        const Shape shape = random_shape(c);
        return {{"random", Matrix::random(shape.rows, shape.cols, c.seed)}};
    }
    if (c.json) return {tutorial.front()};  // one JSON object: the first
    return tutorial;
}

Shape random_shape(const Common& c) {
    const std::size_t rows = c.rows ? *c.rows : *c.cols;
    return {rows, c.cols ? *c.cols : rows};
}

std::string label(const NamedMatrix& m) { return m.name + " (" + to_string(m.M.shape()) + ")"; }

Progress progress_for(const Common& c, const std::string& label, long max_iterations) {
    if (c.quiet || c.json || !isatty(STDERR_FILENO)) return {};
    return {.show =
                [label, max_iterations](long iteration, double loss) {
                    std::fprintf(stderr, "\r  %s: iteration %ld/%ld, loss %.3e ", label.c_str(), iteration, max_iterations, loss);
                    if (iteration + 500 > max_iterations) std::fprintf(stderr, "\r%*s\r", 80, "");  // clear it at the end
                    std::fflush(stderr);
                },
            .every = 500};
}

std::optional<OutputDir> output_directory(const Common& c) {
    if (c.json) return std::nullopt;
    try {
        return std::optional<OutputDir>(std::in_place, c.out_dir);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("--out ") + e.what());
    }
}

void LossCurves::add(const std::string& name, const std::string& label, const std::vector<double>& losses) {
    names_.push_back(name);
    labels_.push_back(label);
    losses_.push_back(losses);
}

void LossCurves::write(OutputDir& out, const std::string& stem) const {
    std::vector<plot::Series> series(losses_.size());
    for (std::size_t r = 0; r < losses_.size(); ++r) {
        series[r].name = names_[r];
        for (std::size_t i = 0; i < losses_[r].size(); ++i) series[r].points.emplace_back(i, losses_[r][i]);
    }
    const std::string csv = stem + "_losses.csv";
    plot::write_csv(out, csv, "iteration", series);
    // A loss is a mean of squares of entries of size about 1 (relative, for the Riemannian SVD): entries that are
    // right to about 10 units of rounding, 10ε, give (10ε)² ≈ 5e-30. Below it is noise; the plot ends there.
    const double eps = std::numeric_limits<double>::epsilon();
    std::cout << "wrote " << out.target(csv).string() << "\n";
    plot::Script("convergence.gp")
        .set("data", csv)
        .set("title", title_)
        .set("ylabel", loss_label_)
        .set_array("keys", labels_)
        .set("floor", (10 * eps) * (10 * eps))
        .draw(out, stem + "_convergence");
}

namespace {

// Flushes stdout: "" if everything written to it arrived, else why not.
std::string stdout_lost() {
    errno = 0;
    std::cout.flush();
    const bool flushed = std::fflush(stdout) == 0;
    const int error = errno;
    if (flushed && !std::ferror(stdout) && std::cout.good()) return "";
    return error != 0 ? std::strerror(error) : "a write failed";
}

int parse_and_run(CLI::App& app, int argc, char** argv, const std::function<int()>& body, const std::string& method,
                  const std::vector<std::string>& method_flags) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ExtrasError& e) {
        std::string refused;
        for (const std::string& arg : app.remaining())
            if (arg.rfind("--", 0) == 0) refused += (refused.empty() ? "" : ", ") + arg.substr(0, arg.find('='));
        std::cerr << app.get_name() << ": error: ";
        if (refused.empty() || method.empty()) {
            std::cerr << e.what() << "\n";
        } else {
            std::cerr << refused << (refused.find(',') == std::string::npos ? " is not a flag" : " are not flags") << " of --method "
                      << method << ", which takes";
            for (const std::string& f : method_flags) std::cerr << " " << f;
            std::cerr << " (besides --matrix, --rows, --cols, --seed, --out, --json, --quiet)\n";
        }
        std::cerr << "(run " << app.get_name() << " --help for the flags)\n";
        return exit_bad_flag;
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help
        std::cerr << app.get_name() << ": error: " << e.what() << "\n(run " << app.get_name() << " --help for the flags)\n";
        return exit_bad_flag;
    }
    try {
        return body();
    } catch (const BadFlag& e) {
        std::cerr << app.get_name() << ": error: " << e.what() << "\n";
        return exit_bad_flag;
    } catch (const std::exception& e) {
        std::cerr << app.get_name() << ": error: " << e.what() << "\n";
        return exit_bad_input;
    }
}

}  // namespace

int run(CLI::App& app, int argc, char** argv, const std::function<int()>& body, const std::string& method,
        const std::vector<std::string>& method_flags) {
    const int status = parse_and_run(app, argc, argv, body, method, method_flags);
    const std::string lost = stdout_lost();
    if (lost.empty()) return status;
    std::cerr << app.get_name() << ": error: cannot write to standard output (" << lost << ")\n";
    return exit_bad_input;
}

nlohmann::ordered_json to_json(const Matrix& m) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < m.rows(); ++i) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (std::size_t j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
        rows.push_back(row);
    }
    return rows;
}

}  // namespace tapegrad::demo
