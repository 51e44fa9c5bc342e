#include "train/augment.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/bitwise_right_shift.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/remainder.h>

#include "train/counter_hash.h"
#include "train/tensor_hash.h"

namespace rs::train {

at::Tensor crop_and_flip(const at::Tensor& images, const at::Tensor& padding, const at::Tensor& rows,
                         const at::Tensor& cols, const at::Tensor& flips) {
  const int64_t b = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  const int64_t p = kCropPadding, padded_w = w + 2 * p;
  at::Tensor padded = at::empty({b, c, h + 2 * p, padded_w}, images.options());
  padded.copy_(padding.view({1, c, 1, 1}));  // the border; then the images inside it
  padded.slice(2, p, p + h).slice(3, p, p + w).copy_(images);

  // Output pixel (y, x) of image n comes from padded pixel (rows[n] + y, cols[n] + x), or
  // (rows[n] + y, cols[n] + w - 1 - x) when flipped: one gather over the flattened H x W.
  const at::TensorOptions index_options = rows.options();
  at::Tensor y = at::arange(h, index_options);
  at::Tensor x = at::arange(w, index_options);
  at::Tensor source_rows = rows.view({b, 1}) + y;                                  // [B, H]
  at::Tensor source_cols = cols.view({b, 1}) + x + flips.view({b, 1}) * (w - 1 - 2 * x);  // [B, W]
  at::Tensor source = (source_rows.unsqueeze(2) * padded_w + source_cols.unsqueeze(1)).view({b, 1, h * w});
  const at::Tensor out = padded.flatten(2).gather(2, source.expand({b, c, h * w})).view({b, c, h, w});
  return out.contiguous(images.suggest_memory_format());  // channels_last in, channels_last out
}

at::Tensor augment_batch(const at::Tensor& images, const at::Tensor& padding, const at::Tensor& indices,
                         int64_t seed, int64_t epoch) {
  constexpr int64_t kOffsets = 2 * kCropPadding + 1;
  const at::Tensor h = hash32(indices, epoch_key(seed, epoch, kAugmentStream));
  const at::Tensor rows = at::remainder(h & 0xffff, kOffsets);
  const at::Tensor cols = at::remainder(at::bitwise_right_shift(h, 16) & 0x7fff, kOffsets);
  const at::Tensor flips = at::bitwise_right_shift(h, 31);
  return crop_and_flip(images, padding, rows, cols, flips);
}

}  // namespace rs::train
