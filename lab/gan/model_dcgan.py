"""DCGAN models for MNIST and the latent-space maths (the layer under ``lab.gan.model``).

Two variants share one interface:

- ``"thesis"``: the course's DCGAN exactly (LeakyReLU everywhere, sigmoid output in
  [0, 1], images in [0, 1]).
- ``"improved"``: Radford et al.'s guidelines (batch normalisation, ReLU in the
  generator, tanh output on images scaled to [-1, 1], LeakyReLU in the discriminator,
  strided convolutions instead of pooling), kept compact so it trains on a small CPU.

Both discriminators output a probability (sigmoid), as in the course. This module has no
training code (see the ``lab.gan.training`` package); ``load_generator()`` always returns a model
whose output is in [0, 1], whatever the variant.

Pages, benches and tests call these names through ``lab.gan.model``, which adds digits on demand
and inversion; the modules those come from (and every other ``core`` module) import this
one, so imports run one way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

LATENT_DIM = 100
VARIANTS = ("improved", "thesis")
DEFAULT_NAME = "gan-improved"  # the shipped default generator in assets/models/
# Per variant: the hyper-parameters the course / Radford et al. use.
DEFAULTS = {
    "thesis": {"batch_size": 256, "lr_g": 2e-4, "lr_d": 2e-4, "beta_1": 0.5},
    "improved": {"batch_size": 128, "lr_g": 2e-4, "lr_d": 2e-4, "beta_1": 0.5},
}


def check_variant(variant: str) -> str:
    """Return ``variant`` or raise ``ValueError`` naming the allowed ones."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown GAN variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    return variant


def tanh_output(variant: str) -> bool:
    """Whether the raw generator of ``variant`` outputs [-1, 1] (else [0, 1])."""
    return check_variant(variant) == "improved"


def build_generator(variant: str = "improved", latent_dim: int = LATENT_DIM):
    """The generator: ``(N, latent_dim)`` -> ``(N, 28, 28, 1)`` ([-1,1] improved, [0,1] thesis)."""
    import keras
    from keras import layers

    check_variant(variant)
    z = keras.Input((latent_dim,), name="z")
    # Every layer is named explicitly: models built in different threads (training jobs)
    # then never depend on Keras' per-thread automatic name counters.
    if variant == "thesis":
        # Dense 7*7*128 -> two 4x4 stride-2 transposed convs (7 -> 14 -> 28) -> 7x7 conv.
        x = layers.Dense(7 * 7 * 128, name="g_dense")(z)
        x = layers.LeakyReLU(0.2, name="g_act0")(x)
        x = layers.Reshape((7, 7, 128), name="g_reshape")(x)
        for i in (1, 2):
            x = layers.Conv2DTranspose(128, 4, strides=2, padding="same", name=f"g_up{i}")(x)
            x = layers.LeakyReLU(0.2, name=f"g_act{i}")(x)
        out = layers.Conv2D(1, 7, padding="same", activation="sigmoid", name="g_out")(x)
    else:
        # Dense -> (7, 7, 256) -> BN/ReLU -> ConvT 128 s2 (14x14) -> BN/ReLU -> ConvT 64 s2 (28x28)
        # -> BN/ReLU -> 3x3 conv to one channel, tanh. Wide enough to draw sharp digits, small
        # enough for a 2-core CPU (about 0.2 s per batch of 64 with its discriminator).
        x = layers.Dense(7 * 7 * 256, use_bias=False, name="g_dense")(z)
        x = layers.ReLU(name="g_act0")(layers.BatchNormalization(name="g_bn0")(x))
        x = layers.Reshape((7, 7, 256), name="g_reshape")(x)
        for i, filters in enumerate((128, 64), start=1):
            x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False, name=f"g_up{i}")(x)
            x = layers.ReLU(name=f"g_act{i}")(layers.BatchNormalization(name=f"g_bn{i}")(x))
        out = layers.Conv2D(1, 3, padding="same", activation="tanh", name="g_out")(x)
    return keras.Model(z, out, name=f"generator_{variant}")


def build_discriminator(variant: str = "improved", classes: int = 0):
    """The discriminator: ``(N, 28, 28, 1)`` image -> ``(N, 1)`` probability of "real".

    With ``classes > 0`` it has a second head on the same features (an auxiliary
    classifier, as in Odena et al.'s AC-GAN) and returns ``[probability (N, 1), class
    logits (N, classes)]``.
    """
    import keras
    from keras import layers

    check_variant(variant)
    img = keras.Input((28, 28, 1), name="image")
    x = img
    # (filters, kernel, dropout) per block, 28 -> 14 -> 7; strided convolutions, no pooling
    blocks = [(64, 3, 0.4), (64, 3, 0.4)] if variant == "thesis" else [(64, 4, 0.3), (128, 4, 0.3)]
    for i, (filters, kernel, drop) in enumerate(blocks, start=1):
        x = layers.Conv2D(filters, kernel, strides=2, padding="same", name=f"d_conv{i}")(x)
        x = layers.LeakyReLU(0.2, name=f"d_act{i}")(x)
        x = layers.Dropout(drop, name=f"d_drop{i}")(x)
    x = layers.Flatten(name="d_flatten")(x)
    out = layers.Dense(1, activation="sigmoid", name="d_out")(x)
    if classes:
        out = [out, layers.Dense(classes, name="d_class")(x)]
    return keras.Model(img, out, name=f"discriminator_{variant}")


