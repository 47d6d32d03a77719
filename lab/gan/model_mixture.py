"""An unconditional generator made from the conditional one: ``(N, 100) -> images``.

No new training. The digit is read from one direction ``w`` of ``z`` and that coordinate is
then drawn afresh, so the style ``z'`` the conditional generator gets is N(0, I) and
independent of the digit, as it was in training:

- ``u = z . w`` is a standard normal, so ``p = Phi(u)`` is uniform on (0, 1);
- the digit is the band ``p`` falls in. The bands' widths are the digits' shares: ten equal
  bands (``c = floor(10 p)``) by default, or the shares of the digits in the training images
  (``--prior``), so the generator draws each digit as often as its data shows it;
- the position inside the band, ``r = (p - lo_c) / share_c``, is again uniform and
  independent of ``c``, so ``u' = Phi^-1(r)`` is a fresh standard normal: ``z' = z + (u' - u) w``;
- the image is ``G(z', one_hot(c))``.

Tying the class to ``z`` without that last step (e.g. ``softmax(T z W)`` over ten directions,
our first try) shifts every class's ``z`` away from N(0, I) and costs realism: Fréchet
distance 7.35 against 5.69 this way with the same epoch-80 conditional model (docs/BENCHMARKS.md).
A slider that crosses a band's edge changes the digit (and ``u'`` jumps); inside a band the
digit stays and the style moves.

    python -m lab.gan.model_mixture --from gan-conditional --out assets/models --name gan-from-conditional [--prior]

The exported model keeps ``lab.gan.model.load_generator``'s contract and the ``gan-generator``
card kind; its card says what it is, which conditional model it wraps and how that was
trained. Its one custom layer, ``LatentBands``, is registered here; ``lab.gan.model_dcgan`` imports this
module before loading a generator.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import keras
import numpy as np

from lab.gan import model_conditional as gc

DIRECTION_SEED = 17
EDGE = 1e-6  # r is kept in [EDGE, 1 - EDGE]: u' within about +-4.75 in float32


def direction(seed: int = DIRECTION_SEED, latent_dim: int = gc.LATENT_DIM) -> np.ndarray:
    """The unit vector ``w`` ``(latent_dim,)`` the digit is read along (from ``seed``)."""
    w = np.random.default_rng(seed).standard_normal(latent_dim)
    return (w / np.linalg.norm(w)).astype(np.float32)


def training_shares() -> list[float]:
    """Each digit's share of the training images ``(10,)``, summing to 1: the labels of
    ``core.storage.mnist.load_mnist``, the set the GAN trains on (the bundled 10,000 here)."""
    from core.storage.mnist import load_mnist

    (_, y), _ = load_mnist()
    return (np.bincount(y, minlength=gc.CLASSES) / len(y)).tolist()


def _check_shares(shares, classes: int) -> np.ndarray:
    shares = np.asarray(shares, np.float64).reshape(-1)
    if shares.shape != (classes,) or (shares <= 0).any() or abs(shares.sum() - 1) > 1e-6:
        raise ValueError(f"shares must be {classes} positive numbers summing to 1, got {shares.tolist()}")
    return shares


def _phi(u):
    return 0.5 * (1.0 + keras.ops.erf(u / np.sqrt(2.0)))


def _phi_inv(r):
    return np.sqrt(2.0) * keras.ops.erfinv(2.0 * r - 1.0)


@keras.saving.register_keras_serializable(package="nnlab")
class LatentBands(keras.layers.Layer):
    """``z (N, dim)`` -> ``[z' (N, dim), class weights (N, 10) one-hot]`` (module docstring)."""

    def __init__(self, w, classes: int = gc.CLASSES, shares=None, **kwargs):
        super().__init__(**kwargs)
        self.w = [float(v) for v in np.asarray(w).reshape(-1)]
        self.classes = int(classes)
        # files saved before shares existed have none: ten equal bands
        self.shares = None if shares is None else _check_shares(shares, self.classes).tolist()

    def call(self, z):
        shares = np.full(self.classes, 1 / self.classes) if self.shares is None else np.asarray(self.shares)
        edges = np.concatenate([[0.0], np.cumsum(shares)])  # (classes + 1,) band edges in [0, 1]
        edges[-1] = 1.0
        w = keras.ops.convert_to_tensor(np.asarray(self.w, np.float32))  # (dim,)
        u = keras.ops.sum(z * w, axis=1, keepdims=True)  # (N, 1)
        p = keras.ops.clip(_phi(u), 0.0, 1.0 - 1e-7)  # (N, 1) uniform in [0, 1)
        inner = keras.ops.convert_to_tensor(edges[1:-1].astype(np.float32))  # (classes - 1,)
        c = keras.ops.sum(keras.ops.cast(p >= inner, "int32"), axis=1)  # (N,): the digit
        lo = keras.ops.take(keras.ops.convert_to_tensor(edges[:-1].astype(np.float32)), c)[:, None]
        width = keras.ops.take(keras.ops.convert_to_tensor(shares.astype(np.float32)), c)[:, None]
        r = keras.ops.clip((p - lo) / width, EDGE, 1.0 - EDGE)  # uniform, independent of c
        z_new = z + (_phi_inv(r) - u) * w  # (N, dim): that coordinate drawn afresh
        return [z_new, keras.ops.one_hot(c, self.classes)]

    def compute_output_shape(self, input_shape):
        return [input_shape, (input_shape[0], self.classes)]

    def get_config(self):
        return {**super().get_config(), "w": self.w, "classes": self.classes, "shares": self.shares}


def bands(z: np.ndarray, seed: int = DIRECTION_SEED, shares=None) -> tuple[np.ndarray, np.ndarray]:
    """NumPy-friendly view of the mapping: ``(z' (N, 100), digits (N,))`` for ``z`` ``(N, 100)``;
    ``shares`` ``(10,)``: the bands' widths (``None``: equal)."""
    z_new, y = LatentBands(direction(seed), shares=shares)(np.asarray(z, dtype=np.float32))
    return np.asarray(z_new), np.asarray(y).argmax(1)


def build_unconditional(conditional, seed: int = DIRECTION_SEED, shares=None):
    """``z (N, 100)`` -> ``conditional(LatentBands(z))`` ``(N, 28, 28, 1)``.

    ``conditional``: a ``[z, y] -> image`` model (in [0, 1], ``gan_conditional.unit_output``);
    ``shares``: each digit's band width (``None``: ten equal bands).
    """
    z = keras.Input((gc.LATENT_DIM,), name="z")
    z_new, y = LatentBands(direction(seed), shares=shares, name="latent_bands")(z)
    return keras.Model(z, conditional([z_new, y]), name="generator_from_conditional")


def export_unconditional(conditional_name: str | Path, name: str, directory: Path, prior: bool = False):
    """Build the unconditional generator over a stored conditional model; save it with its card.

    ``prior``: bands as wide as the digits' shares of the training images (else equal)."""
    from core.paths import read_json
    from core.storage import store

    conditional = gc.load_conditional(conditional_name)
    src = Path(conditional_name) if str(conditional_name).endswith(".keras") else gc.shipped_path(
        str(conditional_name))
    src_card = read_json(src.with_suffix(".json")) if src.with_suffix(".json").exists() else {}
    shares = training_shares() if prior else None
    widths = ("probability bands as wide as the digits' shares of the training images" if prior
              else "ten equal probability bands")
    card = {"kind": "gan-generator", "variant": "from-conditional", "latent_dim": gc.LATENT_DIM,
            "direction_seed": DIRECTION_SEED, "shares": shares,
            "what": ("No training of its own: the class-conditional generator "
                     f"{src.stem}, the digit read from one latent direction (seed {DIRECTION_SEED}) "
                     f"in {widths} and that coordinate drawn afresh; see lab/gan/model_mixture.py."),
            "wraps": src.stem, "epochs": src_card.get("epochs"),
            "train_seconds": src_card.get("train_seconds"), "device": src_card.get("device"),
            "config": src_card.get("config"), "training_commands": src_card.get("training_commands", []),
            "data": src_card.get("data")}
    return store.save_model(build_unconditional(conditional, shares=shares), card, name, directory)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m lab.gan.model_mixture", description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", default=gc.CONDITIONAL_NAME, help="conditional model")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--name", default="gan-from-conditional")
    p.add_argument("--prior", action="store_true", help="bands as wide as the training digits' shares")
    args = p.parse_args(argv)
    entry = export_unconditional(args.source, args.name, args.out, prior=args.prior)
    print(f"saved {entry.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
