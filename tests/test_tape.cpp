#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <new>
#include <string>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"

using namespace tapegrad;
using testing::error_message;

TEST_CASE("tape: one node per op, and a cleared tape keeps its memory") {
    Tape tape;
    Parameter a(Matrix::ones(3, 3));
    const Var x = tape.param(a);
    const Var y = sum(matmul(x, x) * 2.0);
    CHECK(tape.size() == 4);  // x, matmul, scale, sum
    CHECK(y.item() == 54.0);
    const std::size_t capacity = tape.arena_capacity();
    for (int i = 0; i < 10; ++i) {
        tape.clear();
        CHECK(tape.size() == 0);
        sum(matmul(tape.param(a), tape.param(a)) * 2.0);
    }
    CHECK(tape.arena_capacity() == capacity);
}

TEST_CASE("tape: gradients accumulate into .grad until zeroed, as in PyTorch") {
    Tape tape;
    Parameter x(Matrix{{3.0}});
    const Var y = square(tape.param(x));  // dy/dx = 2x = 6
    backward(y);
    CHECK(x.grad(0, 0) == 6.0);
    backward(y);  // a second sweep over the same recording adds again
    CHECK(x.grad(0, 0) == 12.0);
    x.zero_grad();
    backward(y);
    CHECK(x.grad(0, 0) == 6.0);
}

TEST_CASE("tape: a variable used twice collects a share from each use") {
    Tape tape;
    Parameter p(Matrix{{2.0, -1.0}});
    const Var x = tape.param(p);
    backward(sum(x * x + 3.0 * x));  // d/dx = 2x + 3
    CHECK(p.grad == Matrix{{7.0, 1.0}});
    // The same parameter recorded as two leaves accumulates from both.
    tape.clear();
    p.zero_grad();
    backward(sum(tape.param(p) * tape.param(p)));
    CHECK(p.grad == Matrix{{4.0, -2.0}});
}

TEST_CASE("tape: a variable from a cleared tape is a clear error, not a crash") {
    Tape tape;
    Parameter p(Matrix{{1.0}});
    const Var x = tape.param(p);
    const Var y = x * 2.0;
    tape.clear();
    tape.param(p);  // the slot is reused by a new recording
    const std::string stale = error_message([&] { return y.value(); });
    CHECK(stale.starts_with("Var: used after its tape was cleared, or destroyed and another made in its place (node 1 "
                            "of recording "));
    CHECK(stale.find("; the tape is now at recording ") != std::string::npos);
    CHECK_THROWS_AS(backward(y), std::logic_error);
    CHECK_THROWS_AS(x * 2.0, std::logic_error);
    CHECK(error_message([] { return Var().value(); }) == "Var: used before being recorded (a default-constructed Var)");
}

TEST_CASE("tape: mixing tapes is an error") {
    Tape t1, t2;
    Parameter p(Matrix{{1.0}});
    CHECK(error_message([&] { return t1.param(p) + t2.param(p); }) == "Var: recorded on a different tape");
}

TEST_CASE("backward: a non-scalar output needs a seed of its shape") {
    Tape tape;
    Parameter p(Matrix::ones(2, 3));
    const Var y = tape.param(p) * 2.0;
    CHECK(error_message([&] { backward(y); }) ==
          "backward: the output is 2x3, not 1x1; pass a seed of that shape, e.g. backward(y, Matrix::ones(2, 3))");
    CHECK(error_message([&] { backward(y, Matrix::ones(3, 2)); }) == "backward: the seed is 3x2 but the output is 2x3");
    backward(y, Matrix{{1, 2, 3}, {4, 5, 6}});
    CHECK(p.grad == Matrix{{2, 4, 6}, {8, 10, 12}});
}

TEST_CASE("backward: nothing to differentiate is an error") {
    Tape tape;
    const Var c = tape.constant(Matrix{{1.0, 2.0}});
    CHECK_FALSE(c.requires_grad());
    CHECK(error_message([&] { backward(sum(c)); }) ==
          "backward: the output depends on no parameter (or was recorded under NoGrad)");
}

TEST_CASE("NoGrad: values are computed, nothing is differentiable") {
    Tape tape;
    Parameter p(Matrix{{2.0}});
    {
        NoGrad no_grad(tape);
        CHECK_FALSE(tape.grad_enabled());
        const Var y = square(tape.param(p));
        CHECK(y.item() == 4.0);
        CHECK_FALSE(y.requires_grad());
        CHECK_THROWS_AS(backward(y), std::invalid_argument);
    }
    CHECK(tape.grad_enabled());
    const Var z = square(tape.param(p));
    CHECK(z.requires_grad());
    backward(z);
    CHECK(p.grad(0, 0) == 4.0);
}

