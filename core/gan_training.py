"""DCGAN training: the course's custom loop, as a background job and as a command.

The loop is the course's: for each batch, update the discriminator on real images
(label 1) and on fakes (label 0), then update the generator through the discriminator
with fresh fakes labelled "real". Both steps are ``tf.GradientTape`` inside one
``@tf.function``, with two Adam optimizers.

A checkpoint (one ``.npz``: generator, discriminator and both optimizers' variables,
plus the position ``epoch``/``batch``) is written atomically after every epoch and when a
stop is requested, so a run resumes exactly where it stopped: shuffling and latent
noise come from NumPy generators seeded by ``(seed, epoch)``.

Command (a quick run; the shipped generator's card lists the exact commands that made it,
each resuming the previous one's checkpoint with a stronger class term)::

    python -m core.gan_training --variant improved --epochs 40 --batch-size 64 \
        --label-smoothing 0.1 --ema 0.999 --aux-weight 0.5 --run-dir /tmp/gan-run --out assets/models
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core import gan
from core.jobs import JobCancelled, JobContext
from core.paths import atomic_write_bytes

GRID_SEED, GRID_N = 1234, 64  # fixed latent vectors for the per-epoch sample grid
PAGE_AUX_WEIGHT = 0.5  # the class-term weight of the page toggle (the shipped run began with it)


@dataclass
class GanConfig:
    """Everything a run depends on (JSON-able, stored in the checkpoint and the card)."""

    variant: str = "improved"
    epochs: int = 20
    batch_size: int = 128
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta_1: float = 0.5
    label_smoothing: float = 0.0  # one-sided: real labels 1 - s
    seed: int = 0
    limit: int | None = None  # use only the first N training images (tests, quick runs)
    ema: float = 0.0  # decay of an exponential moving average of G's weights (0 = off)
    # Weight of the class term (0 = the course's plain GAN). Above 0, D also learns the real
    # digits' labels and G is rewarded for images D can name confidently, spread over all ten
    # classes (see ``make_train_step``).
    aux_weight: float = 0.0
    # With the class term: weight of D's wish to be *unsure* of a fake's digit (CatGAN's
    # discriminator), so G only wins the class term with digits that really look like one.
    aux_unsure: float = 0.0

    def validate(self) -> GanConfig:
        gan.check_variant(self.variant)
        if not 1 <= self.epochs <= 1000:
            raise ValueError(f"epochs must be between 1 and 1000, got {self.epochs}")
        if not 2 <= self.batch_size <= 4096:
            raise ValueError(f"batch size must be between 2 and 4096, got {self.batch_size}")
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not 0 < value <= 0.1:
                raise ValueError(f"learning rate {name} must be in (0, 0.1], got {value}")
        if not 0 <= self.beta_1 < 1:
            raise ValueError(f"beta_1 must be in [0, 1), got {self.beta_1}")
        if not 0 <= self.label_smoothing < 0.5:
            raise ValueError(f"label smoothing must be in [0, 0.5), got {self.label_smoothing}")
        if not 0 <= self.ema < 1:
            raise ValueError(f"EMA decay must be in [0, 1), got {self.ema}")
        if not 0 <= self.aux_weight <= 10:
            raise ValueError(f"class-term weight must be in [0, 10], got {self.aux_weight}")
        if not 0 <= self.aux_unsure <= 10 or (self.aux_unsure and not self.aux_weight):
            raise ValueError(f"unsure-on-fakes weight must be in [0, 10] and needs a class term, "
                             f"got {self.aux_unsure} with class-term weight {self.aux_weight}")
        if self.limit is not None and self.limit < self.batch_size:
            raise ValueError(f"limit ({self.limit}) must be at least one batch ({self.batch_size})")
        return self


@dataclass
class GanState:
    """Models, optimizers and position of a run; ``epoch`` counts finished epochs."""

    config: GanConfig
    generator: Any
    discriminator: Any
    opt_g: Any
    opt_d: Any
    epoch: int = 0
    batch: int = 0  # batches already done in epoch ``epoch + 1`` (a mid-epoch stop)
    seconds: float = 0.0
    history: dict[str, list[float]] = field(default_factory=dict)
    ema_generator: Any = None  # same architecture, weights averaged over steps (config.ema > 0)

    @property
    def sampler(self):
        """The generator to draw samples with: the averaged one when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator


