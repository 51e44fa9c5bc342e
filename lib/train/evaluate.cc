#include "train/evaluate.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <ATen/TensorOperators.h>
#include <ATen/core/grad_mode.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/cross_entropy_loss.h>
#include <ATen/ops/full.h>

#include "train/augment.h"

namespace rs::train {
namespace {

constexpr int64_t kChunk = 1024;

struct View {
  int64_t row, col, flip;  // as crop_and_flip() takes them
};

std::vector<View> views_of(const std::string& tta) {
  constexpr int64_t p = kCropPadding;
  std::vector<std::pair<int64_t, int64_t>> crops = {{p, p}};
  if (tta == "flip_crops") crops.insert(crops.end(), {{0, 0}, {0, 2 * p}, {2 * p, 0}, {2 * p, 2 * p}});
  std::vector<View> views;
  for (const auto& [row, col] : crops)
    for (int64_t flip : {0, 1}) views.push_back({row, col, flip});
  return views;
}

// Asks `stop` between two chunks of one evaluation, never before its first.
class BetweenChunks {
 public:
  explicit BetweenChunks(const std::function<bool()>& stop) : stop_(stop) {}
  bool stop_here() {
    const bool ask = !first_ && stop_;
    first_ = false;
    return ask && stop_();
  }

 private:
  const std::function<bool()>& stop_;
  bool first_ = true;
};

// The model's logits for x, chunk by chunk, as float32 (also when the forward pass ran in
// bfloat16 under autocast); `view` turns a chunk into what the model sees. Undefined when
// `between` stopped it.
template <class ViewFn>
at::Tensor logits_of(Model& model, const at::Tensor& x, ViewFn view, BetweenChunks* between) {
  at::NoGradGuard no_grad;
  model.eval();
  const int64_t n = x.size(0);
  std::vector<at::Tensor> chunks;
  for (int64_t start = 0; start < n; start += kChunk) {
    if (between->stop_here()) return {};
    chunks.push_back(model.forward(view(x.slice(0, start, std::min(n, start + kChunk)))));
  }
  return at::cat(chunks).to(at::kFloat);
}

}  // namespace

std::optional<Evaluation> evaluate(Model& model, const at::Tensor& x, const at::Tensor& y,
                                   const std::function<bool()>& stop) {
  BetweenChunks between(stop);
  Evaluation result;
  result.logits = logits_of(model, x, [](const at::Tensor& chunk) { return chunk; }, &between);
  if (!result.logits.defined()) return std::nullopt;
  result.loss = at::cross_entropy_loss(result.logits, y).item<double>();
  result.accuracy = result.logits.argmax(1).eq(y).sum().item<double>() / static_cast<double>(x.size(0));
  return result;
}

std::optional<at::Tensor> tta_logits(Model& model, const at::Tensor& x, const at::Tensor& padding,
                                     const std::string& tta, const std::function<bool()>& stop) {
  const std::vector<View> views = views_of(tta);
  BetweenChunks between(stop);
  at::Tensor sum;
  for (const View& v : views) {
    at::Tensor logits = logits_of(model, x, [&](const at::Tensor& chunk) {
      auto constant = [&](int64_t value) {
        return at::full({chunk.size(0)}, value, x.options().dtype(at::kLong));
      };
      return crop_and_flip(chunk, padding, constant(v.row), constant(v.col), constant(v.flip));
    }, &between);
    if (!logits.defined()) return std::nullopt;
    sum = sum.defined() ? sum + logits : logits;
  }
  return sum / static_cast<double>(views.size());
}

}  // namespace rs::train
