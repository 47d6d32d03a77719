"""The two-dimensional GAN's networks: a small generator (2-D noise -> a point) and a small
discriminator / critic (a point -> one score), both plain MLPs, and their optimizers.

TensorFlow is imported inside the functions: importing this module stays light.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from core.errors import InputError, check_range

LOSSES = ("gan", "wgan-gp")  # the course's non-saturating GAN loss; WGAN with gradient penalty
OPTIMIZERS = ("adam", "rmsprop", "sgd")
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)
MAX_LAYERS, MAX_UNITS = 4, 128
LATENT = 2  # the noise z is a point of the square [-1, 1]²


@dataclass(frozen=True)
class Gan2dSettings:
    """Everything that shapes a run besides the data. ``d_steps`` is k, the discriminator's
    steps per generator step; ``gp_weight`` is λ of the gradient penalty (WGAN-GP only)."""

    loss: str = "wgan-gp"
    g_layers: int = 2
    g_units: int = 64
    d_layers: int = 2
    d_units: int = 64
    optimizer: str = "adam"
    lr_g: float = 3e-3
    lr_d: float = 3e-3
    d_steps: int = 3
    batch: int = 128
    gp_weight: float = 1.0

    def validate(self) -> Gan2dSettings:
        """The settings themselves if every value is allowed, else ``InputError``."""
        if self.loss not in LOSSES:
            raise InputError("gan2d.choice", what="loss", value=self.loss, choices=", ".join(LOSSES))
        if self.optimizer not in OPTIMIZERS:
            raise InputError("gan2d.choice", what="optimizer", value=self.optimizer, choices=", ".join(OPTIMIZERS))
        for name in ("g_layers", "d_layers"):
            check_range(getattr(self, name), "layers", 1, MAX_LAYERS)
        for name in ("g_units", "d_units"):
            check_range(getattr(self, name), "units", 2, MAX_UNITS)
        for name in ("lr_g", "lr_d"):
            check_range(getattr(self, name), "learning_rate", 1e-5, 0.1, whole=False)
        check_range(self.d_steps, "d_steps", 1, 10)
        check_range(self.batch, "batch_size", 8, 1024)
        check_range(self.gp_weight, "gp_weight", 0.0, 100.0, whole=False)
        return self

    @classmethod
    def from_dict(cls, values: dict) -> Gan2dSettings:
        """Settings from keyword values; an unknown name raises ``InputError``."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError("gan2d.choice", what="setting", value=unknown[0], choices=", ".join(sorted(known)))
        return cls(**values)

    def architecture(self) -> tuple:
        """What the networks' shapes and the loss depend on (a change needs new networks)."""
        return (self.loss, self.g_layers, self.g_units, self.d_layers, self.d_units, self.optimizer)


def build_generator(layers: int, units: int, seed: int):
    """z ``(batch, 2)`` -> a point ``(batch, 2)``: ``layers`` ReLU layers of ``units``, then linear."""
    import keras

    init = keras.initializers.GlorotUniform
    model = keras.Sequential([keras.Input((LATENT,))] + [
        keras.layers.Dense(units, activation="relu", kernel_initializer=init(seed + i)) for i in range(layers)
    ] + [keras.layers.Dense(2, kernel_initializer=init(seed + layers))], name="generator")
    return model


def build_discriminator(layers: int, units: int, seed: int):
    """A point ``(batch, 2)`` -> a score ``(batch, 1)``: a logit (GAN) or a critic value (WGAN)."""
    import keras

    init = keras.initializers.GlorotUniform
    model = keras.Sequential([keras.Input((2,))] + [
        keras.layers.Dense(units, activation="relu", kernel_initializer=init(seed + 100 + i)) for i in range(layers)
    ] + [keras.layers.Dense(1, kernel_initializer=init(seed + 100 + layers))], name="discriminator")
    return model


def make_optimizer(name: str, learning_rate: float):
    """A Keras optimizer; Adam with β₁ = 0.5, β₂ = 0.9 as usual for GANs (and WGAN-GP)."""
    import keras

    if name == "adam":
        return keras.optimizers.Adam(learning_rate, beta_1=0.5, beta_2=0.9)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    return keras.optimizers.SGD(learning_rate)
