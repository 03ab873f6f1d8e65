#pragma once
// Optimisers over a list of parameters, with PyTorch's update rules (torch.optim.SGD and torch.optim.Adam).
// They read p.grad and change p.value; state buffers are allocated once, so step() never allocates.
#include <cstddef>
#include <vector>

#include "autodiff/tape.hpp"

namespace tapegrad {

class Optimizer {
public:
    explicit Optimizer(std::vector<Parameter*> params);
    virtual ~Optimizer() = default;
    virtual void step() = 0;
    void zero_grad();

protected:
    std::vector<Parameter*> params_;
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

}  // namespace tapegrad
