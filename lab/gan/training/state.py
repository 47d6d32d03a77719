"""A GAN run's settings and state: ``GanConfig`` (what it depends on) and ``GanState``
(models, optimizers, position), and the generator that draws its images."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lab.gan import model_dcgan as gan_model

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
    # classes (see ``lab.gan.training.loop.make_train_step``).
    aux_weight: float = 0.0
    # With the class term: weight of D's wish to be *unsure* of a fake's digit (CatGAN's
    # discriminator), so G only wins the class term with digits that really look like one.
    aux_unsure: float = 0.0
    # Class-conditional models (``lab.gan.model_conditional``): G draws the digit it is asked for;
    # ``aux_weight`` is then the AC-GAN class-loss weight (``lab.gan.training.conditional``).
    conditional: bool = False

    def validate(self) -> GanConfig:
        """Return ``self``, or raise ``ValueError`` naming the bad value and its range."""
        gan_model.check_variant(self.variant)
        ranges = [("epochs", self.epochs, 1, 1000), ("batch size", self.batch_size, 2, 4096)]
        for name, value, low, high in ranges:
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low} and {high}, got {value}")
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not 0 < value <= 0.1:
                raise ValueError(f"learning rate {name} must be in (0, 0.1], got {value}")
        half_open = [("beta_1", self.beta_1, 1), ("label smoothing", self.label_smoothing, 0.5),
                     ("EMA decay", self.ema, 1)]
        for name, value, high in half_open:
            if not 0 <= value < high:
                raise ValueError(f"{name} must be in [0, {high}), got {value}")
        if not 0 <= self.aux_weight <= 10:
            raise ValueError(f"class-term weight must be in [0, 10], got {self.aux_weight}")
        if not 0 <= self.aux_unsure <= 10 or (self.aux_unsure and not self.aux_weight):
            raise ValueError(f"unsure-on-fakes weight must be in [0, 10] and needs a class term, "
                             f"got {self.aux_unsure} with class-term weight {self.aux_weight}")
        self._check_conditional()
        if self.limit is not None and self.limit < self.batch_size:
            raise ValueError(f"limit ({self.limit}) must be at least one batch ({self.batch_size})")
        return self

    def _check_conditional(self) -> None:
        if self.conditional and (self.variant != "improved" or self.aux_unsure):
            raise ValueError(f"a conditional run needs the improved variant and no unsure-on-fakes "
                             f"term, got {self.variant!r} and {self.aux_unsure}")


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

    from lab.gan import model_conditional as gc

    def build_g():
        return gc.build_conditional_generator() if config.conditional else gan_model.build_generator(config.variant)

    g = build_g()
    d = (gc.build_conditional_discriminator() if config.conditional
         else gan_model.build_discriminator(config.variant, classes=10 if config.aux_weight else 0))
    opt_g = keras.optimizers.Adam(config.lr_g, beta_1=config.beta_1)
    opt_d = keras.optimizers.Adam(config.lr_d, beta_1=config.beta_1)
    opt_g.build(g.trainable_variables)
    opt_d.build(d.trainable_variables)
    state = GanState(config, g, d, opt_g, opt_d)
    if config.ema:
        state.ema_generator = build_g()
        state.ema_generator.set_weights(g.get_weights())
    return state


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

    from lab.gan.model_conditional import model_inputs

    copy = keras.models.clone_model(generator)
    copy.set_weights(generator.get_weights())
    layers = [layer for layer in copy.layers if isinstance(layer, keras.layers.BatchNormalization)]
    if layers:
        momenta = [layer.momentum for layer in layers]
        for layer in layers:
            layer.momentum = 0.0  # moving stats := this batch's stats
        copy(model_inputs(copy, gan_model.latent(seed, n)), training=True)
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
    return copy


def drawing_generator(state: GanState, n: int = 4096):
    """The generator that draws a run's images: the averaged one with re-measured
    BatchNorm statistics (``n`` latent vectors) when averaging is on, else the trained one."""
    return state.sampler if state.ema_generator is None else recalibrate_batchnorm(state.sampler, n=n)
