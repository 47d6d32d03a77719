"""The whole CNN on one drawing: every layer's units, and any unit opened down to its sum.

``overview(model, image)`` runs the CNN inside ``model`` once (a Keras sub-model that returns
every shown layer's input and output) and lists its steps the way CNN Explainer draws them:
convolution, activation, normalisation, pooling, flatten, dense, logits, softmax. A conv
layer with a built-in ReLU becomes two steps (the sum, then the ReLU), a softmax output two
(logits, then probabilities). ``conv_unit`` opens one conv unit: its input channels, one
kernel per channel, each channel's map, their sum, the bias, the map before and after the
activation, computed in numpy (``lab.cnn.maths``) from the model's own weights; the tests
check it equals the Keras layer's output for every unit of the shipped CNNs.

An ensemble is explained through its first member (the networks are alike; the page says so).
Results are shared by every session (``core.memo.SharedCache``), keyed by the model file's
version and the drawing's bytes: a class opening the teacher's drawing computes it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from core.jobs import interactive
from core.memo import SharedCache, array_key
from core.models import explain as core_explain
from core.models.classifier import as_batch, batch_inference
from lab.cnn import maths

SKIPPED = (keras.layers.InputLayer, keras.layers.Dropout, keras.layers.RandomRotation,
           keras.layers.RandomZoom, keras.layers.RandomTranslation)  # the identity at prediction time
_overviews: SharedCache = SharedCache(32)
_units: SharedCache = SharedCache(256)


@dataclass(frozen=True)
class Step:
    """One column of the overview. ``layer`` is Keras' name (never shown to students);
    ``number`` counts steps of the same ``kind`` from 1, for readable names."""

    index: int
    kind: str  # conv, act, norm, pool, flatten, dense, logits, softmax, other
    layer: str
    number: int
    units: int
    activation: str = "linear"  # act: the function; conv/dense: the layer's own
    info: dict[str, Any] = field(default_factory=dict)  # kernel size, stride, padding, pool size


@dataclass(frozen=True)
class Overview:
    """Every step's values for one drawing: ``values[i]`` is ``(units, H, W)`` for maps,
    ``(units,)`` for dense layers, ``(n,)`` for the flattened vector."""

    steps: list[Step]
    values: list[np.ndarray]
    inputs: dict[str, np.ndarray]  # Keras layer name -> its input for this drawing, (H, W, C) or (n,)
    image: np.ndarray  # (28, 28)
    probs: np.ndarray  # (10,) the explained network's own probabilities
    top: int
    members: int  # networks in the model (an ensemble's answer averages them)


@dataclass(frozen=True)
class ConvUnit:
    """One conv unit on one drawing, every array as the page draws it (numpy, float32)."""

    channels: np.ndarray  # (C, H, W) the unit's input channels
    kernels: np.ndarray  # (C, k, k) one kernel per input channel
    maps: np.ndarray  # (C, H_out, W_out) each channel under its kernel
    total: np.ndarray  # (H_out, W_out) Σ over channels
    bias: float
    pre: np.ndarray  # (H_out, W_out) total + bias: the map before the activation
    out: np.ndarray  # (H_out, W_out) after the activation: the layer's output for this unit
    activation: str
    stride: int
    padding: str


# ---------------------------------------------------------------- the network's steps
def network(model: keras.Model) -> keras.Model:
    """The CNN ``model`` holds (itself, or an ensemble's first member); ``ValueError`` if none."""
    net = core_explain.conv_model(model)
    if net is None:
        raise ValueError(f"{model.name} has no convolutional layer: the CNN view explains CNNs only")
    return net


def _activation(layer) -> str:
    fn = getattr(layer, "activation", None)
    return getattr(fn, "__name__", "linear") if fn is not None else "linear"


def _conv_info(layer) -> dict[str, Any]:
    (k, k2), (s, s2) = layer.kernel_size, layer.strides
    if k != k2 or s != s2 or tuple(layer.dilation_rate) != (1, 1) or getattr(layer, "groups", 1) != 1:
        raise ValueError(f"{layer.name}: the CNN view explains square, undilated, ungrouped convolutions")
    return {"k": int(k), "stride": int(s), "padding": layer.padding, "bias": bool(layer.use_bias)}


def _then(act: str) -> list[tuple[str, str, dict]]:
    """The activation step after a conv or dense layer with a built-in activation."""
    return [("act", act, {})] if act != "linear" else []


def _steps_of(layer) -> list[tuple[str, str, dict]]:
    """``[(kind, activation, info)]``: the overview columns one Keras layer makes."""
    act = _activation(layer)
    if isinstance(layer, keras.layers.Conv2D):
        return [("conv", act, _conv_info(layer))] + _then(act)
    if isinstance(layer, keras.layers.Dense):
        return [("logits", act, {}), ("softmax", act, {})] if act == "softmax" else [("dense", act, {})] + _then(act)
    kind, info = _plain_step(layer)
    return [(kind, act if kind in ("act", "other") else "linear", info)]


def _plain_step(layer) -> tuple[str, dict]:
    """The one column of a layer without weights to slide (or an unknown one: ``other``)."""
    if isinstance(layer, keras.layers.Activation):
        return "act", {}
    if isinstance(layer, keras.layers.BatchNormalization):
        return "norm", {"eps": float(layer.epsilon)}
    if isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
        mode = "max" if isinstance(layer, keras.layers.MaxPooling2D) else "average"
        return "pool", {"size": int(layer.pool_size[0]), "stride": int(layer.strides[0]),
                        "padding": layer.padding, "mode": mode}
    if isinstance(layer, keras.layers.Flatten):
        return "flatten", {"shape": tuple(int(d) for d in layer.input.shape[1:])}
    return "other", {}


def shown_layers(net: keras.Model) -> list:
    """The layers the overview shows (augmentation and dropout do nothing at prediction time)."""
    return [layer for layer in net.layers if not isinstance(layer, SKIPPED)]


def steps(net: keras.Model) -> list[Step]:
    """The overview's columns for ``net``, in order."""
    out: list[Step] = []
    counts: dict[str, int] = {}
    for layer in shown_layers(net):
        units = int(layer.output.shape[-1])
        for kind, act, info in _steps_of(layer):
            counts[kind] = counts.get(kind, 0) + 1
            n = 1 if kind == "flatten" else units
            out.append(Step(len(out), kind, layer.name, counts[kind], n, act, info))
    return out


# ---------------------------------------------------------------- running the network once
def _probe(net: keras.Model) -> keras.Model:
    """A sub-model returning every shown layer's input and output (built once per network)."""
    probe = getattr(net, "_nnlab_cnn_probe", None)
    if probe is None:
        tensors = []
        for layer in shown_layers(net):
            tensors += [layer.input, layer.output]
        probe = keras.Model(net.inputs[0], tensors)
        object.__setattr__(net, "_nnlab_cnn_probe", probe)
    return probe


def _as_units(value: np.ndarray) -> np.ndarray:
    """A layer's value for one image as units: ``(H, W, C)`` → ``(C, H, W)``; vectors kept."""
    return np.moveaxis(value, -1, 0) if value.ndim == 3 else value


def _pre_activation(layer, x: np.ndarray) -> np.ndarray:
    """A conv or dense layer's output before its own activation, from its input ``x``."""
    bias = np.asarray(layer.bias) if layer.use_bias else None
    kernel = np.asarray(layer.kernel)
    if isinstance(layer, keras.layers.Conv2D):
        info = _conv_info(layer)
        return maths.conv_layer(x, kernel, bias, info["stride"], info["padding"])
    return x.astype(np.float64) @ kernel + (0.0 if bias is None else bias)


def overview(model: keras.Model, image: np.ndarray) -> Overview:
    """Every step of the CNN in ``model`` on ``image`` ``(28, 28)`` in [0, 1] (not cached)."""
    net = network(model)
    layers = shown_layers(net)
    interactive.touch()  # background training gives way while a student waits
    outputs = [np.asarray(v)[0] for v in batch_inference(_probe(net))(as_batch(image))]
    inputs = {layer.name: outputs[2 * i] for i, layer in enumerate(layers)}
    results = {layer.name: outputs[2 * i + 1] for i, layer in enumerate(layers)}
    by_name = {layer.name: layer for layer in layers}
    all_steps, values = steps(net), []
    for step in all_steps:
        layer, out = by_name[step.layer], results[step.layer]
        if step.kind in ("conv", "dense", "logits") and step.activation != "linear":
            out = _pre_activation(layer, inputs[step.layer]).astype(np.float32)
        values.append(_as_units(out))
    probs = np.asarray(results[layers[-1].name], dtype=np.float32).ravel()
    return Overview(all_steps, values, inputs, np.asarray(image, np.float32), probs, int(probs.argmax()),
                    len(core_explain.members(model)))


def cache_key(model: keras.Model, image: np.ndarray) -> tuple:
    """What a result for ``model`` and ``image`` depends on: the model file's version, the
    explained network, the drawing's bytes."""
    return core_explain.model_key(model), network(model).name, array_key(np.asarray(image, np.float32))


def cached_overview(model: keras.Model, image: np.ndarray) -> Overview:
    """``overview`` shared by every session: same model file and drawing → computed once."""
    return _overviews.get(cache_key(model, image), lambda: overview(model, image))


# ---------------------------------------------------------------- one conv unit
def conv_layers(model: keras.Model) -> list:
    """The conv layers of the CNN in ``model``, in order."""
    return [layer for layer in shown_layers(network(model)) if isinstance(layer, keras.layers.Conv2D)]


def _conv_layer(model: keras.Model, layer: str | int):
    found = conv_layers(model)
    if isinstance(layer, int):
        if not 0 <= layer < len(found):
            raise ValueError(f"conv layer {layer} does not exist; the network has {len(found)}")
        return found[layer]
    for candidate in found:
        if candidate.name == layer:
            return candidate
    raise ValueError(f"{layer!r} is not a conv layer of {network(model).name}")


def conv_unit(model: keras.Model, image: np.ndarray, layer: str | int, unit: int) -> ConvUnit:
    """Unit ``unit`` of conv layer ``layer`` (its Keras name, or its 0-based place among the
    conv layers) on ``image`` ``(28, 28)``: input channels, kernels, per-channel maps, sum,
    bias, the map before and after the activation. Shared across sessions."""
    conv = _conv_layer(model, layer)
    if not 0 <= unit < conv.filters:
        raise ValueError(f"unit {unit} does not exist; {conv.name} has {conv.filters}")
    key = (*cache_key(model, image), conv.name, int(unit))
    return _units.get(key, lambda: _conv_unit(conv, cached_overview(model, image).inputs[conv.name], unit))


def _conv_unit(conv, x: np.ndarray, unit: int) -> ConvUnit:
    info, act = _conv_info(conv), _activation(conv)
    kernel = np.asarray(conv.kernel)[..., unit]  # (k, k, C)
    bias = float(np.asarray(conv.bias)[unit]) if conv.use_bias else 0.0
    maps = maths.channel_maps(x, kernel, info["stride"], info["padding"])  # (C, Ho, Wo)
    total = maps.sum(axis=0)
    pre = total + bias
    f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
    return ConvUnit(f32(np.moveaxis(x, -1, 0)), f32(np.moveaxis(kernel, -1, 0)), f32(maps), f32(total), bias,
                    f32(pre), f32(maths.activate(act, pre)), act, info["stride"], info["padding"])


def conv_position(model: keras.Model, image: np.ndarray, layer: str | int, unit: int, row: int,
                  col: int) -> maths.Position:
    """The numbers behind one output cell of a conv unit (window, kernel, sums per channel)."""
    conv = _conv_layer(model, layer)
    info = _conv_info(conv)
    x = cached_overview(model, image).inputs[conv.name]
    bias = float(np.asarray(conv.bias)[unit]) if conv.use_bias else 0.0
    return maths.position(x, np.asarray(conv.kernel)[..., unit], bias, _activation(conv), row, col,
                          info["stride"], info["padding"])


# ---------------------------------------------------------------- other units' numbers
def layer_of(model: keras.Model, step: Step):
    """The Keras layer behind ``step``."""
    return network(model).get_layer(step.layer)


def norm_numbers(model: keras.Model, step: Step, unit: int) -> dict[str, float]:
    """γ, β, μ, σ² and ε of one unit of a batch-normalisation step."""
    layer = layer_of(model, step)
    pick = lambda w: float(np.asarray(w)[unit]) if w is not None else None  # noqa: E731
    return {"gamma": pick(layer.gamma) if layer.scale else 1.0, "beta": pick(layer.beta) if layer.center else 0.0,
            "mean": pick(layer.moving_mean), "var": pick(layer.moving_variance), "eps": float(layer.epsilon)}


def dense_numbers(model: keras.Model, over: Overview, step: Step, unit: int) -> dict[str, Any]:
    """One dense unit: its inputs ``(n,)``, weights ``(n,)``, products and bias."""
    layer = layer_of(model, step)
    x = np.asarray(over.inputs[step.layer], dtype=np.float64).ravel()
    w = np.asarray(layer.kernel, dtype=np.float64)[:, unit]
    bias = float(np.asarray(layer.bias)[unit]) if layer.use_bias else 0.0
    return {"inputs": x, "weights": w, "products": x * w, "bias": bias, "pre": float((x * w).sum() + bias)}
