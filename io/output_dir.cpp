#include "io/output_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace tapegrad {

namespace {

std::string why(int error) { return std::strerror(error); }

constexpr std::string_view staging_prefix = ".tapegrad-staging-";

// Removes the staging directories in dir of runs that were killed before they could (.tapegrad-staging-<pid>-…,
// with no process <pid> any more). One whose process lives may be another run's, writing now: it stays.
void remove_abandoned_staging(const std::filesystem::path& dir) {
    std::error_code error;  // a directory that cannot be listed is left as it is; the next step says why
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(staging_prefix)) continue;
        const std::string rest = name.substr(staging_prefix.size());
        const std::size_t dash = rest.find('-');
        if (dash == 0 || dash == std::string::npos || dash > 9 || rest.find_first_not_of("0123456789") != dash) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
        if (::kill(pid, 0) != 0 && errno == ESRCH) {
            std::error_code ignored;  // at worst it is left for the next run
            std::filesystem::remove_all(it->path(), ignored);
        }
    }
}

// Makes dir/.tapegrad-staging-<pid>-XXXXXX by mkdtemp (a fresh name, readable by its owner alone); an empty path,
// with errno set, if it cannot.
std::filesystem::path fresh_directory(const std::filesystem::path& dir) {
    std::string pattern = (dir / (std::string(staging_prefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) return {};
    return pattern;
}

}  // namespace

OutputDir::OutputDir(std::filesystem::path dir) : dir_(std::move(dir)) {
    const std::string name = dir_.string();
    std::error_code error;
    std::filesystem::create_directories(dir_, error);
    if (error) throw std::runtime_error(name + ": cannot create the directory (" + error.message() + ")");
    if (!std::filesystem::is_directory(dir_, error)) throw std::runtime_error(name + ": not a directory");
    remove_abandoned_staging(dir_);
    staging_ = fresh_directory(dir_);
    if (staging_.empty()) throw std::runtime_error(name + ": cannot write in the directory (" + why(errno) + ")");
}

OutputDir::~OutputDir() {
    std::error_code ignored;  // a destructor does not throw; at worst a staging directory is left behind
    if (!committed_) std::filesystem::remove_all(staging_, ignored);
}

void OutputDir::write(const std::string& name, std::string_view text) const {
    const std::filesystem::path path = staging_ / name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(target(name).string() + ": cannot create the file (" + why(errno) + ")");
    while (!text.empty()) {
        const ssize_t wrote = ::write(fd, text.data(), text.size());
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) {
            const int error = errno;
            ::close(fd);
            throw std::runtime_error(target(name).string() + ": cannot write the file (" + why(error) + ")");
        }
        text.remove_prefix(static_cast<std::size_t>(wrote));
    }
    if (::close(fd) != 0) throw std::runtime_error(target(name).string() + ": cannot write the file (" + why(errno) + ")");
}

void OutputDir::remove_at_commit(const std::string& name) { stale_.push_back(name); }

void OutputDir::commit() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(staging_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    // All or nothing: before a new file replaces an old one, the old one gets a second name (a hard link) in
    // `previous`, so that if a later move is refused, the moves already made are undone and the last run's files are
    // left as they were. The link never leaves the target missing, as moving it aside would. A new file with no old
    // one is taken away again; an old one that could not be linked (a file system without hard links) is gone once
    // replaced, and the message says so.
    // `previous` is a second fresh directory beside the staging one, not inside it, so that no file of the run
    // can share its name; it carries the same prefix, so a run killed mid-commit leaves nothing the next one keeps.
    const std::filesystem::path previous = fresh_directory(dir_);
    const bool no_previous = previous.empty();
    struct Moved {
        std::string name;
        bool had_old, kept_old;
    };
    std::vector<Moved> moved;
    for (const std::string& name : names) {
        std::error_code ignored;  // a status that cannot be read counts as an old file, which is then never removed
        const std::filesystem::file_status old_status = std::filesystem::symlink_status(target(name), ignored);
        const bool had_old = old_status.type() != std::filesystem::file_type::not_found;
        const bool kept_old = had_old && !no_previous && ::link(target(name).c_str(), (previous / name).c_str()) == 0;
        if (std::rename((staging_ / name).c_str(), target(name).c_str()) == 0) {
            moved.push_back({name, had_old, kept_old});
            continue;
        }
        const int error = errno;
        std::size_t not_undone = 0;
        for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
            const std::string to = target(it->name).string();
            bool undone = false;  // an old file that was not kept is gone: the new one stays
            if (it->kept_old)
                undone = std::rename((previous / it->name).c_str(), to.c_str()) == 0;  // the old file under its name again
            else if (!it->had_old)
                undone = std::remove(to.c_str()) == 0;  // there was none: the new one goes
            if (!undone) ++not_undone;
        }
        std::string what = "no file was replaced";
        if (not_undone == 0)
            std::filesystem::remove_all(previous, ignored);
        else  // the old files that could not be put back are still in `previous`: say where, and leave them there
            what = std::to_string(not_undone) + " file(s) already replaced could not be put back" +
                   (no_previous ? "" : " (the old ones that were kept are in " + previous.string() + ")");
        throw std::runtime_error(target(name).string() + ": cannot move the new file into place (" + why(error) + "); " + what);
    }
    for (const std::string& name : stale_)
        if (!std::binary_search(names.begin(), names.end(), name)) {
            std::error_code ignored;  // gone already is as good
            std::filesystem::remove(target(name), ignored);
        }
    committed_ = true;
    std::error_code ignored;
    std::filesystem::remove_all(staging_, ignored);
    if (!no_previous) std::filesystem::remove_all(previous, ignored);
}

}  // namespace tapegrad
