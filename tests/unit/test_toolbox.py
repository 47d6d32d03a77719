"""The training toolbox's numpy maths: optimisers against Keras, surfaces against finite
differences, the numbers its try-list quotes, universal approximation's falling error."""

import numpy as np
import pytest

from core import i18n
from core.errors import InputError
from lab.toolbox import maths as m
from lab.toolbox import maths_approx as ua

A = np.array([1.0, 20.0])  # the bowl's curvatures: f = ½ θᵀ diag(A) θ, gradient A ⊙ θ


def _keras_path(optimizer, theta0, steps):
    import keras

    var = keras.Variable(np.array(theta0, dtype="float32"))
    out = [np.array(var.numpy(), dtype=float)]
    for _ in range(steps):
        g = keras.ops.convert_to_tensor((A * var.numpy()).astype("float32"))  # the bowl's gradient at var
        optimizer.apply_gradients([(g, var)])
        out.append(np.array(var.numpy(), dtype=float))
    return np.array(out)


@pytest.mark.parametrize("name", m.OPTIMISERS)
def test_each_update_rule_matches_keras_own_optimiser(name):
    keras = pytest.importorskip("keras")
    cfg = m.Settings(lr=0.03, lr_adaptive=0.05, momentum=0.8)
    optimizer = {"sgd": lambda: keras.optimizers.SGD(0.03),
                 "momentum": lambda: keras.optimizers.SGD(0.03, momentum=0.8),
                 "nesterov": lambda: keras.optimizers.SGD(0.03, momentum=0.8, nesterov=True),
                 "rmsprop": lambda: keras.optimizers.RMSprop(0.05, rho=0.9, epsilon=1e-7),
                 "adam": lambda: keras.optimizers.Adam(0.05, beta_1=0.9, beta_2=0.999, epsilon=1e-7)}[name]()
    ours = m.run("bowl", name, cfg, 8, start=(-4.0, 1.5)).points
    theirs = _keras_path(optimizer, (-4.0, 1.5), 8)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert np.abs(ours[-1] - ours[0]).max() > 0.1  # they moved: the comparison means something


@pytest.mark.parametrize("name", list(m.SURFACES))
def test_gradients_match_finite_differences_and_minima_are_lowest(name):
    s = m.SURFACES[name]
    rng = np.random.default_rng(0)
    for x, y in rng.uniform(-1.5, 1.5, size=(5, 2)):
        e = 1e-6
        fd = [(s.f(np.array(x + e), np.array(y)) - s.f(np.array(x - e), np.array(y))) / (2 * e),
              (s.f(np.array(x), np.array(y + e)) - s.f(np.array(x), np.array(y - e))) / (2 * e)]
        np.testing.assert_allclose(s.grad(x, y), fd, rtol=1e-5, atol=1e-6)
    xs, ys, z = m.grid(name)
    lowest = min(float(s.f(np.array(a), np.array(b))) for a, b in s.minima)
    assert lowest <= z.min() + 1e-9
    for point in s.minima:
        np.testing.assert_allclose(s.grad(*point), 0.0, atol=1e-9)
    assert z.shape == (len(ys), len(xs)) and not z.flags.writeable


def test_the_saddles_are_stationary_but_not_lowest():
    np.testing.assert_allclose(m.SURFACES["saddle"].grad(0.0, 0.0), 0.0)
    np.testing.assert_allclose(m.SURFACES["net"].grad(0.0, 0.0), 0.0)
    assert m.SURFACES["saddle"].f(np.array(0.0), np.array(0.0)) > m.SURFACES["saddle"].f(np.array(0.0), np.array(1.0))


def test_sgd_on_the_bowl_blows_up_past_eta_one_tenth():
    """The try-list: η = 0.11 multiplies y by |1 − 2.2| = 1.2 a step; it leaves at step 36."""
    assert m.run("bowl", "sgd", m.Settings(lr=0.09), 60).diverged_at is None
    path = m.run("bowl", "sgd", m.Settings(lr=0.11), 60)
    assert path.diverged_at == 36
    assert "step 36," in i18n.catalog("en")["toolbox.lesson.try"]
    assert "paso 36," in i18n.catalog("es")["toolbox.lesson.try"]
    ys = path.points[:10, 1]
    np.testing.assert_allclose(ys[1:] / ys[:-1], 1 - 20 * 0.11)  # the steep axis's factor, step by step