TEST_CASE("tape: constants take no gradient but pass it on to parameters") {
    Tape tape;
    Parameter p(Matrix{{1.0, 2.0}});
    const Var c = tape.constant(Matrix{{10.0, 20.0}});
    backward(sum(tape.param(p) * c));
    CHECK(p.grad == Matrix{{10.0, 20.0}});
    CHECK_FALSE(c.requires_grad());
}

TEST_CASE("tape: a constant view reads the caller's storage, no copy, and differentiates as a constant") {
    Tape tape;
    Parameter p(Matrix{{1.0, 2.0}, {3.0, 4.0}});
    Matrix data{{10.0, 20.0}, {30.0, 40.0}};
    const Var c = tape.constant_view(data);
    CHECK(c.value().data == data.data());  // the node's value is the caller's matrix
    CHECK_FALSE(c.requires_grad());
    CHECK(tape.arena_capacity() == 0);  // nothing was copied into the tape's arena
    backward(sum(matmul(c, tape.param(p))));
    CHECK(p.grad == Matrix{{40.0, 40.0}, {60.0, 60.0}});  // ∂/∂P Σ(C·P) = Cᵀ·1
    // A later recording reads the storage as it is then.
    tape.clear();
    data(0, 0) = 1.0;
    p.zero_grad();
    backward(sum(matmul(tape.constant_view(data), tape.param(p))));
    CHECK(p.grad == Matrix{{31.0, 31.0}, {60.0, 60.0}});
}

TEST_CASE("tape: recording copies the parameter's value at that moment") {
    Tape tape;
    Parameter p(Matrix{{1.0}});
    const Var x = tape.param(p);
    p.value(0, 0) = 5.0;  // a later update does not rewrite history
    CHECK(x.item() == 1.0);
    CHECK(error_message([] { return Var().item(); }) != "");
    CHECK(error_message([&] { return (x + tape.constant(Matrix(2, 2))).item(); }) == "item: expects a 1x1 result, got 2x2");
}

TEST_CASE("tape: a parameter's view reads its storage in place and differentiates as param does") {
    Parameter viewed(testing::uniform(3, 4, 1)), copied(viewed.value);
    viewed.tangent = copied.tangent = testing::uniform(3, 4, 2);
    const auto loss = [](const Var& x) { return sum(gram(x) * 2.0) + mse(x, Matrix(3, 4, 0.5)); };
    Tape a, b;
    const Var x = a.param_view(viewed);
    CHECK(x.value().data == viewed.value.data());  // the node's value is the parameter's own matrix
    const Var la = loss(x), lb = loss(b.param(copied));
    CHECK(la.item() == lb.item());
    hvp(la);  // backward, then the Hessian along the tangent
    hvp(lb);
    CHECK(viewed.grad == copied.grad);
    CHECK(viewed.grad_tangent == copied.grad_tangent);
    CHECK(jvp(la)(0, 0) == jvp(lb)(0, 0));
    // Unlike param's copy, the view sees a later update. The tutorial's loop updates after backward.
    viewed.value(0, 0) += 1.0;
    CHECK(x.value()(0, 0) == viewed.value(0, 0));
}

TEST_CASE("tape: a parameter recorded in place and changed before backward is refused where lifetimes are checked") {
    // A Release build trusts the caller, as with constant_view: the same code there mixes the value recorded and the
    // value now, so it is not run there.
    if constexpr (!lifetime::checked) {
        MESSAGE("skipped: this build does not check lifetimes (TAPEGRAD_CHECK_LIFETIMES is off)");
        return;
    }
    Parameter p(Matrix{{1.0, 2.0}});
    p.tangent = Matrix{{1.0, 0.0}};
    Tape tape;
    const Var y = sum(square(tape.param_view(p)));
    p.value(0, 1) = 3.0;
    const std::string changed = ": a Parameter recorded in place (param_view) changed since it was recorded (update it "
                                "after backward, or record it with param)";
    CHECK(error_message([&] { backward(y); }) == "backward" + changed);
    CHECK(p.grad == Matrix{{0.0, 0.0}});  // refused before anything was written
    CHECK(error_message([&] { jvp(y); }) == "jvp" + changed);
    p.value(0, 1) = 2.0;  // as recorded again
    backward(y);
    CHECK(p.grad == Matrix{{2.0, 4.0}});
    // Compared bit for bit: a NaN recorded and still there is unchanged (a diverged descent reports itself).
    Parameter diverged(Matrix{{std::nan("")}});
    Tape other;
    backward(sum(other.param_view(diverged) * 2.0));
    CHECK(diverged.grad(0, 0) == 2.0);
}

