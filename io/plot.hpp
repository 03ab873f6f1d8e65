#pragma once
// Plots and graphs, drawn by well-kept tools. A program writes its numbers as CSV, and gnuplot draws them with a
// script from io/plots/ (compiled in, and written out beside the CSV, so a reader can open it, edit it and run
// it again); a tape's graph is written as Graphviz DOT (autodiff/graphviz.hpp) and drawn by `dot`. Both to SVG.
//
//     OutputDir out("out");
//     plot::write_csv(out, "svd_losses.csv", "iteration", series);
//     plot::Script("convergence.gp").set("data", "svd_losses.csv").set("title", "...").draw(out, "svd_convergence");
//     out.commit();
//
// Every file goes through an OutputDir (io/output_dir.hpp): written in its staging directory, in place at commit.
// draw() and draw_graph() say "wrote <svg>" on stdout. Without gnuplot or dot on the PATH (Debian: gnuplot-nox,
// graphviz) the CSV, the script and the DOT file are still written; they say on stderr which SVG was not drawn
// and why, and return false. What a
// program does then is its own choice: the demos go on (their results stand without a picture), the bench tools,
// whose job the pictures are, fail.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/output_dir.hpp"

namespace tapegrad::plot {

// One curve, as a column of a CSV: its points (x, y) in ascending x.
struct Series {
    std::string name{};
    std::vector<std::pair<double, double>> points{};
};

// Writes the CSV a script reads, as out's file name: a header "x_name,name,name,...", then a row for each x that any series has, with
// an empty cell where a series has none (gnuplot's lines join across it). Throws std::runtime_error naming the file.
void write_csv(const OutputDir& out, const std::string& name, const std::string& x_name, const std::vector<Series>& series);

// A script of io/plots/ with settings before it, which the script reads as gnuplot variables.
class Script {
public:
    // Throws std::invalid_argument if io/plots/ has no script of that name.
    explicit Script(std::string name);

    Script& set(const std::string& variable, const std::string& text);                 // variable = "text"
    Script& set(const std::string& variable, const char* text) { return set(variable, std::string(text)); }
    Script& set(const std::string& variable, double number);                           // variable = 1e-30
    Script& set_array(const std::string& variable, const std::vector<std::string>& texts);  // array variable = [...]

    // Writes <stem>.gp (the settings, output = "<stem>.svg", io/plots/style.gp, then the script) and runs gnuplot
    // on it, in out. True if it drew <stem>.svg; false, having said why on stderr, if not.
    bool draw(OutputDir& out, const std::string& stem) const;

private:
    std::string name_, settings_;
};

// Writes <stem>.dot and runs `dot -Tsvg` on it, in out. True if it drew <stem>.svg; false, having said why on
// stderr, if not.
bool draw_graph(OutputDir& out, const std::string& stem, const std::string& dot);

// The scripts of io/plots/, compiled in by cmake/embed_data.cmake.
struct ScriptFile {
    std::string_view name;  // e.g. "convergence.gp"
    std::string_view text;
};
const std::vector<ScriptFile>& script_files();

}  // namespace tapegrad::plot