def test_on_the_saddle_adam_leaves_at_once_and_sgd_lingers():
    cfg = m.Settings(lr=0.1, lr_adaptive=0.1, momentum=0.8)
    paths = m.race("saddle", m.OPTIMISERS, cfg, 50)
    assert m.distance_to_minimum("saddle", paths["sgd"]) > 0.8  # still beside the saddle
    assert all(m.distance_to_minimum("saddle", paths[o]) < 0.1 for o in ("momentum", "nesterov", "rmsprop", "adam"))
    first = paths["adam"].numbers[0]["update"]
    np.testing.assert_allclose(np.abs(first), 0.1, rtol=1e-3)  # Adam's first step: η along both axes
    np.testing.assert_allclose(paths["sgd"].points[1, 1] / paths["sgd"].points[0, 1], 1.1, rtol=1e-5)


def test_on_rosenbrock_momentum_succeeds_where_sgd_crawls():
    cfg = m.Settings(lr=0.001, momentum=0.9)
    paths = m.race("rosenbrock", ["sgd", "momentum"], cfg, 500)
    assert paths["sgd"].losses[-1] > 4 and paths["momentum"].losses[-1] < 0.01
    no_momentum = m.run("rosenbrock", "momentum", m.Settings(lr=0.001, momentum=0.0), 500)
    np.testing.assert_allclose(no_momentum.points, paths["sgd"].points)


def test_every_surface_default_race_is_finite_and_fast_enough_to_draw():
    for name, s in m.SURFACES.items():
        d = s.defaults
        paths = m.race(name, m.OPTIMISERS, m.Settings(d["lr"], d["lr_adaptive"], d["momentum"]), d["steps"])
        for path in paths.values():
            assert path.diverged_at is None and np.all(np.isfinite(path.losses)), name
            assert len(path.numbers) == d["steps"] and path.step_sizes.shape == (d["steps"],)


def test_settings_and_names_are_checked():
    with pytest.raises(InputError):
        m.Settings(lr=0.0).validate()
    with pytest.raises(InputError):
        m.Settings(momentum=1.5).validate()
    with pytest.raises(ValueError, match="unknown surface"):
        m.surface("moon")
    with pytest.raises(ValueError, match="unknown optimiser"):
        m.run("bowl", "lbfgs", m.Settings(), 3)


# ---------------------------------------------------------------- universal approximation
@pytest.mark.parametrize("activation", ua.ACTIVATIONS)
@pytest.mark.parametrize("target", ["wave", "abs", "bumps"])
def test_the_error_falls_as_units_are_added(target, activation):
    errors = [ua.fit(target, n, activation).rmse for n in (3, 10, 20, 40)]
    assert errors == sorted(errors, reverse=True) and errors[-1] < 0.01 < errors[0], errors


def test_a_step_is_not_continuous_and_its_error_stays():
    errors = [ua.fit("step", n, "sigmoid").rmse for n in (10, 40, 60)]
    assert errors[0] > errors[1] >= errors[2] > 0.065  # the try-list: stops falling near 0.07
    wave = [ua.fit("wave", n, "sigmoid").rmse for n in (3, 10, 20)]
    assert wave[0] > 0.5 and wave[1] < 0.05 and wave[2] < 0.01


def test_units_are_nested_and_the_output_is_their_sum():
    np.testing.assert_allclose(ua.centres(7)[:3], [0.0, -0.5, 0.5])
    np.testing.assert_allclose(ua.centres(20)[:7], ua.centres(7))  # adding a unit keeps the others
    fit = ua.fit("bumps", 6, "relu")
    np.testing.assert_allclose(fit.output, fit.bias + fit.contributions.sum(axis=1))
    assert fit.contributions.shape == (len(ua.X_TEST), 6)
    with pytest.raises(InputError):
        ua.fit("wave", 0)


