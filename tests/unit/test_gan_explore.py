"""lab.gan.model_explore's 'far from digits' check: pure NumPy, against real digits and noise."""

import numpy as np
import pytest

from core.storage.mnist import load_mnist
from lab.gan import model_explore as gan_explore


@pytest.fixture(scope="module")
def digits():
    (x_train, _), (x_test, _) = load_mnist(prefer_full=False)
    return x_train, x_test, gan_explore.digit_reference(x_train, x_test)


def test_real_digits_are_not_far_from_digits(digits):
    x_train, x_test, reference = digits
    verdict = gan_explore.realism(x_test[500:800] / 255.0, x_train, reference)  # not the reference's digits
    assert not verdict["far"] and verdict["reasons"] == []
    assert 0.7 < verdict["distance_ratio"] < 1.3
    assert verdict["grey_share"] < gan_explore.MAX_GREY_SHARE / 2


def test_grey_noise_is_flagged_however_confident_a_classifier_would_be(digits):
    x_train, _, reference = digits
    noise = np.clip(0.5 + 0.1 * np.random.default_rng(0).standard_normal((300, 28, 28)), 0, 1)
    verdict = gan_explore.realism(noise, x_train, reference)
    assert verdict["far"] and set(verdict["reasons"]) == {"grey", "far"}
    assert verdict["grey_share"] > 0.9 and verdict["distance_ratio"] > 2


def test_blank_images_are_flagged_though_near_a_thin_digit(digits):
    x_train, _, reference = digits
    verdict = gan_explore.realism(np.zeros((50, 28, 28)), x_train, reference)
    assert verdict["reasons"] == ["blank"]  # an empty image is closer to a thin 1 than a real digit is


def test_real_digit_reference_and_bad_input(digits):
    x_train, x_test, reference = digits
    grey, ink = gan_explore.pixel_shares(x_test[:200] / 255.0)
    assert (reference["grey_share"], reference["ink_share"]) == (grey, ink) and 0.05 < ink < 0.2
    assert reference["distance"] == gan_explore.nearest_reference(x_train, x_test)
    with pytest.raises(ValueError, match="28, 28"):
        gan_explore.realism(np.zeros((4, 14, 14)), x_train, reference)
    with pytest.raises(ValueError, match="between 1 and 10000"):
        gan_explore.realism(np.zeros((4, 28, 28)), x_train, reference, n=0)
