#pragma once
// Which tapes and parameters are alive, for the builds that check (Debug, and the asan preset: CMake's
// TAPEGRAD_CHECK_LIFETIMES). A Var names its Tape by address, and a parameter's leaf names its Parameter by address:
// a Var used after its tape was destroyed, or a backward() after a recorded Parameter was destroyed, would read or
// write freed memory. In a checking build every Tape and Parameter registers its address and its kind while it
// lives, and the engine asks alive() before it follows such an address, so the mistake is a std::logic_error naming
// it. (The kind matters: a Parameter made where a Tape was must not pass for that Tape.) What it cannot see: a new
// Parameter made at a destroyed one's address is alive, so a recording of the old one writes into the new one's
// grad. Release builds compile the checks away: they cost a lock and a lookup on every op.
#include <cstdint>

namespace tapegrad::lifetime {

#ifdef TAPEGRAD_CHECK_LIFETIMES
inline constexpr bool checked = true;
#else
inline constexpr bool checked = false;
#endif

enum class Kind : std::uint8_t { tape, parameter };

// The registry (lifetime.cpp): the address and kind of every Tracked object alive now, shared by all threads. An
// address is taken as a number: it is only compared, never followed (and GCC would otherwise take the pointer to a
// still-constructing object as a read of it).
void born(std::uintptr_t address, Kind kind);
void died(std::uintptr_t address);
bool alive(std::uintptr_t address, Kind kind);
inline bool alive(const void* object, Kind kind) { return alive(reinterpret_cast<std::uintptr_t>(object), kind); }

// A base that registers the object while it lives (the first and only base, so its address is the object's).
// A copy or a move is a new object at a new address; assignment keeps each object where it is. Registering may
// throw (std::bad_alloc) only in a checking build: there a copy or move is not noexcept.
template <Kind kind>
class Tracked {
protected:
    Tracked() noexcept(!checked) {
        if constexpr (checked) born(reinterpret_cast<std::uintptr_t>(this), kind);
    }
    Tracked(const Tracked&) noexcept(!checked) : Tracked() {}
    Tracked& operator=(const Tracked&) noexcept { return *this; }
    ~Tracked() {
        if constexpr (checked) died(reinterpret_cast<std::uintptr_t>(this));
    }
};

}  // namespace tapegrad::lifetime
