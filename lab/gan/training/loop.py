"""The DCGAN training step and loop: the course's custom loop.

For each batch, update the discriminator on real images (label 1) and on fakes (label 0),
then update the generator through the discriminator with fresh fakes labelled "real".
Both steps are ``tf.GradientTape`` inside one ``@tf.function``, with two Adam optimizers.

``train`` writes a checkpoint (``lab.gan.training.runs``) after every epoch and when a
stop is requested, so a run resumes exactly where it stopped: shuffling and latent noise
come from NumPy generators seeded by ``(seed, epoch)``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from core.jobs.context import JobContext, PrintContext
from core.jobs.progress import JobCancelled
from lab.gan import model_dcgan as gan_model
from lab.gan.training import runs
from lab.gan.training.state import GanConfig, GanState, new_state
from lab.gan.training.step_parts import bce, finish_step

METRICS = ("d_loss", "g_loss", "d_acc_real", "d_acc_fake")  # what one step returns, in order


class TrainingStopped(JobCancelled):
    """A stop request ended ``train``; ``state`` is the run as its checkpoint saved it, and
    ``progressed`` says whether this call trained at least one batch."""

    def __init__(self, state: GanState, progressed: bool):
        super().__init__()
        self.state, self.progressed = state, progressed


def class_term(logits):
    """``H(y|x) - H(y)`` in nats for class logits ``(N, K)``: mean entropy of each image's
    class probabilities minus the entropy of their batch average.

    From 0 (every image equally unsure, or all the same class) down to ``-log K`` (every
    image sure of its class, the classes evenly spread). Works on tensors and arrays.
    """
    import tensorflow as tf

    q = tf.nn.softmax(tf.convert_to_tensor(logits, tf.float32))  # (N, K)
    return tf.reduce_mean(_entropy(q)) - _entropy(tf.reduce_mean(q, axis=0))


def class_entropy(logits):
    """Entropy (nats) of each row's class probabilities: ``(N, K)`` logits -> ``(N,)``."""
    import tensorflow as tf

    return _entropy(tf.nn.softmax(tf.convert_to_tensor(logits, tf.float32)))


def _entropy(p):
    import tensorflow as tf

    return -tf.reduce_sum(p * tf.math.log(p + 1e-8), axis=-1)


def make_train_step(state: GanState, compiled: bool = True):
    """One batch of the course's loop; ``compiled=False`` gives the plain eager version.

    The step is ``step(real, z_d, z_g, labels=None) -> (d_loss, g_loss, d_acc_real,
    d_acc_fake)``; the losses returned are the adversarial ones (the course's healthy
    band applies to them). With ``config.aux_weight = w > 0`` (``labels`` needed), D's
    class head also learns the real labels (cross-entropy), and G's loss gains
    ``w * (H(y|G(z)) - H(y))`` under D's class head: low entropy per image (a digit D
    can name) and high entropy over the batch (all ten digits, not one easy class). That
    is the class-entropy idea of Springenberg's CatGAN, with the labels of AC-GAN.
    ``config.aux_unsure = u > 0`` adds CatGAN's other half: D's loss gains ``-u H(y|fake)``,
    so D learns to be unsure of fakes and G must draw more convincing digits to be named.
    """
    if state.config.conditional:  # its own step: G and D take the digit too
        from lab.gan.training.conditional import make_conditional_step

        return make_conditional_step(state, compiled)
    import tensorflow as tf

    g, d, opt_g, opt_d = state.generator, state.discriminator, state.opt_g, state.opt_d
    real_label = 1.0 - state.config.label_smoothing
    decay, aux, unsure = state.config.ema, state.config.aux_weight, state.config.aux_unsure
    ema_weights = state.ema_generator.weights if state.ema_generator is not None else []

    def discriminate(images):
        """(probability of real (N, 1), class logits (N, 10) or None)."""
        out = d(images, training=True)
        return (out[0], out[1]) if aux else (out, None)

    def step(real, z_d, z_g, labels=None):
        if aux and labels is None:
            raise ValueError("a run with a class term (aux_weight > 0) needs the images' labels")
        # Discriminator: real images labelled 1 (or 1 - s), fakes labelled 0.
        fake = g(z_d, training=True)
        with tf.GradientTape() as tape:
            p_real, logits_real = discriminate(real)
            p_fake, logits_fake = discriminate(fake)
            d_loss = 0.5 * (bce(real_label, p_real) + bce(0.0, p_fake))
            total = d_loss
            if aux:  # D's class head learns the real digits' labels
                total += tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(
                    labels, logits_real, from_logits=True))
            if unsure:  # ... and to be unsure which digit a fake is (maximise its entropy)
                total -= unsure * tf.reduce_mean(class_entropy(logits_fake))
        opt_d.apply_gradients(zip(tape.gradient(total, d.trainable_variables), d.trainable_variables))
        # Generator: fresh fakes through the discriminator, labelled "real".
        with tf.GradientTape() as tape:
            p_gen, logits_gen = discriminate(g(z_g, training=True))
            g_loss = bce(1.0, p_gen)
            total = g_loss
            if aux:
                total += aux * class_term(logits_gen)
        opt_g.apply_gradients(zip(tape.gradient(total, g.trainable_variables), g.trainable_variables))
        acc_real, acc_fake = finish_step(ema_weights, g.weights, decay, p_real, p_fake)  # EMA: empty when off
        return d_loss, g_loss, acc_real, acc_fake

    return tf.function(step, reduce_retracing=True) if compiled else step


