"""GAN inversion against references: Keras' Adam, the generator's own samples, the cache."""

import time

import numpy as np
import pytest

from core.errors import InputError
from lab.gan import model as gan
from lab.gan import model_inversion as gi

needs_model = pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")


def tiny_generator():
    """A linear "generator" ``z (N, 100) -> (N, 28, 28, 1)``: fast, and its gradient is plain."""
    import keras

    z = keras.Input((gan.LATENT_DIM,))
    x = keras.layers.Dense(784, activation="sigmoid", kernel_initializer=keras.initializers.RandomNormal(0, 0.05, seed=1))(z)
    return keras.Model(z, keras.layers.Reshape((28, 28, 1))(x))


def test_two_steps_are_adam_on_the_pixel_error():
    """Against Adam written out in numpy (Kingma & Ba, 2015), gradients from TensorFlow."""
    import tensorflow as tf

    gen = tiny_generator()
    rng = np.random.default_rng(0)
    z0 = rng.standard_normal((gi.STARTS, gan.LATENT_DIM)).astype(np.float32) * 0.3  # inside the ball
    target = rng.random((28, 28)).astype(np.float32)
    zero = tf.zeros_like(z0)
    z1, _, _, t = gi._stepper(gen)(tf.constant(z0), zero, zero, tf.constant(0.0), tf.constant(target), tf.constant(2))
    z, m, v = z0.astype(np.float64), 0.0, 0.0
    for step in (1, 2):
        zz = tf.constant(z, tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(zz)
            loss = tf.reduce_sum(tf.reduce_mean(tf.square(gen(zz)[..., 0] - target), axis=[1, 2]))
        g = tape.gradient(loss, zz).numpy().astype(np.float64)
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        z = z - gi.LEARNING_RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    assert np.abs(z1.numpy() - z0).max() > 0.1  # it moved: two steps of about 0.1 each
    np.testing.assert_allclose(z1.numpy(), z, atol=1e-5)
    assert float(t) == 2.0


def test_steps_keep_z_inside_the_norm_ball():
    import tensorflow as tf

    gen = tiny_generator()
    z0 = np.full((gi.STARTS, gan.LATENT_DIM), 5.0, np.float32)  # norm 50, far outside
    zero = tf.zeros_like(z0)
    z1 = gi._stepper(gen)(tf.constant(z0), zero, zero, tf.constant(0.0), tf.zeros((28, 28)), tf.constant(1))[0]
    np.testing.assert_allclose(np.linalg.norm(z1.numpy(), axis=1), gi.MAX_NORM, rtol=1e-5)


@pytest.mark.parametrize(("image", "code", "shown"), [
    (np.zeros((27, 28)), "gan.invert_shape", "27×28"),
    (np.zeros((28, 28, 3)), "gan.invert_shape", "28×28×3"),
    (np.full((28, 28), 1.5), "gan.invert_range", "1.5"),
    (np.full((28, 28), -0.25), "gan.invert_range", "-0.25"),
    (np.full((28, 28), np.nan), "image.not_finite", "784"),
])
def test_bad_images_name_the_value_and_the_range(image, code, shown):
    with pytest.raises(InputError) as err:
        gi.invert(image, generator=tiny_generator())
    assert err.value.code == code and shown in str(err.value)
    if code == "gan.invert_range":
        assert "between 0 and 1" in str(err.value)
    with pytest.raises(InputError):
        gi.start(image, generator=tiny_generator())  # checked before it goes off-thread


def test_negative_seed_is_refused():
    with pytest.raises(InputError, match="seed"):
        gi.invert(np.zeros((28, 28)), seed=-1, generator=tiny_generator())


@needs_model
def test_the_generators_own_digits_come_back():
    g = gan.load_generator()
    z_true = gan.latent(4242, 3)
    images = gan.generate(g, z_true)  # (3, 28, 28): digits the generator can certainly draw
    others = gan.generate(g, gan.latent(99, 50))
    for x in images:
        z, recon = gan.invert(x)
        assert z.shape == (gan.LATENT_DIM,) and z.dtype == np.float32 and recon.shape == (28, 28)
        assert np.linalg.norm(z) <= gi.MAX_NORM + 1e-3
        np.testing.assert_allclose(gan.generate(g, z)[0], recon, atol=1e-5)  # recon is G(z)
        err = np.abs(recon - x).mean()
        typical = np.abs(others - x).mean(axis=(1, 2))  # (50,): other samples' distance to x
        assert err < 0.03 and err < 0.25 * np.median(typical), (err, np.median(typical))


@needs_model
def test_repeats_come_from_the_cache_and_the_background_task_agrees():
    g = gan.load_generator()
    x = gan.generate(g, gan.latent(777, 1))[0]
    task = gi.start(x, seed=3)
    assert task.wait(300) and task.error is None and task.progress == 1.0
    hits = gi._results.hits
    t0 = time.perf_counter()
    z, recon = gan.invert(x.copy(), seed=3)  # same bytes, another array: a hit
    assert time.perf_counter() - t0 < 0.05
    assert gi._results.hits == hits + 1 and z is task.result[0] and recon is task.result[1]
    assert gi.is_cached(x, 3) and not gi.is_cached(x, 4)
    with pytest.raises(ValueError):
        z[0] = 1.0  # shared by every session: read-only
    assert gi.start(x, seed=3).done  # a cached drawing is done at once


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_lesson_states_the_searchs_real_numbers(lang):
    from core import i18n

    idea = i18n.catalog(lang)["gan.drawing.lesson.idea"]
    assert f" {gi.STEPS} " in idea and f" {round(gi.MAX_NORM)}:" in idea and "√100" in idea
    assert f"\\le {round(gi.MAX_NORM)}" in i18n.catalog(lang)["gan.drawing.lesson.formula"]
