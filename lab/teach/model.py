"""The teach lesson's model: the transfer lesson's pre-trained base with a new head for the
student's own classes, trained the transfer lesson's way that did best with few examples.

``WAY`` is fine-tuning, chosen from a measurement (``bench/teach_bench.py``, results in
``docs/BENCHMARKS.md``): trained on 10 drawings per class by one hand and tested on 300 drawings
by six other hands, it was the most accurate of the three ways on every seed (feature extraction
about one point lower, training from scratch two to four points lower), and still trains in a
few seconds. The ways themselves (what is frozen, the learning rates, the head first and then
the last block) are ``core.models.transfer`` and ``core.training.transfer``'s.

No Streamlit here; Keras comes in with ``core.models.transfer``.
"""

from __future__ import annotations

import keras
import numpy as np

from core.models import transfer as tr

WAY = "finetune"  # the measured best of the three ways for a few examples (see the module docstring)


def build(n_classes: int, base: keras.Model | None = None, way: str = WAY) -> keras.Model:
    """A fresh model for ``n_classes``: a copy of the base up to its features and a new head."""
    return tr.build(way, base or tr.load_base(), n_classes)


def fit(model: keras.Model, x: np.ndarray, y: np.ndarray, epochs: int, batch_size: int, seed: int,
        callback: keras.callbacks.Callback, way: str = WAY) -> dict[str, list[float]]:
    """Train ``model`` on ``uint8 (N, 28, 28)`` drawings with labels ``(N,)`` as the transfer
    lesson trains ``way`` (fine-tuning: the head for half the epochs, then the last block too)."""
    from core.training import transfer as tt

    config = tt.TransferConfig(epochs=epochs, batch_size=batch_size, seed=seed).validate()
    # the transfer lesson's own loop (its phases and learning rates), without held-out data
    return tt._fit(model, way, tr.as_input(x), y, None, config, 0, callback)


def probabilities(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """``(N, n)`` class probabilities of ``(N, 28, 28)`` (or one ``(28, 28)``) drawings in [0, 1]
    or uint8, via ``model(x, training=False)``; a student waiting gets the CPU first."""
    from core.jobs import interactive

    interactive.touch()  # background training gives way while a student waits for this
    return np.asarray(model(tr.as_input(images), training=False))
