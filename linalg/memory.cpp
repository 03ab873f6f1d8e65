#include "linalg/memory.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace tapegrad {

std::size_t available_memory() {
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);)
        if (line.starts_with("MemAvailable:")) {
            std::istringstream fields(line.substr(13));
            std::size_t kilobytes = 0;
            if (fields >> kilobytes) return kilobytes * 1024;
        }
    const long pages = sysconf(_SC_AVPHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0) return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size);
    return std::numeric_limits<std::size_t>::max();
}

std::string bytes_text(double bytes) {
    const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
    int unit = 0;
    while (bytes >= 1000.0 && unit < 6) {
        bytes /= 1000.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.3g %s", bytes, units[unit]);
    return buffer;
}

void check_memory(const std::string& who, const std::string& what, double need, const std::string& hint) {
    // Reading /proc/meminfo takes longer than a small solve: a need any machine that runs tapegrad has is not
    // worth asking about.
    constexpr double always_there = 64e6;
    if (need <= always_there) return;
    const double available = static_cast<double>(available_memory());
    if (need <= available) return;
    throw OutOfMemory((who.empty() ? "" : who + ": ") + what + " needs about " + bytes_text(need) + " of memory, and " + bytes_text(available) +
                      " is available" + hint);
}

}  // namespace tapegrad
