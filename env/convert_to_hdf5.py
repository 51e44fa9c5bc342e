#!/usr/bin/python3
"""Converts an image data set from a NumPy .npz file into the trainer's HDF5 layout.

Usage: convert_to_hdf5.py IN.npz OUT.h5 [--channels-last]

IN.npz holds the arrays train_images, train_labels, test_images, test_labels and, optionally,
train_groups and test_groups (each sample's sub-group, e.g. for worst-group accuracy). Images
are uint8 N x C x H x W, or N x H x W x C with --channels-last (the usual layout of
torchvision's and Keras's arrays), or N x H x W for grey images. OUT.h5 gets the groups
/train and /test with images (uint8 N x C x H x W), labels and groups (int64 [N]), the layout
`dataset: {name: hdf5, path: OUT.h5}` reads (docs/trainer.md). Needs numpy and h5py
(Debian: python3-numpy, python3-h5py).

To get such an .npz from torchvision, for example:
    d = torchvision.datasets.CIFAR10(root, train=True)
    train_images, train_labels = d.data, np.array(d.targets)    # N x 32 x 32 x 3
"""
import argparse
import sys

import h5py
import numpy as np


def images_nchw(images, channels_last, name):
    if images.dtype != np.uint8:
        sys.exit(f"{name}: dtype {images.dtype}, expected uint8 (pixels 0..255)")
    if images.ndim == 3:
        return images[:, np.newaxis, :, :]
    if images.ndim != 4:
        sys.exit(f"{name}: shape {images.shape}, expected N x C x H x W (or N x H x W x C, N x H x W)")
    return np.ascontiguousarray(images.transpose(0, 3, 1, 2)) if channels_last else images


def per_sample(values, n, name):
    if values.ndim != 1 or len(values) != n or not np.issubdtype(values.dtype, np.integer):
        sys.exit(f"{name}: expected {n} integers, got {values.dtype} {values.shape}")
    if len(values) and values.min() < 0:
        sys.exit(f"{name}: negative entries")
    return values.astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("npz")
    parser.add_argument("h5")
    parser.add_argument("--channels-last", action="store_true", help="images are N x H x W x C")
    args = parser.parse_args()

    arrays = np.load(args.npz)
    with h5py.File(args.h5, "w") as out:
        for part in ("train", "test"):
            for required in ("images", "labels"):
                if f"{part}_{required}" not in arrays:
                    sys.exit(f"{args.npz}: no array {part}_{required}")
            images = images_nchw(arrays[f"{part}_images"], args.channels_last, f"{part}_images")
            group = out.create_group(part)
            group.create_dataset("images", data=images)
            for name in ("labels", "groups"):
                if f"{part}_{name}" in arrays:
                    values = per_sample(arrays[f"{part}_{name}"], len(images), f"{part}_{name}")
                    group.create_dataset(name, data=values)
            print(f"{part}: {len(images)} images {images.shape[1:]}")
    print(f"wrote {args.h5}")


if __name__ == "__main__":
    main()
