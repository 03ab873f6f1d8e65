#pragma once
// Seeded uniform random numbers that are the same on every platform. std::mt19937_64 is fully specified by the
// standard; std::uniform_real_distribution is not (libstdc++ and libc++ differ), so we convert bits ourselves.
#include <cstdint>
#include <random>

namespace tapegrad {

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    // Uniform in [0, 1): the top 53 bits of one draw, scaled by 2^-53, so every value is exactly representable.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    // Uniform in [low, high).
    double uniform(double low, double high) { return low + (high - low) * uniform(); }

    // Standard normal by Box–Muller (again our own, so it is platform-independent).
    double normal();

private:
    std::mt19937_64 engine_;
};

}  // namespace tapegrad