def prepare_images(x: np.ndarray, variant: str) -> np.ndarray:
    """``uint8 (N, 28, 28)`` -> float32 ``(N, 28, 28, 1)`` in the variant's range."""
    x = x.astype(np.float32)[..., None] / 255.0
    return x * 2.0 - 1.0 if gan_model.tanh_output(variant) else x


def _training_data(config: GanConfig, images: np.ndarray | None,
                   labels: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(raw uint8 images, prepared images (N, 28, 28, 1), int32 labels or None)."""
    if images is None:
        from core.storage.mnist import load_mnist

        images, labels = load_mnist()[0]
    if (config.aux_weight or config.conditional) and (labels is None or len(labels) != len(images)):
        raise ValueError("a run with a class term or conditional models needs one label per image")
    x = prepare_images(images[: config.limit] if config.limit else images, config.variant)
    y = None if labels is None else np.asarray(labels, dtype=np.int32)[: len(x)]
    return images, x, y


def train(config: GanConfig, run_dir: Path, ctx: JobContext | None = None,
          resume: bool = True, images: np.ndarray | None = None,
          labels: np.ndarray | None = None) -> GanState:
    """Train (or resume) a run whose checkpoint and grids live in ``run_dir``.

    Stops within one batch when ``ctx`` is cancelled, after writing a checkpoint, then
    raises ``TrainingStopped`` (a ``JobCancelled`` carrying the state).
    ``images``: ``uint8 (N, 28, 28)``, default the MNIST training set;
    ``labels`` ``(N,)`` digits, needed with ``images`` when ``config.aux_weight > 0``.
    """
    config.validate()
    ctx = ctx or PrintContext()
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    ckpt = run_dir / runs.CHECKPOINT
    state = runs.load_checkpoint(ckpt, config) if resume and ckpt.exists() else new_state(config)
    images, x, y = _training_data(config, images, labels)
    begun = (state.epoch, state.batch)  # where this call starts: a resumed run is past 0
    batches = len(x) // config.batch_size  # the last partial batch is dropped
    step = make_train_step(state)
    pick = np.random.default_rng(runs.GRID_SEED).choice(len(images), runs.GRID_N)
    real_div = gan_model.diversity(images[pick] / 255.0)
    grids = runs.load_grids(run_dir)[: state.epoch]
    if grids:
        ctx.set_extra("grids", list(grids))
    ctx.set_result(run_dir=str(run_dir), checkpoint=str(ckpt))
    for epoch in range(state.epoch + 1, config.epochs + 1):
        ctx.start_epoch(epoch, config.epochs)
        rng = np.random.default_rng([config.seed, epoch])  # same order on resume
        order = rng.permutation(len(x))
        noise = rng.standard_normal((batches, 2, config.batch_size, gan_model.LATENT_DIM)).astype(np.float32)
        sums = np.zeros(4)
        t0 = time.perf_counter()
        for b in range(state.batch, batches):
            if ctx.cancelled:
                state.batch = b
                state.seconds += time.perf_counter() - t0
                runs.save_checkpoint(state, ckpt)
                raise TrainingStopped(state, (state.epoch, state.batch) != begun)
            idx = order[b * config.batch_size:(b + 1) * config.batch_size]
            out = [float(v) for v in step(x[idx], noise[b, 0], noise[b, 1],
                                          None if y is None or not (config.aux_weight or config.conditional) else y[idx])]
            sums += out
            ctx.log_batch(b + 1, batches, dict(zip(METRICS, out)))
        metrics = dict(zip(METRICS, sums / max(batches - state.batch, 1)))
        state.seconds += time.perf_counter() - t0
        state.epoch, state.batch = epoch, 0
        for key, value in metrics.items():
            state.history.setdefault(key, []).append(float(value))
        samples = runs.grid_samples(state)
        metrics["diversity"] = gan_model.diversity(samples) / real_div  # 1 = as varied as real digits
        state.history.setdefault("diversity", []).append(metrics["diversity"])
        grids.append(runs.tile_grid(samples))
        runs.save_grid(run_dir, epoch, grids[-1])
        ctx.set_extra("grids", list(grids))
        runs.save_checkpoint(state, ckpt)
        ctx.log_epoch(epoch, metrics)
    ctx.set_result(epochs_done=state.epoch, train_seconds=round(state.seconds, 1))
    return state
