#include "autodiff/lifetime.hpp"

#include <mutex>
#include <unordered_set>

namespace tapegrad::lifetime {

namespace {

// One set for the process, behind a lock: a tape may be made on one thread and its Vars read on another.
struct Registry {
    std::mutex mutex;
    std::unordered_set<std::uintptr_t> objects;
};

Registry& registry() {
    // Built on first use, so a Tape in another file's static initialiser finds it, and never destroyed, so one
    // destroyed after main() returns still finds it.
    static Registry* const r = new Registry;
    return *r;
}

}  // namespace

void born(std::uintptr_t address) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    r.objects.insert(address);
}

void died(std::uintptr_t address) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    r.objects.erase(address);
}

bool alive(std::uintptr_t address) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    return r.objects.contains(address);
}

}  // namespace tapegrad::lifetime
