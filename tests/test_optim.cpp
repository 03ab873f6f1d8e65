#include <doctest/doctest.h>

#include <cmath>

#include "autodiff/autodiff.hpp"
#include "helpers.hpp"
#include "linalg/losses.hpp"

using namespace tapegrad;
using testing::error_message;
using testing::uniform;

namespace {

// The tutorial's loop, verbatim: p -= lr·p.grad; p.grad *= momentum (no zero_grad: the next backward adds).
void tutorial_momentum_step(const std::vector<Parameter*>& params, double lr, double momentum) {
    for (Parameter* p : params) {
        p->value.add_scaled(p->grad, -lr);
        p->grad *= momentum;
    }
}

}  // namespace

TEST_CASE("Sgd with momentum reproduces the tutorial's hand-written momentum loop to the last bit") {
    const Matrix M = uniform(5, 4, 1, 0.0, 1.0), I = Matrix::identity(4);
    const auto run = [&](bool use_sgd) {
        Parameter U(uniform(5, 4, 2, 0.0, 1.0)), d(uniform(1, 4, 3, 0.0, 1.0)), V(uniform(4, 4, 4, 0.0, 1.0));
        Sgd sgd({&U, &d, &V}, {.lr = 0.9, .momentum = 0.9});
        Tape tape;
        for (int step = 0; step < 200; ++step) {
            tape.clear();
            if (use_sgd) sgd.zero_grad();
            backward(svd_penalty_loss(tape.param(U), tape.param(d), tape.param(V), M, I));
            if (use_sgd)
                sgd.step();
            else
                tutorial_momentum_step({&U, &d, &V}, 0.9, 0.9);
        }
        return std::vector<Matrix>{U.value, d.value, V.value};
    };
    const auto a = run(true), b = run(false);
    CHECK(a[0] == b[0]);
    CHECK(a[1] == b[1]);
    CHECK(a[2] == b[2]);
}

TEST_CASE("Sgd: plain, momentum, dampening, Nesterov and weight decay follow torch.optim.SGD") {
    // One parameter, gradient g fixed at 2 (loss 2p), two steps, each formula by hand.
    const auto two_steps = [](const SgdOptions& o) {
        Parameter p(Matrix{{1.0}});
        Sgd sgd({&p}, o);
        for (int i = 0; i < 2; ++i) {
            Tape t;
            sgd.zero_grad();
            backward(2.0 * t.param(p));
            sgd.step();
        }
        return p.value(0, 0);
    };
    CHECK(two_steps({.lr = 0.1}) == doctest::Approx(1.0 - 0.2 - 0.2));
    // buf1 = g = 2, buf2 = 0.9·2 + 2 = 3.8
    CHECK(two_steps({.lr = 0.1, .momentum = 0.9}) == doctest::Approx(1.0 - 0.2 - 0.38));
    // buf2 = 0.9·2 + 0.5·2 = 2.8
    CHECK(two_steps({.lr = 0.1, .momentum = 0.9, .dampening = 0.5}) == doctest::Approx(1.0 - 0.2 - 0.28));
    // step1: g + 0.9·buf1 = 3.8; step2: g + 0.9·3.8 = 5.42
    CHECK(two_steps({.lr = 0.1, .momentum = 0.9, .nesterov = true}) == doctest::Approx(1.0 - 0.38 - 0.542));
    // g1 = 2 + 0.5·1 = 2.5, p1 = 0.75; g2 = 2 + 0.5·0.75 = 2.375, p2 = 0.5125
    CHECK(two_steps({.lr = 0.1, .weight_decay = 0.5}) == doctest::Approx(0.5125));
}

