"""An unconditional generator made from the conditional one: ``(N, 100) -> images``.

No new training. The digit is read from ``z`` itself, continuously: ten fixed orthonormal
directions ``W`` ``(100, 10)`` give ten scores ``u = z W`` (for z ~ N(0, I) these are ten
independent standard normals, so every digit wins equally often), and the class weights are
``softmax(temperature * u)``. The conditional generator then draws ``G(z, weights)``. Near
the middle of a class region the weights are one-hot (a clean digit); where two scores are
close they mix, so moving ``z`` along a slider morphs one digit into the next instead of
jumping. A higher temperature makes those border regions thinner (fewer mixed digits) and
the morph quicker.

    python -m core.gan_mixture --temperature 30 --out assets/models --name gan-mixture

The exported model keeps ``core.gan.load_generator``'s contract and the ``gan-generator``
card kind; its card says what it is, which conditional model it wraps and how that was trained.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from core import gan_conditional as gc

DEFAULT_TEMPERATURE = 30.0
DIRECTIONS_SEED = 17


def directions(seed: int = DIRECTIONS_SEED, latent_dim: int = gc.LATENT_DIM) -> np.ndarray:
    """Ten orthonormal columns ``(latent_dim, 10)`` from ``seed`` (QR of a Gaussian matrix)."""
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((latent_dim, gc.CLASSES)))
    return q.astype(np.float32)


def class_mixture(z: np.ndarray, temperature: float = DEFAULT_TEMPERATURE,
                  seed: int = DIRECTIONS_SEED) -> np.ndarray:
    """The class weights ``(N, 10)`` the mixture generator uses for ``z`` ``(N, 100)`` (NumPy)."""
    s = temperature * (np.asarray(z, dtype=np.float64) @ directions(seed).astype(np.float64))
    e = np.exp(s - s.max(1, keepdims=True))
    return (e / e.sum(1, keepdims=True)).astype(np.float32)


def build_mixture_generator(conditional, temperature: float = DEFAULT_TEMPERATURE,
                            seed: int = DIRECTIONS_SEED):
    """``z (N, 100)`` -> ``conditional([z, softmax(temperature * z W)])`` ``(N, 28, 28, 1)``.

    ``conditional``: a ``[z, y] -> image`` model (in [0, 1], ``gan_conditional.unit_output``).
    ``W`` is a frozen, bias-free Dense layer holding ``temperature * directions(seed)``.
    """
    import keras
    from keras import layers

    from core.errors import check_range

    check_range(temperature, "temperature", 0.1, 1000, whole=False)
    z = keras.Input((gc.LATENT_DIM,), name="z")
    scores = layers.Dense(gc.CLASSES, use_bias=False, trainable=False, name="class_scores")
    weights = layers.Softmax(name="class_weights")(scores(z))
    scores.set_weights([temperature * directions(seed)])
    return keras.Model(z, conditional([z, weights]), name="generator_mixture")


def export_mixture(conditional_name: str | Path, name: str, directory: Path,
                   temperature: float = DEFAULT_TEMPERATURE):
    """Build the mixture generator over a stored conditional model and save it with its card."""
    from core import store
    from core.paths import read_json

    conditional = gc.load_conditional(conditional_name)
    src = Path(conditional_name) if str(conditional_name).endswith(".keras") else gc.shipped_path(
        str(conditional_name))
    src_card = read_json(src.with_suffix(".json")) if src.with_suffix(".json").exists() else {}
    card = {"kind": "gan-generator", "variant": "mixture", "latent_dim": gc.LATENT_DIM,
            "temperature": temperature, "directions_seed": DIRECTIONS_SEED,
            "what": ("No training of its own: the class-conditional generator "
                     f"{src.stem} with its class weights computed from z as "
                     f"softmax({temperature:g} * z W), W ten fixed orthonormal directions "
                     f"(seed {DIRECTIONS_SEED}); see core/gan_mixture.py."),
            "wraps": src.stem, "epochs": src_card.get("epochs"),
            "train_seconds": src_card.get("train_seconds"), "device": src_card.get("device"),
            "config": src_card.get("config"), "training_commands": src_card.get("training_commands", []),
            "data": src_card.get("data")}
    model = build_mixture_generator(conditional, temperature)
    return store.save_model(model, card, name, directory)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m core.gan_mixture", description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", default=gc.CONDITIONAL_NAME, help="conditional model")
    p.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--name", default="gan-mixture")
    args = p.parse_args(argv)
    entry = export_mixture(args.source, args.name, args.out, args.temperature)
    print(f"saved {entry.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
