#pragma once
// The tape's memory: a bump allocator. Allocation moves a pointer; reset() rewinds it and keeps the blocks,
// so an iteration that records the same expression again allocates nothing from the heap (Stan Math's
// recover_memory). If one pass needed several blocks, reset() merges them into one big enough for all.
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "autodiff/matrix.hpp"

namespace tapegrad {

class Arena {
public:
    Arena() = default;
    // The blocks move with the cursor; the arena moved from is left empty, its cursor null.
    Arena(Arena&& other) noexcept { *this = std::move(other); }
    Arena& operator=(Arena&& other) noexcept {
        blocks_ = std::exchange(other.blocks_, {});
        current_ = std::exchange(other.current_, 0);
        next_ = std::exchange(other.next_, nullptr);
        end_ = std::exchange(other.end_, nullptr);
        return *this;
    }

    // Uninitialised room for a rows x cols matrix, valid until the next reset(). The common case (room left in
    // the current block) is two compares and a pointer bump, inline; grow() handles the rest. (The cursor is a
    // pointer, not a block number and an offset: every node's record allocates, so this is on the hot path.)
    MatrixRef allocate(Shape shape) {
        // Round up to 4 doubles (32 bytes), so every matrix starts on a SIMD-friendly boundary in its block. Below
        // 2³² rows and columns the product and the rounding cannot overflow; above, doubles() checks them.
        const std::size_t n = ((shape.rows | shape.cols) >> 32) == 0 ? (shape.size() + 3) & ~std::size_t{3}
                                                                      : doubles(shape);
        if (next_ == nullptr || n > static_cast<std::size_t>(end_ - next_)) grow(n);
        double* data = next_;
        next_ += n;
        return {data, shape.rows, shape.cols};
    }
    // Forget every allocation; keep (and if needed merge) the blocks for the next pass. Inline: the tape resets
    // three arenas per step, each a call with saved registers where the usual case is three stores (issue 12).
    void reset() {
        if (blocks_.size() > 1) merge_blocks();
        if (!blocks_.empty()) start_block(0);
    }
    // Set everything allocated since the last reset() to 0.
    void zero();
    // Doubles held in blocks, used or not.
    std::size_t capacity() const;

private:
    // The doubles a matrix of that shape takes, rounded up to 4; throws std::length_error naming the shape if
    // the count does not fit in a size_t.
    static std::size_t doubles(Shape shape);
    void grow(std::size_t n);           // makes the current block one with room for n doubles
    void merge_blocks();                // replaces the blocks by one as large as all of them
    void start_block(std::size_t b) {   // bump from the start of block b
        current_ = b;
        next_ = blocks_[b].data.get();
        end_ = next_ + blocks_[b].size;
    }

    struct Block {
        std::unique_ptr<double[]> data;
        std::size_t size = 0;
    };
    std::vector<Block> blocks_;
    std::size_t current_ = 0;  // the block we bump in
    double* next_ = nullptr;   // its first free double (null before the first block)
    double* end_ = nullptr;    // one past its last
};

}  // namespace tapegrad