def new_state(config: GanConfig) -> GanState:
    """Fresh models and optimizers (built, so their variables exist) for ``config``."""
    import keras

    g = gan.build_generator(config.variant)
    d = gan.build_discriminator(config.variant, classes=10 if config.aux_weight else 0)
    opt_g = keras.optimizers.Adam(config.lr_g, beta_1=config.beta_1)
    opt_d = keras.optimizers.Adam(config.lr_d, beta_1=config.beta_1)
    opt_g.build(g.trainable_variables)
    opt_d.build(d.trainable_variables)
    state = GanState(config, g, d, opt_g, opt_d)
    if config.ema:
        state.ema_generator = gan.build_generator(config.variant)
        state.ema_generator.set_weights(g.get_weights())
    return state


def _groups(state: GanState) -> dict[str, list]:
    return {"g": state.generator.weights, "d": state.discriminator.weights,
            "og": state.opt_g.variables, "od": state.opt_d.variables,
            "e": state.ema_generator.weights if state.ema_generator is not None else []}


def save_checkpoint(state: GanState, path: Path) -> None:
    """Write the whole run state to ``path`` (``.npz``) atomically."""
    arrays = {f"{k}_{i}": np.asarray(v) for k, vs in _groups(state).items() for i, v in enumerate(vs)}
    meta = {"config": asdict(state.config), "epoch": state.epoch, "batch": state.batch,
            "seconds": state.seconds, "history": state.history}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write_bytes(Path(path), buf.getvalue())


def read_checkpoint_meta(path: Path) -> dict[str, Any]:
    """The JSON part of a checkpoint (config, epoch, batch, history)."""
    with np.load(path) as f:
        return json.loads(f["meta"].tobytes().decode())


def load_checkpoint(path: Path, config: GanConfig | None = None) -> GanState:
    """Rebuild a run from ``path``; ``config`` may change epochs and learning rates only."""
    meta = read_checkpoint_meta(path)
    saved = GanConfig(**meta["config"])
    if config is not None and bool(config.aux_weight) != bool(saved.aux_weight):
        raise ValueError(f"cannot resume: class-term weight {config.aux_weight} needs a "
                         f"{'two' if config.aux_weight else 'one'}-headed discriminator, but the "
                         f"checkpoint was trained with weight {saved.aux_weight}")
    if config is not None:
        for key in ("variant", "batch_size", "seed", "limit"):  # what the saved arrays depend on
            if getattr(config, key) != getattr(saved, key):
                raise ValueError(f"cannot resume: {key} is {getattr(config, key)!r} but the "
                                 f"checkpoint was trained with {getattr(saved, key)!r}")
        saved = config
    state = new_state(saved)
    with np.load(path) as f:
        for key, variables in _groups(state).items():
            if key == "e" and "e_0" not in f:  # averaging switched on at resume: start from G
                for var, w in zip(variables, state.generator.weights):
                    var.assign(w)
                continue
            for i, var in enumerate(variables):
                var.assign(f[f"{key}_{i}"])
    state.opt_g.learning_rate.assign(saved.lr_g)
    state.opt_d.learning_rate.assign(saved.lr_d)
    state.epoch, state.batch = meta["epoch"], meta["batch"]
    state.seconds, state.history = meta.get("seconds", 0.0), meta.get("history", {})
    return state


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
    import tensorflow as tf

    g, d, opt_g, opt_d = state.generator, state.discriminator, state.opt_g, state.opt_d
    real_label = 1.0 - state.config.label_smoothing
    decay, aux, unsure = state.config.ema, state.config.aux_weight, state.config.aux_unsure
    ema_weights = state.ema_generator.weights if state.ema_generator is not None else []

    def bce(target: float, p):
        p = tf.clip_by_value(p, 1e-7, 1 - 1e-7)
        return -tf.reduce_mean(target * tf.math.log(p) + (1 - target) * tf.math.log(1 - p))

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
        for avg, w in zip(ema_weights, g.weights):  # G's moving average (empty when off)
            avg.assign(decay * avg + (1.0 - decay) * w)
        acc_real = tf.reduce_mean(tf.cast(p_real > 0.5, tf.float32))
        acc_fake = tf.reduce_mean(tf.cast(p_fake < 0.5, tf.float32))
        return d_loss, g_loss, acc_real, acc_fake

    return tf.function(step, reduce_retracing=True) if compiled else step


