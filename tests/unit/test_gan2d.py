"""The two-dimensional GAN (lab/gan2d): data, distances, mode coverage, and training."""

import math

import numpy as np
import pytest

from core.errors import InputError
from lab.gan2d import maths
from lab.gan2d.model import Gan2dSettings
from lab.gan2d.training import SHOWN, Gan2dTrainer, gan2d_datasets, train_gan2d


def test_presets_are_named_and_drawn_deterministically():
    assert gan2d_datasets() == ("ring", "grid", "line", "moons")
    for name in gan2d_datasets():
        a = maths.real_points(name, 300, seed=3)
        assert a.shape == (300, 2) and a.dtype == np.float32
        assert np.abs(a).max() < maths.VIEW  # on the plane
        np.testing.assert_array_equal(a, maths.real_points(name, 300, seed=3))
        assert not np.array_equal(a, maths.real_points(name, 300, seed=4))
    assert len(maths.mode_centres("ring")) == 8 and len(maths.mode_centres("grid")) == 25
    with pytest.raises(InputError):
        maths.real_points("spiral", 10)


def test_noise_spreads_points_around_the_ring_modes():
    centres = maths.mode_centres("ring")
    for noise in (0.0, 0.1):
        pts = maths.real_points("ring", 4000, noise=noise, seed=0)
        nearest = np.linalg.norm(pts[:, None] - centres[None], axis=-1).min(1)
        assert nearest.std() == pytest.approx(noise * math.sqrt(2 - math.pi / 2), abs=0.01)  # Rayleigh spread


def test_own_points_are_repeated_with_noise_and_checked():
    own = [[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]]
    pts = maths.real_points("own", 9, noise=0.0, own=own)
    np.testing.assert_allclose(pts, np.array(own * 3, np.float32))
    with pytest.raises(InputError):
        maths.real_points("own", 9, own=own[:2])
    grown = maths.add_point(own, 0.12345, -1.5)
    assert grown[-1] == [0.123, -1.5] and len(own) == 3
    with pytest.raises(InputError):
        maths.add_point(own, 3.0, 0.0)  # off the plane
    with pytest.raises(InputError):
        maths.add_point([[0.0, 0.0]] * maths.MAX_OWN_POINTS, 0.0, 0.0)


def test_mode_coverage_counts_modes_holding_their_share():
    centres = maths.mode_centres("ring")
    rng = np.random.default_rng(0)
    all_modes = centres[np.arange(800) % 8] + rng.normal(0, 0.05, (800, 2))
    assert maths.mode_coverage(all_modes, centres).sum() == 8
    six = centres[np.arange(600) % 6] + rng.normal(0, 0.05, (600, 2))
    assert list(maths.mode_coverage(six, centres)) == [True] * 6 + [False] * 2
    # a few strays near modes 6 and 7 are not enough: 5 points each, fair share is 100
    strays = np.concatenate([six, np.repeat(centres[6:], 5, axis=0)])
    assert maths.mode_coverage(strays, centres).sum() == 6
    # points between the modes (on the circle, half-way) cover none
    halfway = 1.4 * np.stack([np.cos(np.arange(8) * np.pi / 4 + np.pi / 8), np.sin(np.arange(8) * np.pi / 4 + np.pi / 8)], 1)
    assert maths.mode_coverage(np.repeat(halfway, 50, axis=0), centres).sum() == 0
    assert maths.mode_coverage(all_modes, np.zeros((0, 2))).shape == (0,)


def test_sliced_wasserstein_is_zero_for_the_same_cloud_and_grows_with_a_shift():
    a = maths.real_points("moons", 2000, seed=0)
    assert maths.sliced_wasserstein(a, a) == pytest.approx(0.0, abs=1e-9)
    shift = np.array([0.5, 0.0], np.float32)
    # a translation by v moves each projection by |v·u|; averaged over directions: (2/π)|v|
    assert maths.sliced_wasserstein(a, a + shift, directions=2000) == pytest.approx(2 / math.pi * 0.5, rel=0.05)
    assert maths.sliced_wasserstein(a, a + 2 * shift) > maths.sliced_wasserstein(a, a + shift)


def test_latent_grid_lines():
    lines = maths.latent_grid(11, 21)
    assert lines.shape == (22, 21, 2)
    assert np.allclose(lines[0, :, 1], -1) and np.allclose(lines[11, :, 0], -1)  # first row, first column
    axis, grid = maths.plane_grid(41)
    assert grid.shape == (41 * 41, 2)
    np.testing.assert_allclose(grid[1], [axis[1], axis[0]], rtol=1e-6)