TEST_CASE("tape: a moved tape's Vars go stale; the tape moved to records on") {
    Parameter p(Matrix{{2.0}});
    Tape first;
    const Var x = first.param(p);
    Tape second(std::move(first));
    CHECK(error_message([&] { return x.item(); }).find("cleared") != std::string::npos);
    const Var y = second.param(p) * 3.0;
    backward(y);
    CHECK(p.grad(0, 0) == 3.0);
    Tape third;
    const Var z = third.param(p);
    third = std::move(second);
    CHECK(error_message([&] { return y.item(); }).find("cleared") != std::string::npos);
    CHECK(error_message([&] { return z.item(); }).find("cleared") != std::string::npos);
    CHECK((third.param(p) + 1.0).item() == 3.0);
    CHECK((first.param(p) * 2.0).item() == 4.0);  // the tape moved from is empty, and usable
}

TEST_CASE("tape: a Var of a destroyed tape is refused by a new tape made in its place") {
    // Each recording's number is unique in the process, so this holds in every build: the memory the Var names
    // is a live Tape again, but not the recording the Var belongs to.
    alignas(Tape) std::byte storage[sizeof(Tape)];
    Parameter p(Matrix{{1.0}});
    Tape* tape = new (storage) Tape;
    const Var x = tape->param(p) * 2.0;
    tape->~Tape();
    tape = new (storage) Tape;  // the same storage: the same address
    tape->param(p);
    tape->param(p);
    CHECK(&x.tape() == tape);
    CHECK(error_message([&] { return x.value(); }).starts_with("Var: used after its tape was cleared, or destroyed"));
    CHECK_THROWS_AS(backward(x), std::logic_error);
    tape->~Tape();
}

TEST_CASE("lifetimes: a Var outliving its Tape, or a Parameter destroyed while recorded, is a clear error") {
    // Only the builds that check lifetimes (Debug, and the asan preset CI runs) can see these without reading
    // freed memory; in a Release build the same code is undefined behaviour, so it is not run there.
    if constexpr (!lifetime::checked) {
        MESSAGE("skipped: this build does not check lifetimes (TAPEGRAD_CHECK_LIFETIMES is off)");
        return;
    }
    Parameter p(Matrix{{1.0, 2.0}});
    Var y;
    {
        Tape tape;
        y = sum(tape.param(p) * 3.0);
    }
    const std::string dead = "Var: used after its Tape was destroyed (a Tape must outlive the Vars recorded on it)";
    CHECK(error_message([&] { return y.value(); }) == dead);
    CHECK(error_message([&] { return y * 2.0; }) == dead);
    CHECK(error_message([&] { backward(y); }) == dead);

    // A parameter's leaf refers to its Parameter: destroyed before backward, it is refused, not written to.
    Tape tape;
    auto q = std::make_unique<Parameter>(Matrix{{1.0, 2.0}});
    const Var z = sum(tape.param(*q) * tape.param(*q));
    q.reset();
    CHECK(error_message([&] { backward(z); }) ==
          "backward: a Parameter recorded on this tape was destroyed (it must outlive the recording)");

    // An optimiser holds its parameters by address too.
    auto r = std::make_unique<Parameter>(Matrix{{1.0}});
    Sgd sgd({r.get()}, SgdOptions{.lr = 0.1});
    r.reset();
    CHECK(error_message([&] { sgd.step(); }) ==
          "Sgd::step: parameter 0 was destroyed (an optimiser's parameters must outlive it)");

    // A Parameter made where the tape was is alive, but not a tape: a Var of the old tape is still refused.
    {
        alignas(Tape) alignas(Parameter) std::byte storage[std::max(sizeof(Tape), sizeof(Parameter))];
        Tape* const old = new (storage) Tape;
        const Var v = old->param(p);
        old->~Tape();
        Parameter* const squatter = new (storage) Parameter(Matrix{{0.0}});
        CHECK(error_message([&] { return v.value(); }) == dead);
        squatter->~Parameter();
    }

    // Copies and moves are parameters in their own right, and stay usable after the original is gone.
    auto original = std::make_unique<Parameter>(Matrix{{2.0}});
    Parameter copy = *original;
    original.reset();
    tape.clear();  // a new recording, without the destroyed parameters' leaves
    const Var w = tape.param(copy) * 5.0;
    backward(w);
    CHECK(copy.grad(0, 0) == 5.0);
}

TEST_CASE("arena: a shape whose size overflows is a clear error") {
    Arena arena;
    const std::size_t big = std::size_t{1} << 32;
    CHECK(error_message([&] { arena.allocate({big, big}); }) ==
          "Arena: a 4294967296x4294967296 matrix has more entries than a size_t can count");
    CHECK(error_message([&] { arena.allocate({std::numeric_limits<std::size_t>::max(), 1}); }).starts_with("Arena: a 18446744073709551615x1 matrix"));
    CHECK(arena.allocate({2, 3}).size() == 6);  // and the arena still works
}
