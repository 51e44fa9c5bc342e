#include "train/resnet.h"

#include <stdexcept>
#include <vector>

#include <ATen/TensorOperators.h>
#include <ATen/ops/relu.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include "train/batch_norm.h"

namespace rs::train {
namespace {

namespace nn = torch::nn;

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel_size, int64_t stride) {
  return nn::Conv2d(
      nn::Conv2dOptions(in, out, kernel_size).stride(stride).padding(kernel_size / 2).bias(false));
}

class BasicBlock : public nn::Module {
 public:
  BasicBlock(int64_t in, int64_t out, int64_t stride) {
    conv1_ = register_module("conv1", conv(in, out, 3, stride));
    bn1_ = register_module("bn1", BatchNorm(out));
    conv2_ = register_module("conv2", conv(out, out, 3, 1));
    bn2_ = register_module("bn2", BatchNorm(out));
    if (stride != 1 || in != out)
      shortcut_ = register_module("shortcut", nn::Sequential(conv(in, out, 1, stride), BatchNorm(out)));
  }

  at::Tensor forward(const at::Tensor& x) {
    at::Tensor out = at::relu(bn1_->forward(conv1_->forward(x)));
    out = bn2_->forward(conv2_->forward(out));
    return at::relu(out + (shortcut_.is_empty() ? x : shortcut_->forward(x)));
  }

 private:
  nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  BatchNorm bn1_{nullptr}, bn2_{nullptr};
  nn::Sequential shortcut_{nullptr};
};

class PreActBlock : public nn::Module {
 public:
  PreActBlock(int64_t in, int64_t out, int64_t stride) {
    bn1_ = register_module("bn1", BatchNorm(in));
    conv1_ = register_module("conv1", conv(in, out, 3, stride));
    bn2_ = register_module("bn2", BatchNorm(out));
    conv2_ = register_module("conv2", conv(out, out, 3, 1));
    if (stride != 1 || in != out) shortcut_ = register_module("shortcut", conv(in, out, 1, stride));
  }

  at::Tensor forward(const at::Tensor& x) {
    at::Tensor activated = at::relu(bn1_->forward(x));
    at::Tensor out = conv1_->forward(activated);
    out = conv2_->forward(at::relu(bn2_->forward(out)));
    return out + (shortcut_.is_empty() ? x : shortcut_->forward(activated));
  }

 private:
  BatchNorm bn1_{nullptr}, bn2_{nullptr};
  nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, shortcut_{nullptr};
};

struct ResNetLayout {
  std::vector<int64_t> widths, blocks;
  bool preact;
};

ResNetLayout layout_of(const std::string& name) {
  if (name == "resnet14") return {{16, 32, 64}, {2, 2, 2}, false};
  if (name == "resnet18") return {{64, 128, 256, 512}, {2, 2, 2, 2}, false};
  if (name == "resnet34") return {{64, 128, 256, 512}, {3, 4, 6, 3}, false};
  if (name == "preact_resnet18") return {{64, 128, 256, 512}, {2, 2, 2, 2}, true};
  throw std::logic_error("make_resnet: unknown model " + name);
}

class ResNet : public Model {
 public:
  ResNet(const ResNetLayout& layout, int64_t channels, int64_t n_classes, const contract::TrainConfig& config) {
    int64_t in = layout.widths[0];
    features_->push_back(conv(channels, in, 3, 1));
    if (!layout.preact) {
      features_->push_back(BatchNorm(in));
      features_->push_back(nn::ReLU());
    }
    for (size_t stage = 0; stage < layout.widths.size(); ++stage) {
      for (int64_t block = 0; block < layout.blocks[stage]; ++block) {
        const int64_t stride = stage > 0 && block == 0 ? 2 : 1;
        const int64_t out = layout.widths[stage];
        if (layout.preact)
          features_->push_back(std::make_shared<PreActBlock>(in, out, stride));
        else
          features_->push_back(std::make_shared<BasicBlock>(in, out, stride));
        in = out;
      }
    }
    if (layout.preact) {
      features_->push_back(BatchNorm(in));
      features_->push_back(nn::ReLU());
    }
    features_ = register_module("features", features_);
    add_classifier(in, n_classes, config);
  }

  at::Tensor forward(const at::Tensor& x) override { return classify(features_->forward(x).mean({2, 3})); }

 private:
  nn::Sequential features_;
};

}  // namespace

std::shared_ptr<Model> make_resnet(const std::string& name, int64_t channels, int64_t n_classes,
                                   const contract::TrainConfig& config) {
  return std::make_shared<ResNet>(layout_of(name), channels, n_classes, config);
}

}  // namespace rs::train
