#include "io/plot.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

extern char** environ;

namespace tapegrad::plot {

namespace {

// The shortest text that reads back as exactly x: 0.1, 1e-30.
std::string number_text(double x) {
    char text[32];
    return std::string(text, std::to_chars(text, text + sizeof text, x).ptr);
}

// A gnuplot string literal: in double quotes, with \ and " escaped.
std::string quoted(const std::string& text) {
    std::string q = "\"";
    for (const char c : text) {
        if (c == '\\' || c == '"') q += '\\';
        q += c;
    }
    return q + "\"";
}

std::string_view script_text(std::string_view name) {
    std::string names;
    for (const ScriptFile& f : script_files()) {
        if (f.name == name) return f.text;
        names += (names.empty() ? "" : ", ") + std::string(f.name);
    }
    throw std::invalid_argument("no plot script named \"" + std::string(name) + "\" in io/plots/ (there are " + names + ")");
}

// Runs `tool args...` in dir and waits for it: "" if it ran and exited 0, else why not. posix_spawnp reports a
// tool that is not on the PATH as ENOENT, so a missing tool is told apart from one that failed.
std::string run_tool(const std::filesystem::path& dir, std::vector<std::string> args, const std::string& package) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    pid_t pid = 0;
    const int error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error == ENOENT) return args[0] + " is not installed (Debian package " + package + ")";
    if (error != 0) return "cannot run " + args[0] + ": " + std::strerror(error);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return "lost " + args[0] + ": " + std::strerror(errno);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    return args[0] + " failed (" +
           (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status)) : "killed by a signal") +
           "; its message, if any, is above)";
}

// Runs the tool that draws <stem>.svg from <stem>.<source>, in out's staging directory. Says what it wrote on
// stdout, or what it did not draw and why on stderr; an old picture of that name then goes at commit, so a failed
// run never leaves one that looks new.
bool draw_svg(OutputDir& out, const std::string& stem, const std::string& source, std::vector<std::string> command,
              const std::string& package) {
    const std::string svg = stem + ".svg";
    const std::string why = run_tool(out.staging(), std::move(command), package);
    if (why.empty() && std::filesystem::exists(out.staging() / svg)) {
        std::cout << "wrote " << out.target(svg).string() << "\n";
        return true;
    }
    std::error_code ignored;
    std::filesystem::remove(out.staging() / svg, ignored);  // what a failed run left, if anything
    out.remove_at_commit(svg);
    std::cerr << out.target(svg).string() << " was not drawn: " << (why.empty() ? "the tool wrote no file" : why)
              << ". Its input is " << out.target(stem + "." + source).string() << ".\n";
    return false;
}

}  // namespace

void write_csv(const OutputDir& out, const std::string& name, const std::string& x_name, const std::vector<Series>& series) {
    std::vector<double> xs;  // every x of any series, once, ascending
    for (const Series& s : series)
        for (const auto& [x, y] : s.points) xs.push_back(x);
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

    std::string text = x_name;
    for (const Series& s : series) text += "," + s.name;
    text += "\n";
    std::vector<std::size_t> next(series.size(), 0);  // each series' next point
    for (const double x : xs) {
        text += number_text(x);
        for (std::size_t k = 0; k < series.size(); ++k) {
            text += ",";
            const auto& points = series[k].points;
            if (next[k] < points.size() && points[next[k]].first == x) text += number_text(points[next[k]++].second);
        }
        text += "\n";
    }
    out.write(name, text);
}

Script::Script(std::string name) : name_(std::move(name)) { script_text(name_); }

Script& Script::set(const std::string& variable, const std::string& text) {
    settings_ += variable + " = " + quoted(text) + "\n";
    return *this;
}

Script& Script::set(const std::string& variable, double number) {
    settings_ += variable + " = " + number_text(number) + "\n";
    return *this;
}

Script& Script::set_array(const std::string& variable, const std::vector<std::string>& texts) {
    settings_ += "array " + variable + "[" + std::to_string(texts.size()) + "] = [";
    for (std::size_t i = 0; i < texts.size(); ++i) settings_ += (i > 0 ? ", " : "") + quoted(texts[i]);
    settings_ += "]\n";
    return *this;
}

bool Script::draw(OutputDir& out, const std::string& stem) const {
    out.write(stem + ".gp",
               "# Written from io/plots/style.gp and io/plots/" + name_ + ", with the settings below.\n"
               "# Draw it again (after an edit, say) in this directory: gnuplot " + stem + ".gp\n" + settings_ +
               "output = " + quoted(stem + ".svg") + "\n\n" + std::string(script_text("style.gp")) + "\n" +
               std::string(script_text(name_)));
    return draw_svg(out, stem, "gp", {"gnuplot", stem + ".gp"}, "gnuplot-nox");
}

bool draw_graph(OutputDir& out, const std::string& stem, const std::string& dot) {
    out.write(stem + ".dot", dot);
    return draw_svg(out, stem, "dot", {"dot", "-Tsvg", stem + ".dot", "-o", stem + ".svg"}, "graphviz");
}

}  // namespace tapegrad::plot
