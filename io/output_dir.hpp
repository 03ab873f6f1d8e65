#pragma once
// A run's output files, written together or not at all, and never through a link someone planted.
//
//     OutputDir out("out");                   // checks or creates out/ now, before any computing
//     out.write("svd_losses.csv", csv);        // into a fresh staging directory inside out/
//     plot::Script(...).draw(out, "svd_convergence");  // gnuplot writes there too
//     out.commit();                            // each file renamed over its name in out/
//
// The staging directory is made by mkdtemp (a fresh name, readable by its owner alone), and each file in it is
// created exclusively (O_EXCL) without following a symbolic link (O_NOFOLLOW). rename() replaces what stands at
// the target name, a symbolic link included, without writing through it. If the run fails before commit(), the
// staging directory goes and the files of the last run stay as they were, all of them. A run killed outright
// (Ctrl-C) cannot clean up: its staging directory carries its process id, and the next OutputDir on the same
// directory removes those whose process is gone (as this machine sees processes: a run in another PID namespace
// writing into the same directory would look gone).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrad {

class OutputDir {
public:
    // Creates dir if it is missing; throws std::runtime_error naming it if it cannot, or if it is not a directory
    // one can write in.
    explicit OutputDir(std::filesystem::path dir);
    ~OutputDir();  // discards the staging directory unless committed
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    // Where a file of that name lands at commit(), as messages name it.
    std::filesystem::path target(const std::string& name) const { return dir_ / name; }
    // Where files are written until then: a tool that writes files (gnuplot, dot) runs in it.
    const std::filesystem::path& staging() const { return staging_; }

    // Writes text to staging()/name. Throws std::runtime_error naming the file if it cannot.
    void write(const std::string& name, std::string_view text) const;
    // At commit(), removes an old target/name that this run did not replace (a picture not redrawn must not be
    // taken for a new one).
    void remove_at_commit(const std::string& name);
    // Renames every file in staging() over its target, removes the old ones named to remove_at_commit(), and
    // removes staging(). All or nothing: if a file cannot be moved, the ones already moved are put back as they
    // were, and std::runtime_error names the file (and says if any could not be put back).
    void commit();

private:
    std::filesystem::path dir_, staging_;
    std::vector<std::string> stale_;
    bool committed_ = false;
};

}  // namespace tapegrad