# ---------------------------------------------------------------- batch normalisation
def test_batch_norm_training_and_inference_match_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    z = rng.normal(2.0, 3.0, size=(32, 5)).astype("float32")
    layer = keras.layers.BatchNormalization(epsilon=1e-3, momentum=0.99)
    layer.build((None, 5))
    layer.gamma.assign(rng.uniform(0.5, 2, 5).astype("float32"))
    layer.beta.assign(rng.normal(0, 1, 5).astype("float32"))
    moving_mean, moving_var = rng.normal(0, 1, 5), rng.uniform(0.5, 3, 5)
    layer.moving_mean.assign(moving_mean.astype("float32"))
    layer.moving_variance.assign(moving_var.astype("float32"))
    gamma, beta = layer.gamma.numpy(), layer.beta.numpy()
    infer, _, _ = ua.batch_norm(z, gamma, beta, 1e-3, moving_mean, moving_var)
    np.testing.assert_allclose(np.asarray(layer(z, training=False)), infer, rtol=1e-4, atol=1e-4)
    train, mu, var = ua.batch_norm(z, gamma, beta, 1e-3)
    np.testing.assert_allclose(np.asarray(layer(z, training=True)), train, rtol=1e-4, atol=1e-4)
    # training mode moved the moving averages one step towards the batch's statistics
    np.testing.assert_allclose(layer.moving_mean.numpy(), ua.moving_average(moving_mean, mu), rtol=1e-4)
    np.testing.assert_allclose(layer.moving_variance.numpy(), ua.moving_average(moving_var, var), rtol=1e-4)
    assert np.abs(train - infer).max() > 0.5  # the two modes differ on this batch
    np.testing.assert_allclose(train.mean(axis=0), beta, atol=1e-4)  # the batch's own mean becomes β


def test_nesterov_zigzags_longest_on_the_default_bowl_and_settles_at_a_lower_eta():
    """The bowl's note: at η = 0.07 (μ = 0.6) Nesterov still swings on the steep axis after 20 steps."""
    def swing(lr):
        paths = m.race("bowl", ["sgd", "momentum", "nesterov"], m.Settings(lr=lr, momentum=0.6), 60)
        return {o: np.abs(p.points[20:, 1]).max() for o, p in paths.items()}

    at_07, at_06 = swing(0.07), swing(0.06)
    assert at_07["nesterov"] > 0.2 > 10 * max(at_07["sgd"], at_07["momentum"])
    assert at_06["nesterov"] < 1e-3
    assert "η = 0.07" in i18n.catalog("en")["toolbox.notes.bowl"] and "η = 0,06" in i18n.catalog("es")["toolbox.notes.bowl"]


def test_a_bad_momentum_is_named_in_both_languages():
    from core import errors

    with pytest.raises(InputError) as err:
        m.Settings(momentum=1.5).validate()
    assert str(err.value).startswith("The momentum must be between 0 and 0.999")
    assert errors.message(i18n.translator("es"), err.value).startswith("El momento debe estar entre 0 y 0,999")


def test_keras_nesterov_is_the_classical_look_ahead_seen_from_the_look_ahead_point():
    """The rules note: with φ = θ + μv, v ← μv − η∇f(θ + μv), θ ← θ + v is Keras' update of φ."""
    mu, eta = 0.6, 0.07
    theta, v, looked = np.array([-4.0, 1.5]), np.zeros(2), []
    for _ in range(10):
        looked.append(theta + mu * v)
        v = mu * v - eta * m.SURFACES["bowl"].grad(*(theta + mu * v))
        theta = theta + v
    looked.append(theta + mu * v)
    keras_form = m.run("bowl", "nesterov", m.Settings(lr=eta, momentum=mu), 10).points
    np.testing.assert_allclose(np.array(looked), keras_form, atol=1e-12)