def test_settings_are_checked():
    assert Gan2dSettings().validate().loss == "wgan-gp"
    for bad in (dict(loss="lsgan"), dict(optimizer="adagrad"), dict(g_layers=0), dict(d_units=1000),
                dict(lr_g=1.0), dict(d_steps=0)):
        with pytest.raises(InputError):
            Gan2dSettings(**bad).validate()
    with pytest.raises(InputError):
        train_gan2d(np.zeros((10, 2)), steps=1, colour="red")


def test_train_gan2d_shapes_history_and_determinism():
    real = maths.real_points("line", 256, seed=0)
    samples, history = train_gan2d(real, steps=30, seed=5, loss="gan", g_units=16, d_units=16)
    assert samples.shape == (SHOWN, 2) and np.isfinite(samples).all()
    assert len(history["d_loss"]) == len(history["g_loss"]) == 30
    assert history["distance_at"] == [30] and len(history["distance"]) == 1
    again, history2 = train_gan2d(real, steps=30, seed=5, loss="gan", g_units=16, d_units=16)
    np.testing.assert_array_equal(samples, again)
    assert history == history2
    other, _ = train_gan2d(real, steps=30, seed=6, loss="gan", g_units=16, d_units=16)
    assert not np.allclose(samples, other)


def test_modes_d_only_and_g_only_train_one_player():
    real = maths.real_points("ring", 256, seed=0)
    run = Gan2dTrainer(Gan2dSettings(g_units=16, d_units=16, d_steps=2), seed=0)
    gen_before = [w.copy() for w in run.gen.get_weights()]
    run.run(real, 2, mode="d")
    assert all(np.array_equal(a, b) for a, b in zip(gen_before, run.gen.get_weights()))  # G untouched
    assert np.isnan(run.history["g_loss"]).all() and np.isfinite(run.history["d_loss"]).all()
    disc_before = [w.copy() for w in run.disc.get_weights()]
    run.run(real, 1, mode="g")
    assert all(np.array_equal(a, b) for a, b in zip(disc_before, run.disc.get_weights()))  # D untouched
    assert not all(np.array_equal(a, b) for a, b in zip(gen_before, run.gen.get_weights()))
    with pytest.raises(InputError):
        run.run(real, 1, mode="neither")


@pytest.mark.parametrize("loss", ["gan", "wgan-gp"])
def test_the_push_on_fake_points_climbs_d_map(loss):
    real = maths.real_points("ring", 256, seed=0)
    run = Gan2dTrainer(Gan2dSettings(loss=loss, g_units=16, d_units=32), seed=1)
    run.run(real, 20, mode="d")
    snap = run.snapshot(real)
    assert snap["map"].shape == (41, 41) and snap["manifold"].shape == (22, 21, 2)
    fake, push = snap["fake"], snap["push"]
    step = 1e-3 * push / np.linalg.norm(push, axis=1, keepdims=True)
    before = np.asarray(run.disc(fake, training=False))[:, 0]
    after = np.asarray(run.disc(fake + step, training=False))[:, 0]
    assert (after > before).mean() > 0.95  # moving along the push raises D's score (ReLU kinks aside)


def test_wgan_gp_covers_the_ring_with_a_small_budget():
    real = maths.real_points("ring", 512, seed=0)
    samples, history = train_gan2d(real, steps=500, seed=0, loss="wgan-gp")
    assert samples.shape == (SHOWN, 2)
    covered = maths.mode_coverage(samples, maths.mode_centres("ring"))
    assert covered.sum() >= 7, covered
    assert history["distance"][-1] < history["distance"][0]


def test_plane_figure_and_picture_draw_the_layers_asked_for():
    from lab.gan2d import plots

    real = maths.real_points("ring", 64, seed=0)
    run = Gan2dTrainer(Gan2dSettings(loss="gan", g_units=8, d_units=8), seed=0)
    snap = run.snapshot(real)
    names = {**{k: k for k in plots.LAYERS}, "hint": "click", "map_bar": "D"}
    fig = plots.plane(real, snap, list(plots.LAYERS), names, "t", clickable=True)
    assert [tr.name for tr in fig.data] == ["click", "map", "manifold", "real", "arrows", "fake"]
    assert [tr.name for tr in plots.plane(real, snap, ["real"], names, "t").data] == ["real"]
    full = plots.plane_image(real, snap, list(plots.LAYERS), size=100)
    bare = plots.plane_image(real, snap, [], size=100)
    assert full.shape == bare.shape == (100, 100, 3)
    assert (bare == 255).all() and not (full == 255).all()  # no layer: a white square
    lo, hi = plots.map_range(np.array([[1.0, 3.0], [2.0, 2.5]]), "wgan-gp")
    assert (lo + hi) / 2 == pytest.approx(2.25)  # a critic's map is centred on its median
