#pragma once
// Heap allocations made by this executable so far. allocation_counter.cpp replaces the global operator new and
// new[] with versions that count, so a benchmark can read the count before and after its timed loop.
namespace tapegrad::bench {

long heap_allocations();

}  // namespace tapegrad::bench