def prepare_images(x: np.ndarray, variant: str) -> np.ndarray:
    """``uint8 (N, 28, 28)`` -> float32 ``(N, 28, 28, 1)`` in the variant's range."""
    x = x.astype(np.float32)[..., None] / 255.0
    return x * 2.0 - 1.0 if gan.tanh_output(variant) else x


def grid_samples(state: GanState) -> np.ndarray:
    """The generator's images ``(64, 28, 28)`` in [0, 1] for the fixed grid latents."""
    z = gan.latent(GRID_SEED, GRID_N)
    out = np.asarray(drawing_generator(state, n=1024)(z, training=False))[..., 0]
    if gan.tanh_output(state.config.variant):
        out = out * 0.5 + 0.5
    return np.clip(out, 0, 1)


def tile_grid(samples: np.ndarray) -> np.ndarray:
    """``(64, 28, 28)`` in [0, 1] -> one ``uint8`` 8 x 8 grid image (224 x 224)."""
    rows = [np.concatenate(list(samples[r * 8:(r + 1) * 8]), axis=1) for r in range(8)]
    return (np.concatenate(rows, axis=0) * 255).round().astype(np.uint8)


def training_warnings(batch_history: dict[str, list[float]], history: dict[str, list[float]],
                      window: int = 20) -> list[str]:
    """Codes of what looks wrong: ``d_collapse`` (D loss near 0: D wins outright),
    ``d_confused`` (D loss high for long), ``mode_collapse`` (grid diversity falling)."""
    found = []
    d_loss = batch_history.get("d_loss", [])[-window:]
    if len(d_loss) >= window:
        mean = float(np.mean(d_loss))
        if mean < 0.1:
            found.append("d_collapse")
        elif mean > 1.2:
            found.append("d_confused")
    div = history.get("diversity", [])
    if div and div[-1] < 0.6:
        found.append("mode_collapse")
    return found


def save_png(path: Path, image: np.ndarray) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    atomic_write_bytes(Path(path), buf.getvalue())


class PrintContext:
    """A stand-in for ``JobContext`` when training from the command line."""

    cancelled = False

    def __init__(self, every: int = 20):
        self.every, self.t0 = every, time.time()

    def check(self) -> None:
        pass

    def start_epoch(self, epoch: int, epochs: int) -> None:
        print(f"epoch {epoch}/{epochs}", flush=True)

    def log_batch(self, batch: int, batches: int, metrics: dict[str, float] | None = None) -> None:
        if batch % self.every == 0 or batch == batches:
            text = " ".join(f"{k}={v:.3f}" for k, v in (metrics or {}).items())
            print(f"  batch {batch}/{batches} {text} ({time.time() - self.t0:.0f}s)", flush=True)

    def log_epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        print(f"epoch {epoch} " + " ".join(f"{k}={v:.3f}" for k, v in metrics.items()), flush=True)

    def set_extra(self, key: str, value: Any) -> None:
        pass

    def set_result(self, **values: Any) -> None:
        pass


