#include "autodiff/arena.hpp"

#include <algorithm>

namespace tapegrad {

namespace {
constexpr std::size_t first_block_doubles = 4096;  // 32 KiB: the tutorial's whole SVD step fits in one block

std::unique_ptr<double[]> uninitialised(std::size_t n) { return std::unique_ptr<double[]>(new double[n]); }
}  // namespace

void Arena::grow(std::size_t n) {
    while (current_ >= blocks_.size() || used_ + n > blocks_[current_].size) {
        if (current_ + 1 < blocks_.size()) {  // a later block from an earlier pass
            ++current_;
            used_ = 0;
            continue;
        }
        // Grow geometrically, so a pass needs few blocks while warming up.
        const std::size_t size = std::max({n, first_block_doubles, blocks_.empty() ? 0 : 2 * blocks_.back().size});
        blocks_.push_back({uninitialised(size), size});
        current_ = blocks_.size() - 1;
        used_ = 0;
    }
}

void Arena::reset() {
    if (blocks_.size() > 1) {
        const std::size_t total = capacity();
        blocks_.clear();
        blocks_.push_back({uninitialised(total), total});
    }
    current_ = 0;
    used_ = 0;
}

void Arena::zero() {
    for (std::size_t b = 0; b < current_ && b < blocks_.size(); ++b)  // earlier blocks of this pass: all of each
        std::fill(blocks_[b].data.get(), blocks_[b].data.get() + blocks_[b].size, 0.0);
    if (current_ < blocks_.size()) std::fill(blocks_[current_].data.get(), blocks_[current_].data.get() + used_, 0.0);
}

std::size_t Arena::capacity() const {
    std::size_t total = 0;
    for (const Block& b : blocks_) total += b.size;
    return total;
}

}  // namespace tapegrad
