// Data augmentation of images: random crops with padding and horizontal flips, computed on the
// images' device for a whole batch at once.
//
// A crop takes the H x W window at (row, col) of the image padded with kCropPadding pixels on
// every side; row = col = kCropPadding is the image itself. The padding is black: the images
// are standardised before they get here, so it is what a raw 0 became in each channel
// (Dataset::raw_zero), as torchvision's RandomCrop(padding=4) pads the raw image with 0.
//
// Training (augment_batch): what sample i sees in epoch e depends on (augment seed, e, i) alone:
// h = hash32(epoch_key(seed, e, kAugmentStream), i) (counter_hash.h) gives
// row = (h & 0xffff) % 9, col = ((h >> 16) & 0x7fff) % 9 and a flip when bit 31 of h is set.
// Shuffling, batching and the device therefore never change what a sample sees, and the
// augmentation draws nothing from any generator. h is computed on the images' device
// (tensor_hash.h), so a training step copies nothing from the host.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace rs::train {

inline constexpr int64_t kCropPadding = 4;

// images [B, C, H, W] and padding [C] (float32); rows, cols, flips int64 [B]; all on one
// device. rows and cols are in 0 .. 2 * kCropPadding, flips 0 or 1 (1 = mirror left-right
// after cropping). The result has the images' memory format (channels_last in, channels_last out).
at::Tensor crop_and_flip(const at::Tensor& images, const at::Tensor& padding, const at::Tensor& rows,
                         const at::Tensor& cols, const at::Tensor& flips);

// The epoch's augmented view of the training samples `indices` (int64 [B]: their positions in
// the training set); `images` [B, C, H, W] are those samples and `padding` [C] the padding
// value; all on one device.
at::Tensor augment_batch(const at::Tensor& images, const at::Tensor& padding, const at::Tensor& indices,
                         int64_t seed, int64_t epoch);

}  // namespace rs::train
