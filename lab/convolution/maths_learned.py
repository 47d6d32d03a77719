"""A trained network's first convolution layer as plain arrays, applied with ``conv2d``.

The convolution page shows what the classifier's own filters do to a digit, without
importing Keras here: the model is read through its layers' ``get_weights()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lab.convolution.maths import conv2d


@dataclass(frozen=True)
class LearnedFilters:
    """The first convolution layer of a trained network, as plain arrays."""

    name: str
    kernels: np.ndarray  # (filters, k, k), first input channel
    bias: np.ndarray  # (filters,)
    stride: int
    padding: str  # "valid" or "same"
    relu: bool


def first_conv_filters(model: Any) -> LearnedFilters | None:
    """Find the first ``Conv2D`` layer in a Keras model (or a nested one) without importing Keras."""
    for layer in getattr(model, "layers", []):
        if type(layer).__name__ == "Conv2D":
            weights = layer.get_weights()
            kernel = np.asarray(weights[0], dtype=np.float64)  # (k, k, in, filters)
            bias = np.asarray(weights[1], dtype=np.float64) if len(weights) > 1 else np.zeros(kernel.shape[-1])
            activation = getattr(getattr(layer, "activation", None), "__name__", "linear")
            return LearnedFilters(layer.name, np.moveaxis(kernel[:, :, 0, :], -1, 0), bias,
                                  int(layer.strides[0]), str(layer.padding), activation == "relu")
        found = first_conv_filters(layer) if hasattr(layer, "layers") else None
        if found is not None:
            return found
    return None


def learned_feature_maps(image: np.ndarray, filters: LearnedFilters, count: int | None = None) -> np.ndarray:
    """``(count, o, o)`` feature maps of ``image`` through the first ``count`` learned filters."""
    kernels = filters.kernels[:count]
    maps = np.stack([conv2d(image, k, filters.stride, filters.padding) + b
                     for k, b in zip(kernels, filters.bias)])
    return np.maximum(maps, 0.0) if filters.relu else maps