TEST_CASE("Adam: the first step moves each entry by lr·sign(g), and later steps follow torch's formula") {
    Parameter p(Matrix{{1.0, -1.0}});
    Adam adam({&p}, {.lr = 0.01});
    Tape t;
    backward(sum(square(t.param(p))));  // g = 2p = (2, -2)
    adam.step();
    CHECK(p.value(0, 0) == doctest::Approx(0.99).epsilon(1e-9));
    CHECK(p.value(0, 1) == doctest::Approx(-0.99).epsilon(1e-9));
    // Second step by hand, for the first entry: g = 2·p.
    const double p1 = p.value(0, 0), g1 = 2.0, g2 = 2.0 * p1;
    const double m = 0.9 * (0.1 * g1) + 0.1 * g2, v = 0.999 * (0.001 * g1 * g1) + 0.001 * g2 * g2;
    const double expected = p1 - 0.01 / (1 - 0.81) * m / (std::sqrt(v) / std::sqrt(1 - 0.999 * 0.999) + 1e-8);
    t.clear();
    adam.zero_grad();
    backward(sum(square(t.param(p))));
    adam.step();
    CHECK(p.value(0, 0) == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("Adam and Sgd both solve a small least-squares problem") {
    const Matrix M = uniform(4, 4, 5, 0.0, 1.0), I = Matrix::identity(4);
    for (const bool use_adam : {false, true}) {
        Parameter X(uniform(4, 4, 6, 0.0, 1.0));
        Sgd sgd({&X}, {.lr = 0.9, .momentum = 0.9});
        Adam adam({&X}, {.lr = 0.01});
        Optimizer& opt = use_adam ? static_cast<Optimizer&>(adam) : sgd;
        Tape tape;
        double loss = 0;
        for (int step = 0; step < 6000; ++step) {
            tape.clear();
            opt.zero_grad();
            const Var l = inverse_loss(tape.param(X), tape.constant(M), I, InverseVariant::right);
            loss = l.item();
            backward(l);
            opt.step();
        }
        CAPTURE(use_adam);
        CHECK(loss < 1e-12);
    }
}

TEST_CASE("optimisers reject bad settings by name") {
    Parameter p(Matrix{{1.0}});
    CHECK(error_message([&] { Sgd({&p}, {.lr = -1.0}); }) == "Sgd: lr must be finite and > 0, got -1");
    CHECK(error_message([&] { Sgd({&p}, {.lr = 0.0}); }) == "Sgd: lr must be finite and > 0, got 0");
    CHECK(error_message([&] { Sgd({&p}, {.lr = std::numeric_limits<double>::infinity()}); }) == "Sgd: lr must be finite and > 0, got inf");
    CHECK(error_message([&] { Sgd({&p}, {.lr = std::numeric_limits<double>::quiet_NaN()}); }) == "Sgd: lr must be finite and > 0, got nan");
    CHECK(error_message([&] { Sgd({&p}, {.lr = 0.1, .momentum = 0.9, .dampening = 1.5}); }) ==
          "Sgd: dampening must be in [0, 1], got 1.5");
    CHECK(error_message([&] { Sgd({&p}, {.lr = 0.1, .momentum = 0.9, .dampening = -0.1}); }) ==
          "Sgd: dampening must be in [0, 1], got -0.1");
    CHECK(error_message([&] { Adam({&p}, {.lr = 0.0}); }) == "Adam: lr must be finite and > 0, got 0");
    CHECK(error_message([&] { Adam({&p}, {.eps = 0.0}); }) == "Adam: eps must be finite and > 0, got 0");
    CHECK(error_message([&] { Adam({&p}, {.eps = -1e-8}); }) == "Adam: eps must be finite and > 0, got -1e-08");
    CHECK(error_message([&] { Sgd({&p}, {.lr = 0.1, .nesterov = true}); }) ==
          "Sgd: nesterov needs momentum > 0 and dampening = 0");
    CHECK(error_message([&] { Adam({&p}, {.beta1 = 1.0}); }) == "Adam: beta1 must be in [0, 1), got 1");
    CHECK(error_message([&] { Sgd({nullptr}, {}); }) == "Optimizer: a parameter pointer is null");
}

TEST_CASE("the tutorial's momentum trick, spelled verbatim, gives Sgd's iterates to the bit") {
    const Matrix M = uniform(4, 4, 7, 0.0, 1.0), I = Matrix::identity(4);
    const double lr = 0.9, momentum = 0.9;
    Parameter X(uniform(4, 4, 8, 0.0, 1.0)), Y(X.value);
    Sgd sgd({&Y}, {.lr = lr, .momentum = momentum});
    Tape tape;
    for (int step = 0; step < 300; ++step) {
        tape.clear();
        backward(inverse_loss(tape.param(X), tape.constant(M), I, InverseVariant::right));
        X.value -= lr * X.grad;  // with torch.no_grad(): X -= lr * X.grad
        X.grad *= momentum;      //                       X.grad *= momentum
        sgd.zero_grad();
        backward(inverse_loss(tape.param(Y), tape.constant(M), I, InverseVariant::right));
        sgd.step();
    }
    CHECK(X.value == Y.value);
    CHECK(max_abs_diff(matmul(X.value, M), I) < 1e-6);
}

TEST_CASE("Momentum, the tutorial's loop as an optimiser, gives Sgd's iterates to the bit; make_optimizer by kind") {
    const Matrix M = uniform(4, 4, 7, 0.0, 1.0), I = Matrix::identity(4);
    Parameter X(uniform(4, 4, 8, 0.0, 1.0)), Y(X.value);
    const std::unique_ptr<Optimizer> tutorial = make_optimizer(OptimizerKind::momentum, {&X}, std::nullopt, std::nullopt);
    const std::unique_ptr<Optimizer> sgd = make_optimizer(OptimizerKind::sgd, {&Y}, 0.9, 0.9);
    Tape tape;
    for (int step = 0; step < 300; ++step) {
        for (auto [p, opt] : {std::pair{&X, tutorial.get()}, std::pair{&Y, sgd.get()}}) {
            tape.clear();
            opt->zero_grad();  // Momentum's leaves the velocity in p.grad
            backward(inverse_loss(tape.param(*p), tape.constant(M), I, InverseVariant::right));
            opt->step();
        }
    }
    CHECK(X.value == Y.value);
    CHECK(default_lr(OptimizerKind::momentum) == 0.9);
    CHECK(default_lr(OptimizerKind::adam) == 0.01);
    CHECK(to_string(OptimizerKind::nesterov) == "nesterov");
    Parameter p(Matrix{{1.0}});
    CHECK(error_message([&] { make_optimizer(OptimizerKind::sgd, {&p}, 0.0, std::nullopt); }) ==
          "make_optimizer(sgd): lr must be finite and > 0, got 0");
    CHECK(error_message([&] { make_optimizer(OptimizerKind::nesterov, {&p}, INFINITY, std::nullopt); }) ==
          "make_optimizer(nesterov): lr must be finite and > 0, got inf");
    CHECK(error_message([&] { make_optimizer(OptimizerKind::momentum, {&p}, 0.9, 1.0); }) ==
          "make_optimizer(momentum): momentum must be in [0, 1), got 1");
    CHECK(error_message([&] { make_optimizer(OptimizerKind::adam, {&p}, 0.1, 0.9); }) ==
          "make_optimizer(adam): adam takes no momentum (its betas are 0.9 and 0.999)");
}

TEST_CASE("optimisers: a parameter resized after construction is an error naming it, not a buffer overrun") {
    Parameter a(Matrix{{1.0, 2.0}}), b(Matrix{{3.0}});
    a.grad = Matrix{{1.0, 1.0}};
    b.grad = Matrix{{1.0}};
    Sgd sgd({&a, &b}, {.lr = 0.1, .momentum = 0.9});
    Adam adam({&a, &b}, {.lr = 0.1});
    sgd.step();
    adam.step();
    b.value = Matrix(5, 4, 1.0);
    CHECK(error_message([&] { sgd.step(); }) ==
          "Sgd::step: parameter 1's value is 5x4, but was 1x1 when the optimiser was built");
    CHECK(error_message([&] { adam.step(); }) ==
          "Adam::step: parameter 1's value is 5x4, but was 1x1 when the optimiser was built");
    b.value = Matrix{{3.0}};
    a.grad = Matrix(1, 3);
    CHECK(error_message([&] { sgd.step(); }) ==
          "Sgd::step: parameter 0's grad is 1x3, but was 1x2 when the optimiser was built");
    a.grad = Matrix{{1.0, 1.0}};
    const double before = a.value(0, 0);
    sgd.step();  // the shapes are back: stepping works again
    CHECK(a.value(0, 0) < before);
    CHECK(error_message([&] { Parameter c(Matrix(2, 2)); c.grad = Matrix(1, 1); Sgd({&c}, {.lr = 0.1}); }) ==
          "Optimizer: a parameter's grad is 1x1 but its value is 2x2");
}
