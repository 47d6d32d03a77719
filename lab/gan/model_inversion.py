"""GAN inversion: the latent vector whose generated image is closest to a given digit.

A generator maps ``z`` to an image; inverting it means searching ``z`` for a target image.
We minimise the pixel mean squared error ``|G(z) - x|²`` by gradient descent on ``z`` (Adam,
the generator's weights frozen), from ``STARTS`` starting points in one batch, and keep the
best. Gradient descent from a random ``z`` often stops in a poor local minimum, so the
starts are the generator's own samples closest to the target, found in a bank of
``BANK_SIZE`` samples made once per model file, and one random start from ``seed``. Where
an encoder was trained on this generator file (``lab.gan.model_encoder``), its guess ``E(x)``
takes the place of the farthest of those samples: a warm start.
After every step ``z`` is pulled back inside the ball of norm ``MAX_NORM``: Gaussian
latent vectors have norms near 10 (= √100), and a ``z`` far outside that shell draws
images the generator never learned to make.

Digits the generator itself made come back almost exactly; a real drawing only as close
as the generator can come to it (it may lie outside what the generator can draw at all).

Results are shared across sessions (``core.memo.SharedCache``) keyed by the model file
version, the seed and the drawing's bytes: the same drawing is inverted once.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from core.errors import InputError
from core.jobs import interactive
from core.memo import SharedCache, array_key
from lab.gan import model_dcgan as gan_model
from lab.gan import model_encoder as gan_encoder

STARTS = 4  # starting points optimised together in one batch
STEPS = 60  # Adam steps (measured: 60 reach 100 % same-digit reconstructions on 40 test digits)
CHUNK = 10  # steps per graph call: progress is reported between calls
LEARNING_RATE = 0.1
MAX_NORM = 1.3 * math.sqrt(gan_model.LATENT_DIM)  # 13: Gaussian z has norm 10 ± 0.7
BANK_SIZE, BANK_SEED = 2000, 20_171  # generated samples to pick starting points from

_banks: SharedCache = SharedCache(4)
_results: SharedCache = SharedCache(256)
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gan-invert")  # two at a time on 2 cores


def model_key(generator) -> Hashable:
    """The generator's file version when it came from ``store.load_cached``, else its identity."""
    return getattr(generator, "_nnlab_version", None) or ("object", id(generator), generator.name)


def check_image(image: np.ndarray) -> np.ndarray:
    """``image`` as float32 ``(28, 28)`` if it is one with finite pixels in [0, 1], else ``InputError``."""
    x = np.asarray(image, dtype=np.float32)
    if x.shape != (28, 28):
        raise InputError("gan.invert_shape", shape=tuple(x.shape))
    if not np.isfinite(x).all():
        raise InputError("image.not_finite", count=int((~np.isfinite(x)).sum()))
    if x.min() < 0 or x.max() > 1:
        bad = float(x.min()) if x.min() < 0 else float(x.max())
        raise InputError("gan.invert_range", value=bad, low=0, high=1)
    return x


def bank(generator) -> tuple[np.ndarray, np.ndarray]:
    """``BANK_SIZE`` latent vectors ``(B, 100)`` and their images ``(B, 784)``, made once per model."""
    def make():
        z = gan_model.latent(BANK_SEED, BANK_SIZE, generator.input_shape[-1])
        return z, gan_model.generate_many(generator, z, batch=250).reshape(BANK_SIZE, -1)

    return _banks.get(model_key(generator), make)


def _stepper(generator):
    """``CHUNK``-ish Adam steps as one graph: ``(z, m, v, t, target, n) -> (z, m, v, t)``.

    Traced once per generator (fixed shapes): ``z``, ``m``, ``v`` ``(STARTS, dim)``, ``t``
    the step count so far, ``target`` ``(28, 28)``, ``n`` the steps to take. Pure function
    of its inputs (no variables), so sessions can run it at the same time.
    """
    step = getattr(generator, "_nnlab_invert_step", None)
    if step is not None:
        return step
    import tensorflow as tf

    dim = generator.input_shape[-1]
    b1, b2, eps = 0.9, 0.999, 1e-8
    spec = tf.TensorSpec((STARTS, dim), tf.float32)

    @tf.function(input_signature=[spec, spec, spec, tf.TensorSpec((), tf.float32),
                                  tf.TensorSpec((28, 28), tf.float32), tf.TensorSpec((), tf.int32)])
    def run(z, m, v, t, target, n):
        for _ in tf.range(n):
            with tf.GradientTape() as tape:
                tape.watch(z)
                x = generator(z, training=False)[..., 0]  # (STARTS, 28, 28)
                loss = tf.reduce_sum(tf.reduce_mean(tf.square(x - target[None]), axis=[1, 2]))
            g = tape.gradient(loss, z)  # starts are independent: the sum's gradient is each one's
            t = t + 1.0
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            z = z - LEARNING_RATE * (m / (1 - b1 ** t)) / (tf.sqrt(v / (1 - b2 ** t)) + eps)
            z = z * tf.minimum(1.0, MAX_NORM / tf.norm(z, axis=1, keepdims=True))  # back into the ball
        return z, m, v, t

    object.__setattr__(generator, "_nnlab_invert_step", run)  # outside Keras' attribute tracking
    return run


