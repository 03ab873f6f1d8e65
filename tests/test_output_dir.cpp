// io/output_dir.hpp: a run's files appear together at commit, never through a planted symbolic link, and a run
// that fails leaves the old files as they were.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.hpp"
#include "io/output_dir.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::read_file;
using testing::TempDir;

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

// The names in dir, sorted.
std::vector<std::string> names_in(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("OutputDir: files appear at commit, all together, and the staging directory goes") {
    const TempDir dir;
    const std::filesystem::path out = dir / "new" / "out";  // created, parents too
    {
        OutputDir o(out);
        CHECK(std::filesystem::is_directory(out));
        o.write("a.csv", "1,2\n");
        o.write("b.gp", "plot 1\n");
        CHECK(names_in(out).size() == 1);  // only the staging directory so far
        CHECK(o.target("a.csv") == out / "a.csv");
        o.commit();
    }
    CHECK(names_in(out) == std::vector<std::string>{"a.csv", "b.gp"});
    CHECK(read_file(out / "a.csv") == "1,2\n");
}

TEST_CASE("OutputDir: a run that fails before commit leaves the old files as they were, and no staging directory") {
    const TempDir dir;
    write_text(dir / "a.csv", "old\n");
    {
        OutputDir o(dir.path());
        o.write("a.csv", "new\n");
        o.write("b.csv", "new\n");
    }  // no commit: the run failed
    CHECK(names_in(dir.path()) == std::vector<std::string>{"a.csv"});
    CHECK(read_file(dir / "a.csv") == "old\n");
}

TEST_CASE("OutputDir: a move refused at commit puts back the files already moved: all or nothing") {
    const TempDir dir;
    write_text(dir / "a.csv", "old a\n");
    std::filesystem::create_directory(dir / "b.csv");  // a file cannot replace a directory: that move is refused
    write_text(dir / "b.csv" / "inside", "x");
    write_text(dir / "c.csv", "old c\n");
    {
        OutputDir o(dir.path());
        // .previous: a name of the run's own that the old files' second names must not collide with
        for (const char* name : {".previous", "a.csv", "b.csv", "c.csv", "d.csv"}) o.write(name, "new\n");
        CHECK(error_message([&] { o.commit(); }) ==
              (dir / "b.csv").string() + ": cannot move the new file into place (Is a directory); no file was replaced");
    }
    // a.csv was moved before b.csv was refused, and is the old one again; c.csv and d.csv were never moved.
    CHECK(names_in(dir.path()) == std::vector<std::string>{"a.csv", "b.csv", "c.csv"});
    CHECK(read_file(dir / "a.csv") == "old a\n");
    CHECK(read_file(dir / "c.csv") == "old c\n");
    CHECK(read_file(dir / "b.csv" / "inside") == "x");
}

TEST_CASE("OutputDir: a new file with no old one is taken away again when a later move is refused") {
    const TempDir dir;
    std::filesystem::create_directory(dir / "b.csv");
    write_text(dir / "b.csv" / "inside", "x");
    {
        OutputDir o(dir.path());
        o.write("a.csv", "new\n");
        o.write("b.csv", "new\n");
        CHECK(error_message([&] { o.commit(); }).find("b.csv: cannot move the new file into place") != std::string::npos);
    }
    CHECK(names_in(dir.path()) == std::vector<std::string>{"b.csv"});
}

TEST_CASE("OutputDir: a killed run's staging directory is removed by the next run; a live one's is kept") {
    const TempDir dir;
    const pid_t child = ::fork();  // a process id that was, and is no more
    if (child == 0) ::_exit(0);
    REQUIRE(child > 0);
    ::waitpid(child, nullptr, 0);
    const std::string dead = ".tapegrad-staging-" + std::to_string(child) + "-aB3xYz";
    const std::string live = ".tapegrad-staging-" + std::to_string(::getppid()) + "-Qw12er";  // our parent: alive
    const std::string other = ".tapegrad-staging-Zx9yWv";  // no process id: another tool's, or an older tapegrad's
    for (const std::string& name : {dead, live, other}) std::filesystem::create_directory(dir / name);
    write_text(dir / dead / "svd_losses.csv", "half a file");
    {
        OutputDir out(dir.path());
        CHECK(out.staging().filename().string().starts_with(".tapegrad-staging-" + std::to_string(::getpid()) + "-"));
    }
    CHECK(names_in(dir.path()) == std::vector<std::string>{live, other});  // sorted: digits before letters
}

TEST_CASE("OutputDir: a symbolic link planted at a target's name is replaced, its target untouched") {
    const TempDir dir, elsewhere;
    write_text(elsewhere / "precious", "keep me\n");
    std::filesystem::create_symlink(elsewhere / "precious", dir / "a.csv");
    OutputDir o(dir.path());
    o.write("a.csv", "new\n");
    o.commit();
    CHECK(read_file(elsewhere / "precious") == "keep me\n");
    CHECK_FALSE(std::filesystem::is_symlink(dir / "a.csv"));
    CHECK(read_file(dir / "a.csv") == "new\n");
}

TEST_CASE("OutputDir: a file is written once; remove_at_commit takes an old file away") {
    const TempDir dir;
    write_text(dir / "old.svg", "stale\n");
    OutputDir o(dir.path());
    o.write("a.csv", "1\n");
    CHECK(error_message([&] { o.write("a.csv", "2\n"); }).find("a.csv: cannot create the file (File exists)") != std::string::npos);
    o.remove_at_commit("old.svg");
    o.commit();
    CHECK(names_in(dir.path()) == std::vector<std::string>{"a.csv"});
}

TEST_CASE("OutputDir: a directory that cannot be made or written in is named, before anything is computed") {
    CHECK(error_message([] { OutputDir o("/proc/tapegrad"); }) == "/proc/tapegrad: cannot create the directory (No such file or directory)");
    const TempDir dir;
    write_text(dir / "file", "x");
    CHECK(error_message([&] { OutputDir o(dir / "file"); }).find("file: cannot create the directory") != std::string::npos);
    CHECK(error_message([] { OutputDir o("/proc"); }).find("/proc: cannot write in the directory") == 0);
}
