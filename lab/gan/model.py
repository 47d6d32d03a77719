"""The DCGAN's public face: the names pages, benches and tests use, from three rooms below.

- ``lab.gan.model_dcgan``: the two DCGAN variants (builders), ``load_generator`` (any shipped
  ``(N, 100) -> images`` generator, output in [0, 1]) and the latent-space maths
  (``latent``, ``generate``, ``interpolate``, ``principal_directions``, ...);
- ``lab.gan.model_conditional``: digits on demand, ``sample_digits(digit, n, seed)`` and
  ``generate_conditional(z, weights)``;
- ``lab.gan.model_inversion``: ``invert(image, seed)``, the latent vector of the shipped
  generator whose image is closest to a drawing.

This module defines nothing of its own. Code inside ``core`` imports the room it needs,
never this face, so imports run one way and none comes back here.
"""

from lab.gan.model_conditional import generate_conditional, sample_digits
from lab.gan.model_dcgan import (
    DEFAULT_NAME,
    DEFAULTS,
    LATENT_DIM,
    VARIANTS,
    build_discriminator,
    build_generator,
    check_variant,
    class_summary,
    diversity,
    generate,
    generate_many,
    gif_bytes,
    interpolate,
    latent,
    load_generator,
    nearest_training,
    path_norms,
    principal_directions,
    shipped_path,
    tanh_output,
    unit_output,
)
from lab.gan.model_inversion import invert

__all__ = ["DEFAULT_NAME", "DEFAULTS", "LATENT_DIM", "VARIANTS", "build_discriminator", "build_generator",
           "check_variant", "class_summary", "diversity", "generate", "generate_conditional", "generate_many",
           "gif_bytes", "interpolate", "invert", "latent", "load_generator", "nearest_training", "path_norms",
           "principal_directions", "sample_digits", "shipped_path", "tanh_output", "unit_output"]
