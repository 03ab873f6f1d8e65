#include "bench/report_scale.hpp"

#include <string>
#include <vector>

#include "bench/report_text.hpp"
#include "io/plot.hpp"

namespace tapegrad::report {

namespace {

const Run* ran(const BenchmarkResults& results, const std::string& name) {
    const Run* r = results.find(name);
    return r && r->error.empty() ? r : nullptr;
}

std::string time_cell(const Run* r) { return r ? time_text(r->cpu_us) : "–"; }

std::string ratio_cell(const Run* a, const Run* b) {
    return a && b && b->cpu_us > 0.0 ? times_text(a->cpu_us / b->cpu_us) : "–";
}

std::string counter_cell(const Run* r, const std::string& name) {
    const std::optional<double> c = r ? r->counter(name) : std::nullopt;
    return c ? count_text(*c) : "–";
}

// The n of scale_<problem>/<method>/n, in the order they ran.
std::vector<std::string> sizes(const BenchmarkResults& results, const std::string& family) {
    std::vector<std::string> out;
    for (const std::string& name : results.names_starting_with(family)) out.push_back(last_part(name));
    return out;
}

const char* const spectra_names[] = {"decaying", "slow"};

}  // namespace

void write_scale(std::ostream& out, const BenchmarkResults& results, const std::filesystem::path& dir) {
    Table svd({"n", "trust region", "iterations / tape passes", "dgesdd", "÷ dgesdd"});
    for (const std::string& n : sizes(results, "scale_svd/trust-region/")) {
        const Run* tr = ran(results, "scale_svd/trust-region/" + n);
        const Run* lapack = ran(results, "scale_svd/dgesdd/" + n);
        svd.add({n + "×" + n, time_cell(tr), counter_cell(tr, "descent_iterations") + " / " + counter_cell(tr, "tape_passes"),
                 time_cell(lapack), ratio_cell(tr, lapack)});
    }
    Table inverse({"n", "conjugate gradients", "iterations", "÷ LAPACK", "Newton–Schulz", "iterations", "÷ LAPACK",
                   "dgetrf + dgetri"});
    for (const std::string& n : sizes(results, "scale_inverse/conjugate-gradient/")) {
        const Run* cg = ran(results, "scale_inverse/conjugate-gradient/" + n);
        const Run* ns = ran(results, "scale_inverse/newton-schulz/" + n);
        const Run* lapack = ran(results, "scale_inverse/dgetrf+dgetri/" + n);
        inverse.add({n + "×" + n, time_cell(cg), counter_cell(cg, "descent_iterations"), ratio_cell(cg, lapack),
                     time_cell(ns), counter_cell(ns, "descent_iterations"), ratio_cell(ns, lapack), time_cell(lapack)});
    }
    Table truncated({"spectrum", "size", "k", "trust region", "tape passes", "Spectra", "dgesdd", "÷ Spectra", "÷ dgesdd",
                     "max σ error (trust region)"},
                    2);
    for (const char* spectrum : spectra_names) {
        const std::string family = "scale_truncated/" + std::string(spectrum) + "/";
        for (const std::string& name : results.names_starting_with(family + "trust-region/")) {
            const std::string args = name.substr((family + "trust-region/").size());  // m/n/k
            const std::string size = args.substr(0, args.rfind('/'));
            const Run* tr = ran(results, name);
            const Run* spectra = ran(results, family + "spectra/" + args);
            const Run* lapack = ran(results, family + "dgesdd/" + size);
            const std::optional<double> error = tr ? tr->counter("max_singular_value_error") : std::nullopt;
            truncated.add({spectrum, shape_text(size), last_part(name), time_cell(tr), counter_cell(tr, "tape_passes"),
                           time_cell(spectra), time_cell(lapack), ratio_cell(tr, spectra), ratio_cell(tr, lapack),
                           error ? error_text(*error) : "–"});
        }
    }
    out << "### The full SVD by trust region (`scale_svd/<method>/n`, random uniform n×n)\n\n";
    if (svd.empty()) out << "(not run)\n\n";
    else svd.write(out);
    out << "### The inverse by conjugate gradients, and by Newton–Schulz (`scale_inverse/<method>/n`, random uniform n×n)\n\n";
    if (inverse.empty()) out << "(not run)\n\n";
    else inverse.write(out);
    if (std::filesystem::exists(dir / "benchmarks_scale.svg"))
        out << "![Whole-solve CPU time against n, log-log: trust region and dgesdd; CG, Newton–Schulz and dgetrf+dgetri]"
               "(benchmarks_scale.svg)\n\n";
    out << "### The k largest triplets (`scale_truncated/<spectrum>/<method>/m/n[/k]`)\n\n";
    if (truncated.empty()) out << "(not run)\n\n";
    else truncated.write(out);
    if (std::filesystem::exists(dir / "benchmarks_truncated.svg"))
        out << "![The 5 largest triplets' CPU time against n (m = 2n), log-log: trust region, Spectra, dgesdd]"
               "(benchmarks_truncated.svg)\n\n";
}

bool plot_scale(const BenchmarkResults& results, OutputDir& out) {
    const auto series = [&](const std::string& name, const std::string& family) {
        plot::Series s{.name = name};
        for (const std::string& n : sizes(results, family))
            if (const Run* r = ran(results, family + n)) s.points.emplace_back(std::stod(n), r->cpu_us);
        return s;
    };
    bool drawn = true;
    const std::vector<plot::Series> full = {series("trust_region", "scale_svd/trust-region/"),
                                            series("dgesdd", "scale_svd/dgesdd/"),
                                            series("cg_inverse", "scale_inverse/conjugate-gradient/"),
                                            series("newton_schulz", "scale_inverse/newton-schulz/"),
                                            series("dgetrf_dgetri", "scale_inverse/dgetrf+dgetri/")};
    if (!full[0].points.empty()) {
        plot::write_csv(out, "benchmarks_scale.csv", "n", full);
        drawn = plot::Script("steps.gp")
                    .set("data", "benchmarks_scale.csv")
                    .set("title", "tapegrad_report: whole solves on random n×n, against LAPACK")
                    .set("xlabel", "matrix size n (n×n)")
                    .set("ylabel", "CPU time per solve")
                    .set_array("keys", {"SVD, trust region", "SVD, dgesdd", "inverse, conjugate gradients",
                                        "inverse, Newton–Schulz", "inverse, dgetrf + dgetri"})
                    .draw(out, "benchmarks_scale") &&
                drawn;
    }
    std::vector<plot::Series> truncated;
    std::vector<std::string> keys;
    for (const char* spectrum : spectra_names)
        for (const auto& [method, key] : {std::pair{"trust-region", "trust region"}, {"spectra", "Spectra"}, {"dgesdd", "dgesdd"}}) {
            plot::Series s{.name = std::string(spectrum) + "_" + method};
            const std::string family = "scale_truncated/" + std::string(spectrum) + "/" + method + "/";
            for (const std::string& name : results.names_starting_with(family)) {
                const std::string args = name.substr(family.size());
                if (std::string(method) != "dgesdd" && last_part(args) != "5") continue;  // k = 5
                if (const Run* r = ran(results, name)) s.points.emplace_back(cols_of(args), r->cpu_us);
            }
            if (s.points.empty()) continue;
            truncated.push_back(s);
            keys.push_back(std::string(key) + ", " + spectrum + " spectrum");
        }
    if (!truncated.empty()) {
        plot::write_csv(out, "benchmarks_truncated.csv", "n", truncated);
        drawn = plot::Script("steps.gp")
                    .set("data", "benchmarks_truncated.csv")
                    .set("title", "tapegrad_report: the 5 largest singular triplets of a 2n×n matrix")
                    .set("xlabel", "n (the matrix is 2n×n)")
                    .set("ylabel", "CPU time per solve")
                    .set_array("keys", keys)
                    .draw(out, "benchmarks_truncated") &&
                drawn;
    }
    return drawn;
}

namespace {

// Each size's ratio a ÷ b of the family pair, against a bound that may depend on n.
Target ratio_target(const BenchmarkResults& results, const std::string& goal, const std::string& family,
                    const std::string& baseline, double (*bound)(double n)) {
    Target t{.goal = goal};
    std::vector<std::string> over;
    for (const std::string& n : sizes(results, family)) {
        const Run* a = ran(results, family + n);
        const Run* b = ran(results, baseline + n);
        if (!a || !b || b->cpu_us <= 0.0) continue;
        const double ratio = a->cpu_us / b->cpu_us, limit = bound(std::stod(n));
        t.measured += (t.measured.empty() ? "" : ", ") + n + ": " + times_text(ratio);
        if (ratio > limit) over.push_back(n + " by " + percent_over(ratio, limit));
    }
    if (t.measured.empty()) return t;
    t.met = over.empty();
    for (const std::string& o : over) t.shortfall += (t.shortfall.empty() ? "over at " : ", ") + o;
    return t;
}

Target truncated_target(const BenchmarkResults& results) {
    Target t{.goal = "`--rank 5` at 2000×1000: faster than dgesdd, ≤ 3× Spectra, every σ within 1e-8·σ₁ (both spectra)"};
    std::vector<std::string> short_of;
    for (const char* spectrum : spectra_names) {
        const std::string family = "scale_truncated/" + std::string(spectrum) + "/";
        const Run* tr = ran(results, family + "trust-region/2000/1000/5");
        const Run* spectra = ran(results, family + "spectra/2000/1000/5");
        const Run* lapack = ran(results, family + "dgesdd/2000/1000");
        if (!tr || !spectra || !lapack) continue;
        const double vs_lapack = tr->cpu_us / lapack->cpu_us, vs_spectra = tr->cpu_us / spectra->cpu_us;
        const double error = tr->counter("max_singular_value_error").value_or(1.0);
        t.measured += (t.measured.empty() ? "" : "; ") + std::string(spectrum) + ": " + times_text(vs_lapack) +
                      " dgesdd, " + times_text(vs_spectra) + " Spectra, σ error " + error_text(error);
        if (vs_lapack >= 1.0) short_of.push_back(std::string(spectrum) + " slower than dgesdd");
        if (vs_spectra > 3.0) short_of.push_back(std::string(spectrum) + " " + percent_over(vs_spectra, 3.0) + " over 3× Spectra");
        if (error > 1e-8) short_of.push_back(std::string(spectrum) + " σ error above 1e-8");
    }
    if (t.measured.empty()) return t;
    t.met = short_of.empty();
    for (const std::string& s : short_of) t.shortfall += (t.shortfall.empty() ? "" : ", ") + s;
    return t;
}

}  // namespace

std::vector<Target> scale_targets(const BenchmarkResults& results) {
    return {ratio_target(results, "full SVD by trust region ≤ 10× dgesdd from 4×4 to 256×256, ≤ 20× at 512×512",
                         "scale_svd/trust-region/", "scale_svd/dgesdd/", [](double n) { return n > 256 ? 20.0 : 10.0; }),
            truncated_target(results),
            ratio_target(results, "CG inverse ≤ 10× dgetrf + dgetri from 4×4 to 256×256",
                         "scale_inverse/conjugate-gradient/", "scale_inverse/dgetrf+dgetri/", [](double) { return 10.0; })};
}

}  // namespace tapegrad::report
