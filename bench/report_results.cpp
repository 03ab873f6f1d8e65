#include "bench/report_results.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace tapegrad::report {

namespace {

using nlohmann::json;

// Google Benchmark writes a counter that is not a number as a bare NaN or inf (the coefficient of variation of a
// counter that is always 0, for one), which JSON does not allow. Outside strings and numbers, any bare word but
// true, false and null is such a value, and becomes null before parsing.
std::string without_nan(const std::string& text) {
    const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    const auto in_number = [&](char c) { return digit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'; };
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = i++;
        const char c = text[start];
        if (c == '"') {  // a string, escapes and all
            while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
            i = std::min(i + 1, text.size());
        } else if (digit(c) || (c == '-' && i < text.size() && digit(text[i]))) {
            while (i < text.size() && in_number(text[i])) ++i;
        } else if (letter(c) || c == '-') {
            while (i < text.size() && letter(text[i])) ++i;
            const std::string_view word(text.data() + start, i - start);
            out += word == "true" || word == "false" || word == "null" ? word : std::string_view("null");
            continue;
        }
        out.append(text, start, i - start);
    }
    return out;
}

json read_json(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return json::parse(without_nan(text.str()));
    } catch (const json::parse_error& e) {
        throw std::runtime_error(path.string() + " is not JSON: " + e.what());
    }
}

// Google Benchmark's unit for a run's times, as a factor to microseconds.
double to_microseconds(const std::string& unit) {
    if (unit == "ns") return 1e-3;
    if (unit == "us") return 1.0;
    if (unit == "ms") return 1e3;
    if (unit == "s") return 1e6;
    throw std::runtime_error("unknown time_unit \"" + unit + "\"");
}

// The keys of a run that are Google Benchmark's own; every other number is a counter.
const std::set<std::string>& reserved_keys() {
    static const std::set<std::string> keys = {
        "name",       "family_index", "per_family_instance_index", "run_name",       "run_type",
        "repetitions", "repetition_index", "threads",              "iterations",     "real_time",
        "cpu_time",   "time_unit",    "aggregate_name",            "aggregate_unit", "label",
        "error_occurred", "error_message"};
    return keys;
}

Run parse_run(const json& entry) {
    Run run;
    const double scale = to_microseconds(entry.value("time_unit", "ns"));
    run.cpu_us = entry.value("cpu_time", 0.0) * scale;
    run.real_us = entry.value("real_time", 0.0) * scale;
    run.label = entry.value("label", "");
    if (entry.value("error_occurred", false)) run.error = entry.value("error_message", "error");
    for (const auto& [key, value] : entry.items())
        if (value.is_number() && !reserved_keys().contains(key)) run.counters[key] = value.get<double>();
    return run;
}

// "5/4" for the shape, from one entry of the script's lists.
std::map<std::string, double> per_step(const json& list, bool square) {
    std::map<std::string, double> times;
    for (const json& e : list) {
        const std::string m = std::to_string(e.at(square ? "n" : "m").get<int>());
        times[m + "/" + std::to_string(e.at("n").get<int>())] = e.at("us_per_step").get<double>();
    }
    return times;
}

}  // namespace

std::optional<double> Run::counter(const std::string& name) const {
    const auto it = counters.find(name);
    return it == counters.end() ? std::nullopt : std::optional<double>(it->second);
}

BenchmarkResults BenchmarkResults::load(const std::filesystem::path& path) {
    const json doc = read_json(path);
    if (!doc.contains("benchmarks") || !doc["benchmarks"].is_array())
        throw std::runtime_error(path.string() + " has no \"benchmarks\" array: is it Google Benchmark's JSON?");
    BenchmarkResults results;
    results.context_ = doc.value("context", json::object());
    std::set<std::string> from_median;
    // Where each benchmark was registered (family, then instance): the order the report lists them in, whatever the
    // order they ran in (make bench interleaves repetitions at random).
    std::map<std::string, std::pair<long, long>> registered;
    try {
        for (const json& entry : doc["benchmarks"]) {
            const std::string name = entry.value("run_name", entry.at("name").get<std::string>());
            const bool aggregate = entry.value("run_type", "iteration") == "aggregate";
            if (aggregate && entry.value("aggregate_name", "") != "median") continue;  // mean, stddev, cv
            if (entry.contains("family_index") && entry.contains("per_family_instance_index"))
                registered.emplace(name, std::pair{entry["family_index"].get<long>(),
                                                   entry["per_family_instance_index"].get<long>()});
            if (!results.runs_.contains(name)) results.order_.push_back(name);
            // The median wins over any single repetition; otherwise the first repetition stands.
            if (aggregate) {
                results.runs_[name] = parse_run(entry);
                from_median.insert(name);
            } else if (!from_median.contains(name) && !results.runs_.contains(name)) {
                results.runs_[name] = parse_run(entry);
            }
        }
    } catch (const std::exception& e) {
        throw std::runtime_error(path.string() + ": " + e.what());
    }
    if (registered.size() == results.order_.size())  // else (older JSON) the order they appear in
        std::stable_sort(results.order_.begin(), results.order_.end(),
                         [&](const std::string& a, const std::string& b) { return registered.at(a) < registered.at(b); });
    return results;
}

const Run* BenchmarkResults::find(const std::string& name) const {
    const auto it = runs_.find(name);
    return it == runs_.end() ? nullptr : &it->second;
}

std::vector<std::string> BenchmarkResults::names_starting_with(std::string_view prefix) const {
    std::vector<std::string> names;
    for (const std::string& name : order_)
        if (name.starts_with(prefix)) names.push_back(name);
    return names;
}

std::optional<PytorchResults> PytorchResults::load(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    const json doc = read_json(path);
    try {
        PytorchResults results;
        results.context = doc.at("context");
        results.command = doc.value("command", "");
        results.svd_step_tutorial = per_step(doc.at("svd_step_tutorial"), false);
        results.svd_step_broadcast = per_step(doc.at("svd_step_broadcast"), false);
        results.inverse_step = per_step(doc.at("inverse_step"), true);
        if (doc.contains("tutorial_run")) {
            const json& run = doc["tutorial_run"];
            results.tutorial_run_ms = run.at("seconds").get<double>() * 1e3;
            results.tutorial_run_final_loss = run.at("final_loss").get<double>();
            results.tutorial_run_singular_values = run.value("singular_values", std::vector<double>{});
        }
        return results;
    } catch (const json::exception& e) {
        throw std::runtime_error(path.string() + " is not bench/pytorch_reference.py's output: " + e.what());
    }
}

std::vector<std::string> step_sizes(const BenchmarkResults& results, const std::string& problem) {
    const std::string prefix = problem + "_step_autodiff/";
    std::vector<std::string> sizes;
    for (const std::string& name : results.names_starting_with(prefix)) sizes.push_back(name.substr(prefix.size()));
    return sizes;
}

StepPair step_pair(const BenchmarkResults& results, const std::string& problem, const std::string& args) {
    return {results.find(problem + "_step_autodiff/" + args), results.find(problem + "_step_handwritten/" + args)};
}

}  // namespace tapegrad::report
