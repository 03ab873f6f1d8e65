#pragma once
// Which tapes and parameters are alive, for the builds that check (Debug, and the asan preset: CMake's
// TAPEGRAD_CHECK_LIFETIMES). A Var names its Tape by address, and a parameter's leaf names its Parameter by address:
// a Var used after its tape was destroyed, or a backward() after a recorded Parameter was destroyed, would read or
// write freed memory. In a checking build every Tape and Parameter registers its address while it lives, and the
// engine asks alive() before it follows such an address, so the mistake is a std::logic_error naming it. Release
// builds compile the checks away: they cost a lock and a lookup on every op.
#include <cstdint>

namespace tapegrad::lifetime {

#ifdef TAPEGRAD_CHECK_LIFETIMES
inline constexpr bool checked = true;
#else
inline constexpr bool checked = false;
#endif

// The registry (lifetime.cpp): addresses of the Tracked objects alive now, shared by all threads. An address is
// taken as a number: it is only compared, never followed (and GCC would otherwise take the pointer to a
// still-constructing object as a read of it).
void born(std::uintptr_t address);
void died(std::uintptr_t address);
bool alive(std::uintptr_t address);
inline bool alive(const void* object) { return alive(reinterpret_cast<std::uintptr_t>(object)); }

// A base that registers the object while it lives (the first and only base, so its address is the object's).
// A copy or a move is a new object at a new address; assignment keeps each object where it is.
class Tracked {
protected:
    Tracked() noexcept {
        if constexpr (checked) born(reinterpret_cast<std::uintptr_t>(this));
    }
    Tracked(const Tracked&) noexcept : Tracked() {}
    Tracked& operator=(const Tracked&) noexcept { return *this; }
    ~Tracked() {
        if constexpr (checked) died(reinterpret_cast<std::uintptr_t>(this));
    }
};

}  // namespace tapegrad::lifetime
