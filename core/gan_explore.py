"""What the DCGAN page asks of a trained generator, beyond ``core.gan``'s building blocks:
the generators to choose from, both interpolation paths drawn at once, the classifier's
judgement of a batch of samples, and the nearest-image reference distance."""

from __future__ import annotations

import time

import numpy as np

from core import gan

METHODS = ("linear", "slerp")


def generator_entries() -> list:
    """The stored generators (``store.ModelEntry``): shipped first, the default first among them."""
    from core import store

    return sorted(store.list_models(kind="gan-generator"),
                  key=lambda e: (not e.shipped, e.name != gan.DEFAULT_NAME, e.name))


def interpolation_strips(generator, z0: np.ndarray, z1: np.ndarray,
                         frames: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], float]:
    """Both walks from ``z0`` to ``z1``: ``(latent paths {method: (frames, 100)}, images
    {method: (frames, 28, 28)}, milliseconds the generator took)``, in one generator call."""
    paths = {m: gan.interpolate(z0, z1, frames, m) for m in METHODS}
    start = time.perf_counter()
    images = gan.generate(generator, np.concatenate(list(paths.values())))  # (2 * frames, 28, 28)
    ms = (time.perf_counter() - start) * 1000
    return paths, {m: images[i * frames:(i + 1) * frames] for i, m in enumerate(METHODS)}, ms


def judge_samples(generator, n: int, seed: int) -> tuple[np.ndarray, np.ndarray | None, str]:
    """``n`` samples ``(n, 28, 28)`` from latent ``seed`` and the shipped classifier's class
    probabilities ``(n, 10)``; without a usable classifier ``(images, None, reason)``."""
    images = gan.generate_many(generator, gan.latent(seed, n))
    try:
        from core import classifier

        return images, classifier.predict_proba(classifier.load_classifier(), images), ""
    except (ValueError, OSError) as exc:  # no shipped classifier yet
        return images, None, str(exc)


def nearest_reference(x_train: np.ndarray, x_test: np.ndarray, n: int = 200) -> float:
    """Median distance of ``n`` real test digits to their nearest training image: the yardstick
    for a sample's nearest-neighbour distance (much lower would mean a copied digit)."""
    return float(np.median(gan.nearest_training(x_test[:n] / 255.0, x_train, 1)[1]))
