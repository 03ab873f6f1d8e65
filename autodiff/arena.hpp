#pragma once
// The tape's memory: a bump allocator. Allocation moves a pointer; reset() rewinds it and keeps the blocks,
// so an iteration that records the same expression again allocates nothing from the heap (Stan Math's
// recover_memory). If one pass needed several blocks, reset() merges them into one big enough for all.
#include <cstddef>
#include <memory>
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

class Arena {
public:
    // Uninitialised room for a rows x cols matrix, valid until the next reset(). The common case (room left in
    // the current block) is a pointer bump, inline; grow() handles the rest.
    MatrixRef allocate(Shape shape) {
        // Round up to 4 doubles (32 bytes), so every matrix starts on a SIMD-friendly boundary in its block.
        const std::size_t n = (shape.size() + 3) & ~std::size_t{3};
        if (current_ >= blocks_.size() || used_ + n > blocks_[current_].size) grow(n);
        double* data = blocks_[current_].data.get() + used_;
        used_ += n;
        return {data, shape.rows, shape.cols};
    }
    // Forget every allocation; keep (and if needed merge) the blocks for the next pass.
    void reset();
    // Set everything allocated since the last reset() to 0.
    void zero();
    // Doubles held in blocks, used or not.
    std::size_t capacity() const;

private:
    void grow(std::size_t n);  // makes the current block one with room for n doubles

    struct Block {
        std::unique_ptr<double[]> data;
        std::size_t size = 0;
    };
    std::vector<Block> blocks_;
    std::size_t current_ = 0;  // the block we bump in
    std::size_t used_ = 0;     // doubles used in it
};

}  // namespace tapegrad