def train(config: GanConfig, run_dir: Path, ctx: JobContext | PrintContext | None = None,
          resume: bool = True, images: np.ndarray | None = None,
          labels: np.ndarray | None = None) -> GanState:
    """Train (or resume) a run whose checkpoint and grids live in ``run_dir``.

    Stops within one batch when ``ctx`` is cancelled, after writing a checkpoint, then
    raises ``JobCancelled``. ``images``: ``uint8 (N, 28, 28)``, default the MNIST training set;
    ``labels`` ``(N,)`` digits, needed with ``images`` when ``config.aux_weight > 0``.
    """
    from core.data import load_mnist

    config.validate()
    ctx = ctx or PrintContext()
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    ckpt = run_dir / "checkpoint.npz"
    state = load_checkpoint(ckpt, config) if resume and ckpt.exists() else new_state(config)
    if images is None:
        images, labels = load_mnist()[0]
    if config.aux_weight and (labels is None or len(labels) != len(images)):
        raise ValueError("a run with a class term (aux_weight > 0) needs one label per image")
    x = prepare_images(images[: config.limit] if config.limit else images, config.variant)
    y = None if labels is None else np.asarray(labels, dtype=np.int32)[: len(x)]
    batches = len(x) // config.batch_size  # the last partial batch is dropped
    step = make_train_step(state)
    real_div = gan.diversity(images[np.random.default_rng(GRID_SEED).choice(len(images), GRID_N)] / 255.0)
    grids = load_grids(run_dir)[: state.epoch]
    if grids:
        ctx.set_extra("grids", list(grids))
    ctx.set_result(run_dir=str(run_dir), checkpoint=str(ckpt))
    for epoch in range(state.epoch + 1, config.epochs + 1):
        ctx.start_epoch(epoch, config.epochs)
        rng = np.random.default_rng([config.seed, epoch])  # same order on resume
        order = rng.permutation(len(x))
        noise = rng.standard_normal((batches, 2, config.batch_size, gan.LATENT_DIM)).astype(np.float32)
        sums = np.zeros(4)
        t0 = time.perf_counter()
        for b in range(state.batch, batches):
            if ctx.cancelled:
                state.batch = b
                state.seconds += time.perf_counter() - t0
                save_checkpoint(state, ckpt)
                raise JobCancelled()
            idx = order[b * config.batch_size:(b + 1) * config.batch_size]
            out = [float(v) for v in step(x[idx], noise[b, 0], noise[b, 1],
                                          None if y is None or not config.aux_weight else y[idx])]
            sums += out
            ctx.log_batch(b + 1, batches, dict(zip(("d_loss", "g_loss", "d_acc_real", "d_acc_fake"), out)))
        done = batches - state.batch
        metrics = dict(zip(("d_loss", "g_loss", "d_acc_real", "d_acc_fake"), sums / max(done, 1)))
        state.seconds += time.perf_counter() - t0
        state.epoch, state.batch = epoch, 0
        for key, value in metrics.items():
            state.history.setdefault(key, []).append(float(value))
        samples = grid_samples(state)
        metrics["diversity"] = gan.diversity(samples) / real_div  # 1 = as varied as real digits
        state.history.setdefault("diversity", []).append(metrics["diversity"])
        grid = tile_grid(samples)
        save_png(run_dir / f"grid_{epoch:04d}.png", grid)
        grids.append(grid)
        ctx.set_extra("grids", list(grids))
        save_checkpoint(state, ckpt)
        ctx.log_epoch(epoch, metrics)
    ctx.set_result(epochs_done=state.epoch, train_seconds=round(state.seconds, 1))
    return state


def load_grids(run_dir: Path) -> list[np.ndarray]:
    """The saved per-epoch grids of a run, oldest first."""
    return [_read_png(p) for p in sorted(Path(run_dir).glob("grid_*.png"))]


def _read_png(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("L"))


def recalibrate_batchnorm(generator, n: int = 4096, seed: int = 0):
    """A copy of ``generator`` whose BatchNormalization statistics are measured on its own weights.

    Weight averaging (``ema``) averages the moving means and variances along with the
    weights, but the statistics of averaged weights are not the average of the statistics:
    the averaged generator then normalises with slightly wrong numbers (dim, washed-out
    digits). One pass of ``n`` latent vectors in training mode, with the moving-average
    momentum at 0, sets every BN layer's statistics to those of this generator. The input
    ``generator`` is not changed.
    """
    import keras

    copy = keras.models.clone_model(generator)
    copy.set_weights(generator.get_weights())
    layers = [layer for layer in copy.layers if isinstance(layer, keras.layers.BatchNormalization)]
    if layers:
        momenta = [layer.momentum for layer in layers]
        for layer in layers:
            layer.momentum = 0.0  # moving stats := this batch's stats
        copy(gan.latent(seed, n), training=True)
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
    return copy


def drawing_generator(state: GanState, n: int = 4096):
    """The generator that draws a run's images: the averaged one with re-measured
    BatchNorm statistics (``n`` latent vectors) when averaging is on, else the trained one."""
    return state.sampler if state.ema_generator is None else recalibrate_batchnorm(state.sampler, n=n)


