"""Training the GAN inversion encoder on a generator's own drawings, and saving it beside it.

Draw ``z ~ N(0, I)``, make ``x = G(z)`` with the generator frozen, and minimise
``|G(E(x)) - x|² + latent_weight · |E(x) - z|²`` (pixels first; the small latent term keeps
``E(x)`` where Gaussian codes live). The encoder is built in ``lab.gan.model_encoder``.

    python -m lab.gan.training.encoder --generator gan-improved --steps 3000 --out assets/models

writes ``gan-improved-encoder.keras`` and its card, which names the generator and holds the
SHA-256 of its file.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.errors import check_range
from lab.gan import model_dcgan as gan_model
from lab.gan.model_encoder import KIND, SUFFIX, build_encoder, file_sha256


@dataclass(frozen=True)
class EncoderConfig:
    """How an encoder is trained (defaults: the shipped one)."""

    generator: str = gan_model.DEFAULT_NAME  # shipped name or .keras path
    steps: int = 3000
    batch_size: int = 64
    learning_rate: float = 1e-3
    latent_weight: float = 0.1  # weight of |E(x) - z|² beside the pixel error
    seed: int = 0

    def validate(self) -> EncoderConfig:
        check_range(self.steps, "steps", 1, 100_000)
        check_range(self.batch_size, "batch_size", 1, 1024)
        check_range(self.learning_rate, "learning_rate", 1e-6, 1.0, whole=False)
        check_range(self.latent_weight, "latent_weight", 0.0, 10.0, whole=False)
        return self


def train_encoder(generator, config: EncoderConfig, report=None):
    """Train an encoder for ``generator`` (``(N, dim) -> images in [0, 1]``, left unchanged).

    ``report(step, loss)`` is called every 250 steps and at the end. Returns
    ``(encoder, final loss)``; the loss is the mean of the last 100 steps.
    """
    import keras
    import tensorflow as tf

    config.validate()
    keras.utils.set_random_seed(config.seed)  # Keras state is per thread: set it here
    dim = generator.input_shape[-1]
    encoder = build_encoder(dim)
    opt = keras.optimizers.Adam(config.learning_rate)
    weight = float(config.latent_weight)

    @tf.function
    def step(z):
        x = generator(z, training=False)  # (B, 28, 28, 1)
        with tf.GradientTape() as tape:
            z_hat = encoder(x, training=True)
            pixels = tf.reduce_mean(tf.square(generator(z_hat, training=False) - x))
            loss = pixels + weight * tf.reduce_mean(tf.square(z_hat - z))
        opt.apply_gradients(zip(tape.gradient(loss, encoder.trainable_variables), encoder.trainable_variables))
        return loss

    rng = np.random.default_rng(config.seed)
    losses = []
    for i in range(1, config.steps + 1):
        losses.append(float(step(rng.standard_normal((config.batch_size, dim)).astype(np.float32))))
        if report and (i % 250 == 0 or i == config.steps):
            report(i, float(np.mean(losses[-100:])))
    return encoder, float(np.mean(losses[-100:]))


def export(config: EncoderConfig, directory: Path, report=None, command: str = ""):
    """Train an encoder for ``config.generator`` and save it beside its name, with a card."""
    from core import device
    from core.storage import store

    source = Path(config.generator) if str(config.generator).endswith(".keras") else gan_model.shipped_path(
        config.generator)
    generator = gan_model.load_generator(source)
    start = time.perf_counter()
    encoder, loss = train_encoder(generator, config, report)
    card = {"kind": KIND, "command": command, "generator": source.stem, "generator_sha256": file_sha256(source),
            "config": asdict(config), "steps": config.steps, "final_loss": round(loss, 5),
            "train_seconds": round(time.perf_counter() - start, 1), "device": device.describe(),
            "data": "the generator's own samples, z ~ N(0, I) (no images from a data set)"}
    return store.save_model(encoder, card, source.stem + SUFFIX, directory)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m lab.gan.training.encoder", description=__doc__.splitlines()[0])
    p.add_argument("--generator", default=gan_model.DEFAULT_NAME, help="shipped name or .keras path")
    p.add_argument("--steps", type=int, default=EncoderConfig.steps)
    p.add_argument("--batch-size", type=int, default=EncoderConfig.batch_size)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    from core.jobs.keras_setup import prepare_worker

    prepare_worker(0)
    config = EncoderConfig(args.generator, args.steps, args.batch_size, seed=args.seed).validate()
    command = "python -m lab.gan.training.encoder " + " ".join(argv if argv is not None else sys.argv[1:])
    entry = export(config, args.out, lambda i, loss: print(f"step {i}/{config.steps} loss={loss:.5f}", flush=True),
                   command.strip())
    print(f"saved {entry.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