def starts(generator, image: np.ndarray, seed: int, warm: bool = True) -> np.ndarray:
    """``(STARTS, dim)`` starting points: the bank's samples nearest ``image``, the encoder's
    guess (when ``warm`` and the generator has one), one random from ``seed``."""
    bz, bimg = bank(generator)
    encoder = gan_encoder.encoder_for(generator) if warm else None
    dist = ((bimg - image.reshape(1, -1)) ** 2).mean(1)  # (B,)
    nearest = bz[np.argsort(dist)[:STARTS - 1 - (encoder is not None)]]
    guess = [] if encoder is None else [gan_encoder.encode(encoder, image[None])]
    z = np.concatenate([nearest, *guess, gan_model.latent(seed, 1, bz.shape[1])]).astype(np.float32)
    return z * np.minimum(1.0, MAX_NORM / np.linalg.norm(z, axis=1, keepdims=True))  # inside the ball


def optimise(generator, image: np.ndarray, seed: int = 0,
             progress: Callable[[float], None] | None = None, warm: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Invert ``image`` (checked ``(28, 28)``) without the cache: ``(z (dim,), reconstruction (28, 28))``.
    ``warm=False`` leaves the encoder out (to measure what it adds)."""
    import tensorflow as tf

    run = _stepper(generator)
    z = tf.constant(starts(generator, image, seed, warm))
    m = v = tf.zeros_like(z)
    t, target = tf.constant(0.0), tf.constant(image)
    for done in range(0, STEPS, CHUNK):
        n = min(CHUNK, STEPS - done)
        interactive.touch()  # a student waits: background training gives way
        z, m, v, t = run(z, m, v, t, target, tf.constant(n, tf.int32))
        if progress:
            progress((done + n) / STEPS)
    z = z.numpy()
    images = gan_model.generate(generator, z)  # (STARTS, 28, 28): the final image of each start
    best = int(((images - image[None]) ** 2).mean(axis=(1, 2)).argmin())
    return z[best], images[best]


def invert(image: np.ndarray, seed: int = 0, generator=None,
           progress: Callable[[float], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The latent vector whose image is closest to ``image``, and that image.

    ``image``: ``(28, 28)`` in [0, 1], white ink on black (as ``preprocess.canvas_to_mnist``
    returns). ``generator``: default the shipped one (``gan_model.load_generator()``). Returns
    ``(z (100,) float32, reconstruction (28, 28) in [0, 1])``, read-only arrays shared by every
    session that asks for the same drawing, seed and model file. ``progress(fraction)``
    is called while computing (not on a cache hit). Raises ``InputError`` for a bad image.
    """
    x = check_image(image)
    seed = int(seed)
    if seed < 0:
        raise InputError("value.range", param="seed", value=seed, low=0, high=2**32 - 1)
    generator = generator if generator is not None else gan_model.load_generator()

    def compute():
        z, recon = optimise(generator, x, seed, progress)
        z.flags.writeable = recon.flags.writeable = False
        return z, recon

    return _results.get((model_key(generator), seed, array_key(x)), compute)


def is_cached(image: np.ndarray, seed: int = 0, generator=None) -> bool:
    """Whether ``invert(image, seed, generator)`` would answer from the cache."""
    generator = generator if generator is not None else gan_model.load_generator()
    return (model_key(generator), int(seed), array_key(check_image(image))) in _results


class Inversion:
    """An inversion running in the background: ``progress`` in [0, 1], then ``result`` or ``error``."""

    def __init__(self) -> None:
        self.progress = 0.0
        self.result: tuple[np.ndarray, np.ndarray] | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def _run(self, image: np.ndarray, seed: int, generator) -> None:
        try:
            self.result = invert(image, seed, generator, progress=lambda f: setattr(self, "progress", f))
            self.progress = 1.0
        except Exception as exc:  # noqa: BLE001 - handed to the page, which shows it
            self.error = exc
        finally:
            self._done.set()


def start(image: np.ndarray, seed: int = 0, generator=None) -> Inversion:
    """Invert ``image`` off the caller's thread (at most two at a time); the image is
    checked first, so bad input raises here. A cached drawing comes back already done."""
    x = check_image(image)
    generator = generator if generator is not None else gan_model.load_generator()
    task = Inversion()
    if is_cached(x, seed, generator):
        task._run(x, seed, generator)
    else:
        _pool.submit(task._run, x, int(seed), generator)
    return task
