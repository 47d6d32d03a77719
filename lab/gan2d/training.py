"""Training the two-dimensional GAN one step at a time, in the student's session.

``Gan2dTrainer`` holds a generator, a discriminator, their optimizers and the history; the page
keeps one per session and calls ``run`` a few iterations per redraw, then ``snapshot`` for what
it draws. ``train_gan2d`` runs a whole budget at once (tests, the benchmark).

Every random number (the noise z, the real batch, the penalty's mixing weights) comes from one
numpy generator seeded by ``seed`` and the weights from seeded initialisers, so a seed gives the
same run. TensorFlow is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lab.gan2d import maths
from lab.gan2d.model import LATENT, Gan2dSettings, build_discriminator, build_generator, make_optimizer

DEFAULT_STEPS = 1000  # train_gan2d's budget when steps=None: generator steps (iterations)
MODES = ("both", "d", "g")  # train both in turn, the discriminator only, the generator only
SHOWN = 256  # fake points drawn (fixed noise, so that each point can be followed)


def gan2d_datasets() -> tuple[str, ...]:
    """The names of the preset real distributions: ring of 8 Gaussians, 5×5 grid, line, two moons."""
    return maths.DATASETS


def _functions(settings: Gan2dSettings, gen, disc, d_opt, g_opt) -> tuple[Any, Any]:
    """One iteration and one look at the game, as tf.functions over these networks: a call
    each, not one per step, because on a small network the calls cost more than the maths."""
    import tensorflow as tf

    wgan = settings.loss == "wgan-gp"

    def d_loss(real, z, eps):
        fake = gen(z, training=True)
        real_score, fake_score = disc(real, training=True), disc(fake, training=True)
        if not wgan:  # the course's loss: -log D(x) - log(1 - D(G(z))), on logits
            return tf.reduce_mean(tf.nn.softplus(-real_score) + tf.nn.softplus(fake_score))
        mixed = eps * real + (1 - eps) * fake  # points between real and fake pairs
        with tf.GradientTape() as inner:
            inner.watch(mixed)
            mixed_score = disc(mixed, training=True)
        norm = tf.norm(inner.gradient(mixed_score, mixed) + 1e-12, axis=1)  # the critic's slope there
        penalty = tf.reduce_mean((norm - 1.0) ** 2)
        return tf.reduce_mean(fake_score) - tf.reduce_mean(real_score) + settings.gp_weight * penalty

    def g_loss_of(score):  # non-saturating: -log D(G(z)); WGAN: -C(G(z))
        return -score if wgan else tf.nn.softplus(-score)

    @tf.function
    def iterate(real, z_d, eps, z_g, train_d: bool, train_g: bool):
        """k D steps on ``real``/``z_d``/``eps`` ``(k, batch, ·)`` (k static: unrolled), then a G step."""
        d_value = g_value = tf.constant(float("nan"))
        for j in range(real.shape[0] if train_d else 0):
            with tf.GradientTape() as tape:  # the outer tape: the penalty's gradient is differentiated again
                d_value = d_loss(real[j], z_d[j], eps[j])
            d_opt.apply_gradients(zip(tape.gradient(d_value, disc.trainable_variables), disc.trainable_variables))
        if train_g:
            with tf.GradientTape() as tape:
                g_value = tf.reduce_mean(g_loss_of(disc(gen(z_g, training=True), training=True)))
            g_opt.apply_gradients(zip(tape.gradient(g_value, gen.trainable_variables), gen.trainable_variables))
        return d_value, g_value

    @tf.function
    def look(grid, z_lines, z_shown, z_more):
        """D on the grid, G on the latent grid's lines, the shown fakes and G's push on each
        (-∂(G's loss)/∂x: where G's step moves it), more fakes (to count modes)."""
        fake = gen(z_shown, training=False)
        with tf.GradientTape() as tape:
            tape.watch(fake)
            loss = tf.reduce_sum(g_loss_of(disc(fake, training=False)))
        push = -tape.gradient(loss, fake)
        return disc(grid, training=False)[:, 0], gen(z_lines, training=False), fake, push, gen(z_more, training=False)

    return iterate, look


class Gan2dTrainer:
    """A generator and a discriminator learning one real distribution, step by step."""

    def __init__(self, settings: Gan2dSettings | None = None, seed: int = 0):
        from core import device

        device.configure()  # the thread budget, before TensorFlow's first operation
        self.settings = (settings or Gan2dSettings()).validate()
        s = self.settings
        self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        self.gen = build_generator(s.g_layers, s.g_units, self.seed)
        self.disc = build_discriminator(s.d_layers, s.d_units, self.seed)
        self.g_opt = make_optimizer(s.optimizer, s.lr_g)
        self.d_opt = make_optimizer(s.optimizer, s.lr_d)
        self.g_opt.build(self.gen.trainable_variables)  # slots now: a tf.function makes no variables after its first trace
        self.d_opt.build(self.disc.trainable_variables)
        self._iterate, self._look = _functions(s, self.gen, self.disc, self.d_opt, self.g_opt)
        self.z_shown = np.random.default_rng(self.seed + 1).uniform(-1, 1, (SHOWN, LATENT)).astype(np.float32)
        self.z_more = np.random.default_rng(self.seed + 3).uniform(-1, 1, (1000, LATENT)).astype(np.float32)
        self.iteration = 0
        self.history: dict[str, list[float]] = {"d_loss": [], "g_loss": [], "distance": [], "distance_at": []}

    def set_rates(self, lr_g: float, lr_d: float, d_steps: int) -> None:
        """Change the learning rates and k between steps (no new networks needed)."""
        s = Gan2dSettings(**{**self.settings.__dict__, "lr_g": lr_g, "lr_d": lr_d, "d_steps": d_steps}).validate()
        self.settings = s
        self.g_opt.learning_rate.assign(s.lr_g)
        self.d_opt.learning_rate.assign(s.lr_d)

    def _noise(self, *shape: int) -> np.ndarray:
        return self.rng.uniform(-1, 1, (*shape, self.settings.batch, LATENT)).astype(np.float32)

    def run(self, real: np.ndarray, iterations: int = 1, mode: str = "both") -> None:
        """``iterations`` times: k discriminator steps then one generator step (``mode="both"``),
        k discriminator steps (``"d"``) or one generator step (``"g"``); losses into the history
        (a network not trained in an iteration logs ``nan``)."""
        if mode not in MODES:
            from core.errors import InputError

            raise InputError("gan2d.choice", what="mode", value=mode, choices=", ".join(MODES))
        real = np.asarray(real, dtype=np.float32).reshape(-1, 2)
        k, batch = self.settings.d_steps, self.settings.batch
        for _ in range(int(iterations)):
            # real batches drawn with replacement (any number of real points works), noise, mixing weights
            real_batches = real[self.rng.integers(0, len(real), (k, batch))]  # (k, batch, 2)
            z_d, eps = self._noise(k), self.rng.uniform(0, 1, (k, batch, 1)).astype(np.float32)
            d_value, g_value = self._iterate(real_batches, z_d, eps, self._noise(), mode != "g", mode != "d")
            self.iteration += 1
            self.history["d_loss"].append(float(d_value))
            self.history["g_loss"].append(float(g_value))

    def sample(self, n: int = SHOWN, seed: int | None = None) -> np.ndarray:
        """``n`` generated points ``(n, 2)``: the fixed shown noise, or fresh noise from ``seed``."""
        if seed is None and n <= SHOWN:
            z = self.z_shown[:n]
        else:
            z = np.random.default_rng(self.seed + 2 if seed is None else seed).uniform(-1, 1, (n, LATENT))
        return np.asarray(self.gen(z.astype(np.float32), training=False))

    def record_distance(self, real: np.ndarray, fake: np.ndarray | None = None) -> float:
        """The sliced Wasserstein distance between the real points and the shown fakes, logged."""
        value = maths.sliced_wasserstein(real, self.sample() if fake is None else fake)
        if self.history["distance_at"] and self.history["distance_at"][-1] == self.iteration:
            self.history["distance"][-1] = value
        else:
            self.history["distance"].append(value)
            self.history["distance_at"].append(self.iteration)
        return value

    def snapshot(self, real: np.ndarray, size: int = 41) -> dict[str, Any]:
        """What the page draws now: the fake points ``(SHOWN, 2)``, G's push on each ``(SHOWN, 2)``,
        D's map ``(size, size)`` (probability "real" for the GAN loss, the critic's value for
        WGAN), G's image of a latent grid ``(22, 21, 2)``, 1,000 more fakes ``(1000, 2)`` (to count
        modes), the distance, the iteration."""
        axis, grid = maths.plane_grid(size)
        lines = maths.latent_grid()
        score, manifold, fake, push, more = (np.asarray(v) for v in self._look(
            grid, lines.reshape(-1, LATENT), self.z_shown, self.z_more))
        if self.settings.loss == "gan":
            score = 1 / (1 + np.exp(-score))
        return {"fake": fake, "push": push, "axis": axis, "map": score.reshape(size, size),
                "manifold": manifold.reshape(lines.shape), "more": more, "iteration": self.iteration,
                "distance": self.record_distance(real, fake), "loss": self.settings.loss}


def train_gan2d(points: np.ndarray, steps: int | None = None, seed: int = 0, loss: str = "wgan-gp",
                **settings: Any) -> tuple[np.ndarray, dict[str, list[float]]]:
    """Train a 2-D GAN on ``points`` ``(n, 2)`` for ``steps`` generator steps (``None``: the
    page's default budget, ``DEFAULT_STEPS``) and return ``SHOWN`` generated points ``(SHOWN, 2)``
    and the history (``d_loss``, ``g_loss`` per iteration; ``distance`` at ``distance_at``).

    ``loss`` is ``"gan"`` (the course's non-saturating loss) or ``"wgan-gp"``; ``settings`` are
    ``Gan2dSettings`` fields (``g_layers``, ``d_units``, ``lr_g``, ``d_steps``...). The same
    seed gives the same samples.
    """
    from core.errors import check_range

    steps = DEFAULT_STEPS if steps is None else check_range(steps, "steps", 0, 1_000_000)
    trainer = Gan2dTrainer(Gan2dSettings.from_dict({"loss": loss, **settings}), seed)
    real = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    chunk = 100  # the distance is logged every 100 iterations
    done = 0
    while done < steps:
        trainer.run(real, min(chunk, steps - done))
        done = trainer.iteration
        trainer.record_distance(real)
    return trainer.sample(), trainer.history
