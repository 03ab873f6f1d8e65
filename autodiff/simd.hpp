#pragma once
// Four doubles as one vector register (the Parallelism TS's simd, shipped with GCC's standard library), for the
// few loops where the compiler, left to find the vector in four scalar sums, found half of it or none, and for a
// small copy that would otherwise be a call to memmove.
#include <experimental/simd>

namespace tapegrad {

using Four = std::experimental::fixed_size_simd<double, 4>;
inline constexpr auto unaligned = std::experimental::element_aligned;

}  // namespace tapegrad
