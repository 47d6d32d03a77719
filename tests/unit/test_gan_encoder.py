"""The inversion's warm start: an encoder trained on the generator's own samples."""

import os

import numpy as np
import pytest

from core.errors import InputError
from core.storage import store
from lab.gan import model_dcgan as gan_model
from lab.gan import model_encoder as gan_encoder
from lab.gan import model_inversion as gi
from lab.gan.training import encoder as encoder_training
from tests.unit.test_gan_inversion import tiny_generator


def pixel_error(generator, encoder, z: np.ndarray) -> float:
    """Mean squared pixel error of ``G(E(G(z)))`` against ``G(z)``: how well E inverts G."""
    x = gan_model.generate(generator, z)  # (N, 28, 28)
    return float(((gan_model.generate(generator, gan_encoder.encode(encoder, x)) - x) ** 2).mean())


def test_encoder_maps_images_to_latent_codes():
    encoder = gan_encoder.build_encoder()
    assert encoder.output_shape == (None, gan_model.LATENT_DIM)
    assert gan_encoder.encode(encoder, np.zeros((3, 28, 28))).shape == (3, gan_model.LATENT_DIM)


def test_training_makes_the_encoder_invert_the_generator():
    generator = tiny_generator()
    z = gan_model.latent(99, 64)  # codes the training never drew
    untrained = pixel_error(generator, gan_encoder.build_encoder(), z)
    losses = []
    config = encoder_training.EncoderConfig(steps=250, batch_size=32, seed=0)
    encoder, final = encoder_training.train_encoder(generator, config, lambda i, loss: losses.append((i, loss)))
    assert [i for i, _ in losses] == [250]
    assert pixel_error(generator, encoder, z) < 0.3 * untrained
    assert final == pytest.approx(losses[-1][1])


@pytest.mark.parametrize("field", [{"steps": 0}, {"learning_rate": 2.0}, {"latent_weight": -1.0}, {"batch_size": 1.5}])
def test_bad_settings_name_the_value(field):
    with pytest.raises(InputError):
        encoder_training.EncoderConfig(**field).validate()


def test_an_encoder_serves_only_the_generator_file_it_learned():
    folder = store.user_models_dir()
    entry = store.save_model(tiny_generator(), {"kind": "gan-generator"}, "enc-test-gen", folder)
    generator = store.load_cached(entry.path)
    assert gan_encoder.encoder_for(generator) is None  # none trained yet
    assert gan_encoder.encoder_for(tiny_generator()) is None  # not from a file at all
    saved = encoder_training.export(encoder_training.EncoderConfig(generator=str(entry.path), steps=3), folder,
                               command="test")
    assert saved.path.name == "enc-test-gen-encoder.keras"
    assert saved.card["generator_sha256"] == gan_encoder.file_sha256(entry.path)
    assert saved.card["kind"] == gan_encoder.KIND and saved.card["command"] == "test"
    encoder = gan_encoder.encoder_for(generator)
    assert encoder is not None and encoder.output_shape == (None, gan_model.LATENT_DIM)
    # the generator retrained under the same name: the old encoder no longer fits it
    store.save_model(tiny_generator(), {"kind": "gan-generator"}, "enc-test-gen", folder)
    os.utime(entry.path, ns=(1, 1))  # a new file version for the model cache, whatever the clock
    assert gan_encoder.encoder_for(store.load_cached(entry.path)) is None


def test_the_encoders_guess_is_one_of_the_starts():
    folder = store.user_models_dir()
    entry = store.save_model(tiny_generator(), {"kind": "gan-generator"}, "enc-start-gen", folder)
    generator = store.load_cached(entry.path)
    encoder_training.export(encoder_training.EncoderConfig(generator=str(entry.path), steps=3), folder)
    image = gan_model.generate(generator, gan_model.latent(5))[0]
    guess = gan_encoder.encode(gan_encoder.encoder_for(generator), image[None])[0]
    guess = guess * min(1.0, gi.MAX_NORM / np.linalg.norm(guess))
    warm, cold = gi.starts(generator, image, seed=3), gi.starts(generator, image, seed=3, warm=False)
    assert warm.shape == cold.shape == (gi.STARTS, gan_model.LATENT_DIM)
    np.testing.assert_allclose(warm[-2], guess, rtol=1e-5, atol=1e-6)  # before the random start
    np.testing.assert_array_equal(warm[:-2], cold[:-2])  # the nearest samples, one fewer
    np.testing.assert_array_equal(warm[-1], cold[-1])  # the random start from the seed
    assert not np.allclose(cold[-2], guess)  # without the encoder: the third-nearest sample
    assert (np.linalg.norm(warm, axis=1) <= gi.MAX_NORM + 1e-4).all()
