#pragma once
// Optimisers over a list of parameters, with PyTorch's update rules (torch.optim.SGD and torch.optim.Adam).
// They read p.grad and change p.value; state buffers are allocated once, so step() never allocates.
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "autodiff/tape.hpp"

namespace tapegrad {

class Optimizer {
public:
    explicit Optimizer(std::vector<Parameter*> params);
    virtual ~Optimizer() = default;
    virtual void step() = 0;
    virtual void zero_grad();  // every p.grad = 0, before the next backward()

protected:
    // Throws std::invalid_argument, naming the optimiser (who) and the parameter, if a parameter's value or grad
    // no longer has the shape it had when the optimiser was built: the state buffers were sized from it. In the
    // builds that check lifetimes (Debug), std::logic_error if a parameter was destroyed.
    void require_parameters(const char* who) const;
    // Throws std::logic_error, naming who and the parameter, if a parameter was destroyed: for the builds that
    // check lifetimes (lifetime.hpp; the optimiser holds its parameters by address).
    void require_alive(const char* who) const;

    std::vector<Parameter*> params_;
    std::vector<Shape> shapes_;  // each parameter's shape at construction
};

struct SgdOptions {
    double lr = 0.01;
    double momentum = 0.0;
    double dampening = 0.0;
    bool nesterov = false;
    double weight_decay = 0.0;
};

// g = grad + weight_decay·p;  buf = momentum·buf + (1 - dampening)·g (buf = g on the first step);
// g = nesterov ? g + momentum·buf : buf;  p -= lr·g.
class Sgd final : public Optimizer {
public:
    Sgd(std::vector<Parameter*> params, const SgdOptions& options);
    void step() override;

private:
    SgdOptions options_;
    std::vector<Matrix> momentum_buffers_;
    bool first_step_ = true;
};

struct AdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.0;
};

// g = grad + weight_decay·p;  m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;
// p -= lr/(1-β1ᵗ) · m / (sqrt(v)/sqrt(1-β2ᵗ) + eps).
class Adam final : public Optimizer {
public:
    Adam(std::vector<Parameter*> params, const AdamOptions& options);
    void step() override;

private:
    AdamOptions options_;
    std::vector<Matrix> first_moments_;
    std::vector<Matrix> second_moments_;
    long steps_ = 0;
};

// The tutorial's own loop, written out by hand in part 1: p -= lr·p.grad; p.grad *= momentum. It never zeroes
// the gradients: backward() adds the new gradient to momentum·(the old one), so p.grad is the velocity. The
// iterates are torch.optim.SGD's with the same lr and momentum, to the bit (tests/test_optim.cpp).
class Momentum final : public Optimizer {
public:
    Momentum(std::vector<Parameter*> params, double lr, double momentum);
    void step() override;
    void zero_grad() override {}  // the trick: the gradient buffer carries the velocity

private:
    double lr_, momentum_;
};

// The optimisers a descent can be asked for by name (the demos' --optimizer).
enum class OptimizerKind {
    momentum,  // the tutorial's hand-written loop (Momentum)
    sgd,       // torch.optim.SGD with momentum: the same iterates as `momentum`
    nesterov,  // torch.optim.SGD with nesterov=True
    adam,      // torch.optim.Adam, betas (0.9, 0.999)
};

std::string_view to_string(OptimizerKind kind);
double default_lr(OptimizerKind kind);  // 0.9 for the momentum family (the tutorial's), 0.01 for Adam

// The tutorial's settings for the momentum family (momentum, sgd, nesterov): lr 0.9, momentum 0.9.
constexpr double tutorial_momentum = 0.9;

// The optimiser of that kind over params. lr unset takes default_lr(kind); momentum unset takes the tutorial's
// for the momentum family, and must be unset for Adam (its betas are PyTorch's defaults): a momentum Adam would
// ignore is an error, not a no-op. Throws std::invalid_argument, naming the optimiser, for what it cannot use.
std::unique_ptr<Optimizer> make_optimizer(OptimizerKind kind, std::vector<Parameter*> params, std::optional<double> lr,
                                          std::optional<double> momentum);

}  // namespace tapegrad
