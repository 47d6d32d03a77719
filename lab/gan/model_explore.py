"""What the DCGAN page asks of a trained generator, beyond ``lab.gan.model_dcgan``'s building blocks:
the generators to choose from, both interpolation paths drawn at once, the classifier's
judgement of a batch of samples, and the nearest-image reference distance."""

from __future__ import annotations

import time

import numpy as np

from lab.gan import model_dcgan as gan_model

METHODS = ("linear", "slerp")


def generator_entries() -> list:
    """The stored generators (``store.ModelEntry``): shipped first, the default first among them."""
    from core.storage import store

    return sorted(store.list_models(kind="gan-generator"),
                  key=lambda e: (not e.shipped, e.name != gan_model.DEFAULT_NAME, e.name))


def interpolation_strips(generator, z0: np.ndarray, z1: np.ndarray,
                         frames: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], float]:
    """Both walks from ``z0`` to ``z1``: ``(latent paths {method: (frames, 100)}, images
    {method: (frames, 28, 28)}, milliseconds the generator took)``, in one generator call."""
    paths = {m: gan_model.interpolate(z0, z1, frames, m) for m in METHODS}
    start = time.perf_counter()
    images = gan_model.generate(generator, np.concatenate(list(paths.values())))  # (2 * frames, 28, 28)
    ms = (time.perf_counter() - start) * 1000
    return paths, {m: images[i * frames:(i + 1) * frames] for i, m in enumerate(METHODS)}, ms


def judge_samples(generator, n: int, seed: int) -> tuple[np.ndarray, np.ndarray | None, str]:
    """``n`` samples ``(n, 28, 28)`` from latent ``seed`` and the shipped classifier's class
    probabilities ``(n, 10)``; without a usable classifier ``(images, None, reason)``."""
    images = gan_model.generate_many(generator, gan_model.latent(seed, n))
    try:
        from core.models import classifier

        return images, classifier.predict_proba(classifier.load_classifier(), images), ""
    except (ValueError, OSError) as exc:  # no shipped classifier yet
        return images, None, str(exc)


def nearest_reference(x_train: np.ndarray, x_test: np.ndarray, n: int = 200) -> float:
    """Median distance of ``n`` real test digits to their nearest training image: the yardstick
    for a sample's nearest-neighbour distance (much lower would mean a copied digit)."""
    return float(np.median(gan_model.nearest_training(x_test[:n] / 255.0, x_train, 1)[1]))


# ---------------------------------------------------------------- far from digits?
# A classifier names a digit for any image, often with confidence 1.00: on grey noise from a
# barely trained generator the Check tab reported "mean confidence 1.00, 100 % >= 0.9".
# These measures say whether samples look like MNIST at all. Measured on the bundled data
# (200 test digits against the 10,000 training images): real digits have 6 % mid-grey
# pixels, 12 % ink and a nearest-image distance ratio of 1 by definition; the shipped
# generator 5 %, 13 % and 1.02; grey noise 100 %, 50 % and 2.7; a 3-epoch generator
# (1,000 images) 100 %, 0 % and 2.2; black images 0 %, 0 % and 0.8.
GREY_BAND = (0.2, 0.8)  # a "mid-grey" pixel: MNIST ink is mostly 0 or close to 1
INK_LEVEL = 0.5  # a pixel brighter than this is ink
MAX_GREY_SHARE = 0.3  # five times real digits' share
MIN_INK_SHARE = 0.02  # a sixth of real digits' share: (almost) empty images
MAX_DISTANCE_RATIO = 1.5  # nearest training image half as far again as a real digit's


def pixel_shares(images: np.ndarray) -> tuple[float, float]:
    """Shares of mid-grey pixels (in ``GREY_BAND``) and of ink pixels (> ``INK_LEVEL``) over
    ``(N, 28, 28)`` images in [0, 1]."""
    x = np.asarray(images, dtype=np.float32)
    grey = (x > GREY_BAND[0]) & (x < GREY_BAND[1])
    return float(grey.mean()), float((x > INK_LEVEL).mean())


def digit_reference(x_train: np.ndarray, x_test: np.ndarray, n: int = 200) -> dict[str, float]:
    """What real digits measure: ``n`` test digits' median nearest-training distance
    (``nearest_reference``) and their mid-grey and ink shares (``pixel_shares``)."""
    grey, ink = pixel_shares(x_test[:n] / 255.0)
    return {"distance": nearest_reference(x_train, x_test, n), "grey_share": grey, "ink_share": ink}


def realism(images: np.ndarray, x_train: np.ndarray, reference: dict[str, float],
            n: int = 100) -> dict[str, object]:
    """Whether generated ``(N, 28, 28)`` images in [0, 1] are far from handwritten digits.

    Measures the mid-grey and ink shares of all of them and the median distance of the
    first ``n`` to their nearest training image (``x_train``: ``uint8 (M, 28, 28)``), as a
    ratio to real digits' (``reference``, from ``digit_reference``). ``reasons`` lists what
    is off: ``"grey"`` (too many mid-grey pixels: noise or blur), ``"blank"`` (hardly any
    ink), ``"far"`` (nearest training image much farther than a real digit's); ``far`` is
    true when there is any. Real digits' shares come along (``real_grey_share``...).
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or not len(images):
        raise ValueError(f"expected images of shape (N, 28, 28), got {images.shape}")
    if not 1 <= n <= 10_000:
        raise ValueError(f"number of samples to measure must be between 1 and 10000, got {n}")
    grey, ink = pixel_shares(images)
    distance = float(np.median(gan_model.nearest_training(images[:n], x_train, 1)[1]))
    ratio = distance / max(reference["distance"], 1e-6)
    reasons = [code for code, off in (("grey", grey > MAX_GREY_SHARE), ("blank", ink < MIN_INK_SHARE),
                                      ("far", ratio > MAX_DISTANCE_RATIO)) if off]
    return {"grey_share": grey, "ink_share": ink, "distance": distance, "distance_ratio": ratio,
            "real_grey_share": reference["grey_share"], "real_ink_share": reference["ink_share"],
            "reasons": reasons, "far": bool(reasons)}