def unit_output(generator, variant: str):
    """Wrap ``generator`` so its output is in [0, 1] (rescales a tanh output)."""
    import keras

    if not tanh_output(variant):
        return generator
    z = keras.Input((generator.input_shape[-1],), name="z")
    out = keras.layers.Rescaling(0.5, offset=0.5, name="to_unit")(generator(z))
    return keras.Model(z, out, name=f"{generator.name}_unit")


def shipped_path(name: str = DEFAULT_NAME) -> Path:
    from core.paths import SHIPPED_MODELS

    return SHIPPED_MODELS / f"{name}.keras"


def load_generator(name: str | Path | None = None):
    """The shipped default generator (or a named one): ``(N,100)`` float32 -> ``(N,28,28,1)`` in [0,1].

    ``name`` is a shipped model name (``"gan-improved"``) or a path in the lab's model
    folders. Models come from the lab's one cache (``core.storage.store.load_cached``, keyed by
    path and file version): treat them as read-only.
    """
    from core.storage.store import load_cached
    from lab.gan import model_mixture as gan_mixture  # noqa: F401 - registers the layer of generators made from the conditional one

    path = Path(name) if name and str(name).endswith(".keras") else shipped_path(name or DEFAULT_NAME)
    return load_cached(path)


def latent(seed: int, n: int = 1, latent_dim: int = LATENT_DIM) -> np.ndarray:
    """``n`` latent vectors z ~ N(0, I) from ``seed``: ``(n, latent_dim)`` float32."""
    if n < 1:
        raise ValueError(f"number of latent vectors must be at least 1, got {n}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    return np.random.default_rng(int(seed)).standard_normal((n, latent_dim)).astype(np.float32)


def generate(generator, z: np.ndarray) -> np.ndarray:
    """Images ``(N, 28, 28)`` in [0, 1] for latent vectors ``z`` ``(N, 100)`` (no ``predict``)."""
    z = np.asarray(z, dtype=np.float32)
    if z.ndim == 1:
        z = z[None]
    if z.ndim != 2 or z.shape[1] != generator.input_shape[-1]:
        raise ValueError(f"latent vectors must have shape (N, {generator.input_shape[-1]}), got {z.shape}")
    out = np.asarray(generator(z, training=False))
    return np.clip(out[..., 0], 0.0, 1.0)


def generate_many(generator, z: np.ndarray, batch: int = 500) -> np.ndarray:
    """Like ``generate`` for thousands of vectors, in batches."""
    return np.concatenate([generate(generator, z[i:i + batch]) for i in range(0, len(z), batch)])


def interpolate(z0: np.ndarray, z1: np.ndarray, steps: int, method: str = "slerp") -> np.ndarray:
    """``steps`` latent vectors from ``z0`` to ``z1`` (both included): ``(steps, LATENT_DIM)``.

    ``"linear"`` walks the straight chord, whose middle has a smaller norm than Gaussian
    samples (about 0.71x halfway for independent ends); ``"slerp"`` walks the great circle
    between the directions and interpolates the norms, so every frame looks like a sample.
    ``steps`` is bounded (2..256): a million steps would allocate gigabytes.
    """
    from core.errors import check_range

    check_range(steps, "steps", 2, 256)
    z0 = np.asarray(z0, dtype=np.float64).reshape(-1)
    z1 = np.asarray(z1, dtype=np.float64).reshape(-1)
    if z0.shape != z1.shape:
        raise ValueError(f"endpoints must have the same shape, got {z0.shape} and {z1.shape}")
    if int(steps) != steps or steps < 2:
        raise ValueError(f"steps must be a whole number of at least 2, got {steps}")
    if method not in ("slerp", "linear"):
        raise ValueError(f"interpolation method must be 'slerp' or 'linear', got {method!r}")
    t = np.linspace(0.0, 1.0, int(steps))[:, None]
    if method == "linear":
        return ((1 - t) * z0 + t * z1).astype(np.float32)
    n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if n0 == 0 or n1 == 0:
        return ((1 - t) * z0 + t * z1).astype(np.float32)
    u0, u1 = z0 / n0, z1 / n1
    omega = np.arccos(np.clip(u0 @ u1, -1.0, 1.0))
    if omega < 1e-6:  # same direction: slerp degenerates to a linear walk
        return ((1 - t) * z0 + t * z1).astype(np.float32)
    dirs = (np.sin((1 - t) * omega) * u0 + np.sin(t * omega) * u1) / np.sin(omega)
    out = dirs * ((1 - t) * n0 + t * n1)  # unit directions times interpolated norms
    out[0], out[-1] = z0, z1  # exact ends
    return out.astype(np.float32)


def principal_directions(generator, k: int = 8, n: int = 256, eps: float = 0.5,
                         seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` latent directions that change the generated image most, and their strength.

    Finite differences of the generator along each latent axis, averaged over ``n``
    samples, give an estimate of ``J^T J`` (J: image-by-latent Jacobian, 784 x 100); its
    top eigenvectors are the directions whose moves change the image most. Returns
    ``(directions (k, latent_dim) unit rows, singular values (k,))``.
    """
    if not 1 <= k <= generator.input_shape[-1]:
        raise ValueError(f"number of directions must be between 1 and {generator.input_shape[-1]}, got {k}")
    dim = generator.input_shape[-1]
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((n, dim)).astype(np.float32)
    x0 = generate_many(generator, base).reshape(n, -1)
    gram = np.zeros((dim, dim))
    # Every sample moved along every axis, in one batched pass: (dim * n, dim), axis-major.
    moved = np.repeat(base[None], dim, axis=0)  # (dim, n, dim)
    moved[np.arange(dim), :, np.arange(dim)] += eps
    # Columns of J for each sample: (n, 784) per latent axis.
    cols = (generate_many(generator, moved.reshape(dim * n, dim), batch=1000).reshape(dim, n, -1) - x0) / eps
    for s in range(n):
        j = cols[:, s, :]  # (dim, 784) = J^T for sample s
        gram += j @ j.T
    vals, vecs = np.linalg.eigh(gram / n)
    order = np.argsort(vals)[::-1][:k]
    return vecs[:, order].T.astype(np.float32), np.sqrt(np.maximum(vals[order], 0)).astype(np.float32)


def path_norms(path: np.ndarray) -> np.ndarray:
    """Euclidean norm of each latent vector of a path ``(steps, dim)`` -> ``(steps,)``."""
    return np.linalg.norm(np.asarray(path, dtype=np.float64), axis=1)


def diversity(images: np.ndarray) -> float:
    """Mean pairwise pixel distance of ``(N, 28, 28)`` images in [0, 1] (low = few shapes)."""
    x = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    if len(x) < 2:
        raise ValueError(f"diversity needs at least 2 images, got {len(x)}")
    sq = (x * x).sum(1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0)
    n = len(x)
    return float(np.sqrt(d2)[~np.eye(n, dtype=bool)].mean())


def nearest_training(images: np.ndarray, train: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Indices and pixel distances of the ``k`` training images closest to each image.

    ``images``: ``(28, 28)`` or ``(M, 28, 28)`` in [0, 1]; ``train``: ``uint8 (N, 28, 28)``.
    Returns ``(k,)`` arrays for one image, ``(M, k)`` for several. A generator that copies
    its training data shows near-zero distances here.
    """
    if not 1 <= k <= len(train):
        raise ValueError(f"number of neighbours must be between 1 and {len(train)}, got {k}")
    single = np.ndim(images) == 2
    q = np.asarray(images, dtype=np.float32).reshape(1 if single else len(images), -1)
    x = np.asarray(train, dtype=np.float32).reshape(len(train), -1) / 255.0
    if q.shape[1] != x.shape[1]:
        raise ValueError(f"images must have {x.shape[1]} pixels each, got {q.shape[1]}")
    # |x - q|^2 = |x|^2 - 2 x.q + |q|^2, for all pairs at once: (M, N)
    d = np.sqrt(np.maximum((x * x).sum(1)[None] - 2 * q @ x.T + (q * q).sum(1)[:, None], 0))
    idx = np.argsort(d, axis=1)[:, :k]
    dist = np.take_along_axis(d, idx, axis=1)
    return (idx[0], dist[0]) if single else (idx, dist)


def class_summary(probs: np.ndarray) -> dict[str, float | list[float]]:
    """Class shares, mean confidence, share confident (>= 0.9) and KL to uniform of ``(N, 10)`` probs."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[1] != 10:
        raise ValueError(f"expected class probabilities of shape (N, 10), got {probs.shape}")
    shares = np.bincount(probs.argmax(1), minlength=10) / len(probs)
    nz = shares > 0
    return {"shares": shares.tolist(), "mean_confidence": float(probs.max(1).mean()),
            "confident_share": float((probs.max(1) >= 0.9).mean()),
            "kl_uniform": float((shares[nz] * np.log(shares[nz] * 10)).sum()),
            "classes_present": int(nz.sum())}


def gif_bytes(frames: np.ndarray, scale: int = 4, duration_ms: int = 120) -> bytes:
    """An animated GIF (looping forth and back) of ``(N, 28, 28)`` frames in [0, 1]."""
    import io

    from PIL import Image

    frames = np.clip(np.asarray(frames, dtype=np.float32), 0, 1)
    if frames.ndim != 3 or len(frames) < 2:
        raise ValueError(f"a GIF needs at least 2 frames of shape (H, W), got {frames.shape}")
    big = (frames.repeat(scale, 1).repeat(scale, 2) * 255).round().astype(np.uint8)
    seq = list(big) + list(big[-2:0:-1])  # ping-pong so the loop has no jump
    images = [Image.fromarray(f) for f in seq]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=duration_ms, loop=0)
    return buf.getvalue()
