"""The latent map's plane geometry, and its grid read by a classifier (tiny models, no files)."""

import numpy as np
import pytest

from core.errors import InputError
from lab.gan import model as gan
from lab.gan import model_map as gan_map


def unit(v):
    return v / np.linalg.norm(v)


def test_plane_points_put_the_centre_in_the_middle_and_up_on_top():
    rng = np.random.default_rng(1)
    centre, d1, d2 = rng.standard_normal((3, gan.LATENT_DIM))
    z = gan_map.plane_points(centre, d1, d2, span=4.0, cells=9)
    assert z.shape == (9, 9, gan.LATENT_DIM)
    np.testing.assert_allclose(z[4, 4], centre, atol=1e-5)
    np.testing.assert_allclose(z[0, 8], centre + 4 * d1 + 4 * d2, atol=1e-4)  # top right: +u, +v
    np.testing.assert_allclose(z[8, 0], centre - 4 * d1 - 4 * d2, atol=1e-4)  # bottom left
    np.testing.assert_allclose(z[4, 5] - z[4, 4], d1, atol=1e-5)  # one cell right: one unit along d1
    np.testing.assert_allclose(gan_map.grid(4.0, 17)[::2], np.arange(-4, 5), atol=1e-6)  # whole steps every 2


@pytest.mark.parametrize("cells", gan_map.CELLS)
def test_drawing_plane_puts_both_codes_on_cells(cells):
    rng = np.random.default_rng(2)
    z_a, z_b, helper = rng.standard_normal((3, gan.LATENT_DIM))
    centre, d1, d2, half = gan_map.drawing_plane(z_a, z_b, helper)
    assert abs(d1 @ d2) < 1e-5 and abs(np.linalg.norm(d1) - 1) < 1e-5 and abs(np.linalg.norm(d2) - 1) < 1e-5
    assert d2 @ unit(helper) > 0  # the helper's direction, less its part along d1
    z = gan_map.plane_points(centre, d1, d2, 2 * half, cells)  # the page's span: twice the half gap
    mid, quarter = cells // 2, (cells - 1) // 4
    np.testing.assert_allclose(z[mid, mid - quarter], z_a, atol=1e-4)
    np.testing.assert_allclose(z[mid, mid + quarter], z_b, atol=1e-4)


def test_bad_planes_are_refused_with_their_values():
    z = np.ones(gan.LATENT_DIM)
    with pytest.raises(InputError) as err:
        gan_map.drawing_plane(z, z, np.arange(gan.LATENT_DIM))
    assert err.value.code == "gan.same_codes"
    with pytest.raises(InputError, match="cells.*3 and 41"):
        gan_map.grid(4.0, 100)
    with pytest.raises(InputError, match="between 0 and 20"):
        gan_map.grid(-1.0, 9)


def tiny_models():
    import keras

    z = keras.Input((gan.LATENT_DIM,))
    x = keras.layers.Dense(784, activation="sigmoid")(z)
    gen = keras.Model(z, keras.layers.Reshape((28, 28, 1))(x))
    img = keras.Input((28, 28, 1))
    clf = keras.Model(img, keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(img)))
    return gen, clf


def test_the_map_is_the_classifiers_reading_of_each_generated_cell_and_is_shared():
    gen, clf = tiny_models()
    rng = np.random.default_rng(3)
    centre, d1, d2 = rng.standard_normal((3, gan.LATENT_DIM)).astype(np.float32)
    found = gan_map.cached_map(gen, clf, centre, d1, d2, 2.0, 9)
    assert found["images"].shape == (9, 9, 28, 28) and found["labels"].shape == (9, 9)
    images = gan.generate(gen, found["z"].reshape(-1, gan.LATENT_DIM))  # reference: one cell at a time
    probs = np.asarray(clf(images[..., None], training=False))
    np.testing.assert_array_equal(found["labels"].ravel(), probs.argmax(1))
    np.testing.assert_allclose(found["confidence"].ravel(), probs.max(1), atol=1e-5)
    assert gan_map.cell_counts(found["labels"]).sum() == 81
    assert gan_map.cached_map(gen, clf, centre, d1, d2, 2.0, 9) is found  # same plane: computed once
    assert gan_map.cached_map(gen, clf, centre, d1, d2, 3.0, 9) is not found
