// libFuzzer target for the matrix-file reader (make fuzz): any bytes either parse or are refused with a
// std::runtime_error, never a crash, a hang or undefined behaviour (the build has ASan and UBSan); and what
// parses, written back by format_matrix, reads back to the bit.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "io/matrix_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    tapegrad::Matrix m;
    try {
        m = tapegrad::parse_matrix(text, "fuzz");
    } catch (const std::runtime_error&) {
        return 0;  // refused, with a message: what bad input should get
    }
    // An exception from here on escapes, and libFuzzer reports it as a crash.
    const tapegrad::Matrix back = tapegrad::parse_matrix(tapegrad::format_matrix(m), "round trip");
    if (back.shape() != m.shape() || std::memcmp(back.data(), m.data(), m.size() * sizeof(double)) != 0)
        __builtin_trap();  // written and read back, a number changed
    return 0;
}
