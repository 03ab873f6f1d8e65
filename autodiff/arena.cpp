#include "autodiff/arena.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace tapegrad {

namespace {
constexpr std::size_t first_block_doubles = 4096;  // 32 KiB: the tutorial's whole SVD step fits in one block

std::unique_ptr<double[]> uninitialised(std::size_t n) { return std::unique_ptr<double[]>(new double[n]); }
}  // namespace

std::size_t Arena::doubles(Shape shape) {
    const std::size_t most = std::numeric_limits<std::size_t>::max() - 3;
    if (shape.cols != 0 && shape.rows > most / shape.cols)
        throw std::length_error("Arena: a " + to_string(shape) + " matrix has more entries than a size_t can count");
    return (shape.size() + 3) & ~std::size_t{3};
}

void Arena::grow(std::size_t n) {
    // A later block from an earlier pass, if one has room; else a new block.
    std::size_t next = next_ == nullptr ? 0 : current_ + 1;
    while (next < blocks_.size() && blocks_[next].size < n) ++next;
    if (next >= blocks_.size()) {
        // Grow geometrically, so a pass needs few blocks while warming up.
        const std::size_t size = std::max({n, first_block_doubles, blocks_.empty() ? 0 : 2 * blocks_.back().size});
        blocks_.push_back({uninitialised(size), size});
        next = blocks_.size() - 1;
    }
    start_block(next);
}

void Arena::merge_blocks() {
    const std::size_t total = capacity();
    blocks_.clear();
    blocks_.push_back({uninitialised(total), total});
}

void Arena::zero() {
    if (next_ == nullptr) return;
    for (std::size_t b = 0; b < current_; ++b)  // earlier blocks of this pass: all of each
        std::fill(blocks_[b].data.get(), blocks_[b].data.get() + blocks_[b].size, 0.0);
    std::fill(blocks_[current_].data.get(), next_, 0.0);
}

std::size_t Arena::capacity() const {
    std::size_t total = 0;
    for (const Block& b : blocks_) total += b.size;
    return total;
}

}  // namespace tapegrad
