#include "autodiff/lifetime.hpp"

#include <mutex>
#include <unordered_map>

namespace tapegrad::lifetime {

namespace {

// One map for the process, behind a lock: a tape may be made on one thread and its Vars read on another.
struct Registry {
    std::mutex mutex;
    std::unordered_map<std::uintptr_t, Kind> objects;
};

Registry& registry() {
    // Built on first use, so a Tape in another file's static initialiser finds it, and never destroyed, so one
    // destroyed after main() returns still finds it.
    static Registry* const r = new Registry;
    return *r;
}

}  // namespace

void born(std::uintptr_t address, Kind kind) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    r.objects.insert_or_assign(address, kind);
}

void died(std::uintptr_t address) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    r.objects.erase(address);
}

bool alive(std::uintptr_t address, Kind kind) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto found = r.objects.find(address);
    return found != r.objects.end() && found->second == kind;
}

}  // namespace tapegrad::lifetime
