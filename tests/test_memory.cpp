// The size guard (linalg/memory.hpp): a run that cannot fit the machine's memory is refused before it allocates,
// with a message naming the size, the need and what is available.
#include <doctest/doctest.h>

#include <string>

#include "helpers.hpp"
#include "linalg/inverse/inverse.hpp"
#include "linalg/memory.hpp"
#include "linalg/svd/svd.hpp"

using namespace tapegrad;
using testing::error_message;

TEST_CASE("bytes_text: decimal units, three significant digits") {
    CHECK(bytes_text(512) == "512 bytes");
    CHECK(bytes_text(12'000) == "12 kB");
    CHECK(bytes_text(3.2e9) == "3.2 GB");
    CHECK(bytes_text(6.55e12) == "6.55 TB");
}

TEST_CASE("check_memory: passes what fits, refuses what cannot, naming both numbers") {
    const double available = static_cast<double>(available_memory());
    CHECK(available > 1e6);  // any machine that runs the tests has a megabyte free
    CHECK_NOTHROW(check_memory("f", "a small run", 1e3));
    CHECK_THROWS_AS(check_memory("f", "a huge run", 1e3 * available), OutOfMemory);
    const std::string message = error_message([&] { check_memory("f", "a huge run", 1e21, "; try less"); });
    CHECK(message.starts_with("f: a huge run needs about 1e+03 EB of memory, and "));
    CHECK(message.ends_with(" is available; try less"));
}

TEST_CASE("the estimates: a truncated SVD needs far less than the full one; CG keeps its directions") {
    CHECK(svd_memory_need(2000, 1000, TrustRegionOptions{.rank = 5}) < svd_memory_need(2000, 1000, TrustRegionOptions{}) / 10);
    // A Riemannian method's need is linear in k beyond its copies of M: 3·m·n doubles and 40·(m + n)·k.
    CHECK(svd_memory_need(100, 50, StiefelCgOptions{.rank = 1}) == 8.0 * (3 * 100 * 50 + 40 * 150 + 10));
    CHECK(inverse_memory_need(200, ConjugateGradientOptions{}) > 10 * inverse_memory_need(200, NewtonSchulzOptions{}));
}

TEST_CASE("the guard in the solvers: a 100000x100000 SVD or inverse is refused before anything is allocated") {
    const std::string svd = error_message([] { check_svd_memory("svd_by_descent", 100'000, 100'000, TrustRegionOptions{}); });
    CHECK(svd.starts_with("svd_by_descent: an SVD of a 100000x100000 matrix by trust-region needs about 7.44 TB of memory"));
    CHECK(svd.find("the 10 largest triplets alone (rank = 10) would need about 241 GB") != std::string::npos);
    const std::string inverse =
        error_message([] { check_inverse_memory("inverse_by_descent", 100'000, NewtonSchulzOptions{}); });
    CHECK(inverse.starts_with("inverse_by_descent: an inverse of a 100000x100000 matrix by newton_schulz needs about 1.6 TB"));
}
