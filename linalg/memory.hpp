#pragma once
// The size guard: before a run allocates, compare the memory it will need with what the machine has free, and
// refuse a run that cannot fit with a message that names both, rather than die of it (or be killed) half way.
// Each problem estimates its own need (svd_memory_need in svd.hpp, inverse_memory_need in inverse.hpp): a
// count of the matrices its method holds at once, each of known shape.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace tapegrad {

// Thrown when a run would need more memory than is available.
class OutOfMemory : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bytes of memory available to a new allocation now: /proc/meminfo's MemAvailable (what the kernel can hand out
// without swapping), else sysconf's free pages; the largest std::size_t where neither is known.
std::size_t available_memory();

// "3.20 GB", "512 MB", "12.0 kB": bytes in decimal units, 3 significant digits.
std::string bytes_text(double bytes);

// Throws OutOfMemory "<who>: <what> needs about <need> of memory, and <available> is available<hint>" when need is
// more than available_memory(); an empty who leaves out "<who>: " (a demo's own error prefix says it). A need
// of 64 MB or less passes unasked. `hint` (e.g. "; the 10 largest triplets alone would need ...") may be empty.
void check_memory(const std::string& who, const std::string& what, double need, const std::string& hint = "");

}  // namespace tapegrad
