"""A small encoder that guesses an image's latent vector: a warm start for GAN inversion.

Inversion (``lab.gan.model_inversion``) searches ``z`` by gradient descent, and where it starts
matters. The encoder ``E`` is a small CNN, ``(N, 28, 28, 1) -> (N, 100)``, trained on the
generator's own drawings with the generator frozen: draw ``z ~ N(0, I)``, make
``x = G(z)``, and minimise ``|G(E(x)) - x|² + LATENT_WEIGHT · |E(x) - z|²`` (pixels first; the
small latent term keeps ``E(x)`` where Gaussian codes live). One call of ``E`` gives a
rough code for any drawing; inversion then refines it with the other starts.

This module builds the encoder and finds the one trained for a generator:
``encoder_for(generator)`` only hands out an encoder whose card holds the SHA-256 of exactly
that generator file. Training and export (``python -m lab.gan.training.encoder``) live in
``lab.gan.training.encoder``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from lab.gan import model_dcgan as gan_model

KIND = "gan-encoder"
SUFFIX = "-encoder"  # the encoder of generator NAME is NAME-encoder.keras, beside it


def build_encoder(latent_dim: int = gan_model.LATENT_DIM):
    """``(N, 28, 28, 1)`` in [0, 1] -> ``(N, latent_dim)``: two strided convolutions and a dense layer."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input((28, 28, 1), name="image"),
        layers.Conv2D(32, 4, strides=2, padding="same", name="conv_1"),  # (14, 14, 32)
        layers.LeakyReLU(0.2, name="act_1"),
        layers.Conv2D(64, 4, strides=2, padding="same", name="conv_2"),  # (7, 7, 64)
        layers.LeakyReLU(0.2, name="act_2"),
        layers.Flatten(name="flatten"),
        layers.Dense(256, name="dense"),
        layers.LeakyReLU(0.2, name="act_3"),
        layers.Dense(latent_dim, name="z"),
    ], name="gan_encoder")




def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()




@lru_cache(maxsize=8)
def _matches(card_version: tuple, generator_version: tuple) -> bool:
    """Whether the encoder's card names this generator file's bytes (once per version of each file)."""
    from core.paths import read_json

    try:
        card = read_json(Path(card_version[0]))
        return card.get("kind") == KIND and card.get("generator_sha256") == file_sha256(Path(generator_version[0]))
    except (OSError, ValueError, AttributeError):
        return False


def encoder_for(generator):
    """The encoder trained on this generator's file, or ``None`` (none beside it, or trained on another)."""
    from core.storage import store

    version = getattr(generator, "_nnlab_version", None)  # set by store.load_cached
    if version is None:
        return None
    path = Path(version[0])
    candidate = path.with_name(path.stem + SUFFIX + ".keras")
    try:
        card_version = store.file_version(candidate.with_suffix(".json"))
    except OSError:  # no encoder (card) beside this generator
        return None
    if not candidate.exists() or not _matches(card_version, version):
        return None
    return store.load_cached(candidate)


def encode(encoder, images: np.ndarray) -> np.ndarray:
    """``(N, 28, 28)`` images in [0, 1] -> ``(N, dim)`` float32 codes."""
    x = np.asarray(images, np.float32).reshape(-1, 28, 28, 1)
    return np.asarray(encoder(x, training=False), np.float32)
