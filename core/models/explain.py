"""What a digit classifier looks at: feature maps and occlusion maps, computed on demand.

These explanations cost far more than a prediction (an occlusion map asks the model about
dozens of blanked copies of the drawing), so the page computes them only when a student
opens them, and ``cached_*`` share each result across sessions: same drawing, same model
file, same options → computed once (bounded, least recently used first out).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Hashable

import keras
import numpy as np

from core.jobs import interactive
from core.memo import SharedCache, array_key
from core.models.classifier import as_batch, batch_inference, inference, load_entry
from core.storage import store

PATCH, STRIDE = 4, 2  # occlusion: 4×4 blanked squares every 2 pixels → 13 × 13 positions
_maps: SharedCache = SharedCache(64)
_occlusions: SharedCache = SharedCache(128)


def model_key(model: keras.Model) -> Hashable:
    """The model's file version when it came from ``store.load_cached``, else its identity."""
    return getattr(model, "_nnlab_version", None) or ("object", id(model), model.name)


def conv_model(model: keras.Model) -> keras.Model | None:
    """The first convolutional network inside ``model`` (itself, or an ensemble member)."""
    if any(isinstance(layer, keras.layers.Conv2D) for layer in model.layers):
        return model
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found = conv_model(layer)
            if found is not None:
                return found
    return None


def members(model: keras.Model) -> list[keras.Model]:
    """The networks an ensemble averages (``[model]`` for a single network)."""
    inner = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    return inner if len(inner) > 1 else [model]


def feature_maps(model: keras.Model, image: np.ndarray, max_maps: int = 16) -> list[tuple[str, np.ndarray]]:
    """``[(layer name, (maps, H, W))]`` for each conv and pooling layer of the CNN in ``model``.

    Empty when ``model`` has no convolutional layers (the MLP). Each map is scaled to [0, 1].
    """
    net = conv_model(model)
    if net is None:
        return []
    wanted = [layer for layer in net.layers  # image-shaped outputs only: (N, H, W, C)
              if isinstance(layer, (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.Activation))
              and len(layer.output.shape) == 4]
    if any(isinstance(layer, keras.layers.Activation) for layer in wanted):  # conv → BN → ReLU: show after ReLU
        wanted = [layer for layer in wanted if not isinstance(layer, keras.layers.Conv2D)]
    probe = getattr(net, "_nnlab_probe", None)  # built once per network, then compiled
    if probe is None:
        probe = keras.Model(net.inputs[0], [layer.output for layer in wanted])
        object.__setattr__(net, "_nnlab_probe", probe)
    outputs = inference(probe)(as_batch(image))
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    result = []
    for layer, out in zip(wanted, outputs):
        maps = np.moveaxis(np.asarray(out)[0], -1, 0)[:max_maps]  # (C, H, W)
        lo = maps.min(axis=(1, 2), keepdims=True)
        span = maps.max(axis=(1, 2), keepdims=True) - lo
        result.append((layer.name, np.where(span > 0, (maps - lo) / np.maximum(span, 1e-12), 0.0)))
    return result


def occlusion_map(model: keras.Model, image: np.ndarray, patch: int = PATCH, stride: int = STRIDE) -> np.ndarray:
    """How much the top class's probability drops when each region is blanked out.

    ``(28, 28)`` map (higher = that part of the drawing mattered more), from one batched
    call over exactly the patch positions that hold some ink: blanking an empty patch
    changes nothing, so its drop is 0 without asking the model.
    """
    x = as_batch(image)[0, :, :, 0]  # (28, 28)
    starts = range(0, 28 - patch + 1, stride)
    where = [(r, c) for r in starts for c in starts]
    inky = [i for i, (r, c) in enumerate(where) if x[r:r + patch, c:c + patch].any()]
    batch = np.repeat(x[None], len(inky) + 1, axis=0)  # (1 + inky, 28, 28): the drawing, then blanked copies
    for j, i in enumerate(inky, start=1):
        r, c = where[i]
        batch[j, r:r + patch, c:c + patch] = 0.0
    interactive.touch()
    probs = np.asarray(batch_inference(model)(batch[..., None]))  # (1 + inky, 10)
    top = int(probs[0].argmax())
    drops = np.zeros(len(where))
    drops[inky] = probs[0, top] - probs[1:, top]
    heat, count = np.zeros((28, 28)), np.zeros((28, 28))
    for (r, c), d in zip(where, drops):
        heat[r:r + patch, c:c + patch] += d
        count[r:r + patch, c:c + patch] += 1
    return (heat / np.maximum(count, 1)).astype(np.float32)


def cached_occlusion(model: keras.Model, image: np.ndarray, one_member: bool = False) -> np.ndarray:
    """``occlusion_map`` of the whole model, or of its first member only (3× faster for an
    ensemble of three), shared across sessions."""
    net = members(model)[0] if one_member else model
    key = (model_key(model), one_member, array_key(image))
    return _occlusions.get(key, lambda: occlusion_map(net, image))


def cached_feature_maps(model: keras.Model, image: np.ndarray, max_maps: int = 16) -> list[tuple[str, np.ndarray]]:
    """``feature_maps`` shared across sessions (same drawing and model: computed once)."""
    key = (model_key(model), max_maps, array_key(image))
    return _maps.get(key, lambda: feature_maps(model, image, max_maps))


def trace_explanations(model: keras.Model) -> keras.Model:
    """Trace the explanation graphs of ``model`` (and its first member) once, ahead of time."""
    blank = np.zeros((2, 28, 28, 1), np.float32)
    for net in {id(m): m for m in (model, members(model)[0])}.values():
        batch_inference(net)(blank)
    return model


def preload(entry: store.ModelEntry) -> None:
    """Load ``entry``'s model and compile its stroke and explanation graphs in a background
    thread, so neither the page open nor the first stroke waits for it; a no-op when the
    model is loaded already. Errors surface later, on the page's own load."""
    if not store.is_cached(entry.path):
        threading.Thread(target=_prepare, args=(entry,), daemon=True, name="nnlab-preload").start()


def _prepare(entry: store.ModelEntry) -> None:
    with contextlib.suppress(Exception):  # the page's own load reports the problem
        trace_explanations(load_entry(entry))