def export_generator(state: GanState, name: str, directory: Path | None = None,
                     extra_card: dict[str, Any] | None = None):
    """Save the generator (wrapped to output [0, 1]) with its card via ``core.store``.

    An averaged (EMA) generator is saved with BatchNormalization statistics re-measured
    on its own weights (``recalibrate_batchnorm``)."""
    from core import device, store

    model = gan.unit_output(drawing_generator(state), state.config.variant)
    card = {"kind": "gan-generator", "variant": state.config.variant, "latent_dim": gan.LATENT_DIM,
            "config": asdict(state.config), "epochs": state.epoch,
            "batchnorm_recalibrated": state.ema_generator is not None,
            "train_seconds": round(state.seconds, 1), "device": device.describe(),
            "final_metrics": {k: v[-1] for k, v in state.history.items() if v},
            **(extra_card or {})}
    return store.save_model(model, card, name, directory)


def job(config: GanConfig, run_dir: Path, resume: bool = False, images: np.ndarray | None = None,
        labels: np.ndarray | None = None):
    """A job function for ``JobRegistry.submit``: trains, then saves to the user's models.

    ``images`` (``uint8 (N, 28, 28)``) and ``labels`` replace the MNIST training set (tests)."""
    from core.training import prepare_worker

    def fn(ctx: JobContext) -> None:
        prepare_worker(config.seed)
        state = train(config, run_dir, ctx, resume=resume, images=images, labels=labels)
        entry = export_generator(state, f"gan-{config.variant}-{Path(run_dir).name}")
        ctx.set_result(model=str(entry.path), model_name=entry.name)

    return fn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train a DCGAN on MNIST (course loop)")
    parser.add_argument("--variant", choices=gan.VARIANTS, default="improved")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--lr-g", type=float)
    parser.add_argument("--lr-d", type=float)
    parser.add_argument("--label-smoothing", type=float, default=0.0)
    parser.add_argument("--ema", type=float, default=0.0, help="G weight averaging decay, e.g. 0.999")
    parser.add_argument("--aux-weight", type=float, default=0.0,
                        help="class term: D also names the digits, G is rewarded for nameable ones")
    parser.add_argument("--aux-unsure", type=float, default=0.0,
                        help="with the class term: D also learns to be unsure of fakes' digits")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--run-dir", type=Path, help="checkpoint + grids (resumes if present)")
    parser.add_argument("--out", type=Path, help="export the generator to this folder")
    parser.add_argument("--name", help="exported model name (default gan-VARIANT)")
    parser.add_argument("--export-only", action="store_true", help="export the checkpoint, no training")
    args = parser.parse_args(argv)
    from core.training import prepare_worker

    d = gan.DEFAULTS[args.variant]
    config = GanConfig(args.variant, args.epochs, args.batch_size or d["batch_size"],
                       args.lr_g or d["lr_g"], args.lr_d or d["lr_d"], d["beta_1"],
                       args.label_smoothing, args.seed, args.limit, args.ema, args.aux_weight,
                       args.aux_unsure)
    run_dir = args.run_dir or Path("/tmp") / f"gan-run-{args.variant}"
    run_dir.mkdir(parents=True, exist_ok=True)
    command = "python -m core.gan_training " + " ".join(sys.argv[1:] if argv is None else argv)
    prepare_worker(config.seed)
    if args.export_only:
        state = load_checkpoint(run_dir / "checkpoint.npz")
    else:
        with open(run_dir / "commands.txt", "a", encoding="utf-8") as log:  # a run may take several
            log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} from epoch {_done(run_dir)}: {command}\n")
        state = train(config, run_dir, PrintContext(), resume=True)
    if args.out:
        from core.data import data_source

        history = run_dir / "commands.txt"
        commands = history.read_text(encoding="utf-8").splitlines() if history.exists() else [command]
        if args.export_only:
            commands.append(f"{time.strftime('%Y-%m-%d %H:%M:%S')} exported: {command}")
        src = data_source()
        entry = export_generator(state, args.name or f"gan-{args.variant}", args.out, {
            "training_commands": commands, "data": f"{src.name} MNIST, {src.n_train} training images"})
        print(f"saved {entry.path}")
    return 0


def _done(run_dir: Path) -> int:
    ckpt = Path(run_dir) / "checkpoint.npz"
    return read_checkpoint_meta(ckpt)["epoch"] if ckpt.exists() else 0


if __name__ == "__main__":
    raise SystemExit(main())
