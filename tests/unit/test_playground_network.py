"""The playground's network view (numpy forward pass against Keras, layout for every allowed
shape, clicks, an edited weight, a node's sum) and regression training with MSE."""

import itertools

import numpy as np
import pytest

from core.jobs.context import PrintContext
from core.maths.playground import expand, grid
from core.models.playground_config import MAX_LAYERS, MAX_UNITS, PlaygroundConfig
from lab.playground import network_view as nv

FEATURES = ("x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2")


def random_weights(sizes, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for a, b in zip(sizes, sizes[1:]):
        out += [rng.normal(0, 1, (a, b)).astype(np.float32), rng.normal(0, 0.3, b).astype(np.float32)]
    return out


def test_layout_never_overlaps_for_any_allowed_shape():
    shapes = [(f, hidden) for f in range(2, 8) for layers in range(MAX_LAYERS + 1)
              for hidden in {(u,) * layers for u in (1, 5, MAX_UNITS)} | {tuple([1, MAX_UNITS, 3, 9][:layers])}]
    for features, hidden in shapes:
        for outputs in (1, 3):
            geo = nv.Geometry((features, *hidden, outputs))
            centres = np.array([geo.centre(c, j) for c, n in enumerate(geo.sizes) for j in range(n)])
            gaps = np.abs(centres[:, None] - centres[None])  # (nodes, nodes, 2)
            apart = (gaps[..., 0] >= geo.tile + 4) | (gaps[..., 1] >= geo.tile + 4)
            np.fill_diagonal(apart, True)
            assert apart.all(), (features, hidden)
            assert centres.min() >= geo.tile / 2 and (centres[:, 0] + geo.tile / 2 <= geo.width).all()
            assert (centres[:, 1] + geo.tile / 2 <= geo.height).all()
            marks = np.array([geo.edge_point(*e) for e in geo.edges()]).round(3)
            assert len(np.unique(marks, axis=0)) == len(marks)  # every edge its own hover place
    assert nv.Geometry((7, 16, 16, 16, 16, 1)).width <= 800  # the largest network fits a desktop column


@pytest.mark.parametrize(("hidden", "kind", "activation"), [((5, 3), "sigmoid", "tanh"), ((), "softmax", "relu"),
                                                             ((16,) * 4, "linear", "sigmoid")])
def test_numpy_forward_matches_keras(hidden, kind, activation):
    pytest.importorskip("keras")
    from core.models.playground_model import build_model

    regression, classes = kind == "linear", 3 if kind == "softmax" else 2
    model = build_model(4, hidden, activation, classes, dropout=(0.5,) * len(hidden), regression=regression)
    weights = model.get_weights()
    assert nv.output_kind(weights, regression) == kind
    x = expand(grid()[1], ("x1", "x2", "x1x2", "sin_x2"))
    ours = nv.forward(weights, x, activation, kind)[-1]
    np.testing.assert_allclose(ours, np.asarray(model(x, training=False)), atol=2e-5)
    maps = nv.maps(weights, ("x1", "x2", "x1x2", "sin_x2"), activation, kind)
    assert [m.shape[0] for m in maps] == [4, *hidden, 3 if kind == "softmax" else 1]
    assert nv.surface(maps, kind).shape == ((40, 40, 3) if kind == "softmax" else (40, 40))


def test_editing_one_weight_changes_what_follows_only():
    weights = random_weights((2, 3, 1))
    before = nv.maps(weights, ("x1", "x2"), "tanh", "sigmoid")
    edited = nv.with_weight(weights, 0, 1, 2, 5.0)
    assert edited[0][1, 2] == 5.0 and weights[0][1, 2] != 5.0  # a copy
    after = nv.maps(edited, ("x1", "x2"), "tanh", "sigmoid")
    np.testing.assert_array_equal(after[1][:2], before[1][:2])  # units 1 and 2 untouched
    assert np.abs(after[1][2] - before[1][2]).max() > 0.1 and np.abs(after[2] - before[2]).max() > 1e-3


def test_a_nodes_sum_is_the_weighted_inputs_plus_bias():
    weights = random_weights((3, 4, 2, 1), seed=2)
    s = nv.node_sum(weights, ("x1", "x2", "x1x2"), "tanh", "sigmoid", 2, 1, (0.5, -0.25))
    hidden = np.tanh(np.array([0.5, -0.25, -0.125]) @ weights[0] + weights[1])
    np.testing.assert_allclose(s["inputs"], hidden, rtol=1e-6)
    z = hidden @ weights[2][:, 1] + weights[3][1]
    assert s["z"] == pytest.approx(z, rel=1e-6) and s["a"] == pytest.approx(np.tanh(z), rel=1e-5)
    out = nv.node_sum(weights, ("x1", "x2", "x1x2"), "tanh", "sigmoid", 3, 0, (0.5, -0.25))
    assert out["function"] == "sigmoid" and out["a"] == pytest.approx(1 / (1 + np.exp(-out["z"])), rel=1e-6)


def test_clicks_map_to_nodes_and_edges_and_the_picture_has_every_tile():
    weights = random_weights((2, 4, 1))
    geo = nv.geometry(weights)
    assert geo.sizes == (2, 4, 1)
    event = {"selection": {"points": [{"curve_number": 1, "point_index": 5}]}}
    assert nv.selection(event, weights) == ("edge", *geo.edges()[5])
    assert nv.selection({"selection": {"points": [{"curve_number": 0, "point_index": 6}]}}, weights) == ("node", 2, 0)
    assert nv.selection({"selection": {"points": []}}, weights) is None and nv.selection(None, weights) is None
    maps = nv.maps(weights, ("x1", "x2"), "relu", "sigmoid")
    image = nv.picture(weights, maps, ("x1", "x2"), "sigmoid", selected=("edge", 0, 1, 2))
    assert image.shape == (geo.height, geo.width, 3)
    for col, n in enumerate(geo.sizes):  # every node's tile with its grey frame
        for j in range(n):
            x, y = (int(v) for v in geo.centre(col, j))
            assert tuple(image[y, x - geo.tile // 2 - 1]) == (150, 150, 150)
            assert image[y - 15:y + 15, x - 15:x + 15].std() > 0  # a map, not a blank square
    three = random_weights((2, 3))  # no hidden layer, a softmax over three classes: a tile per class
    picture = nv.picture(three, nv.maps(three, ("x1", "x2"), "tanh", "softmax"), ("x1", "x2"), "softmax")
    g3 = nv.geometry(three)
    for j in range(3):
        x, y = (int(v) for v in g3.centre(1, j))
        assert tuple(picture[y, x - g3.tile // 2 - 1]) == (150, 150, 150) and picture[y - 15:y + 15, x - 15:x + 15].std() > 0
    fig = nv.figure(image, weights, [["a"] * n for n in geo.sizes], ["e"] * len(geo.edges()), "net")
    assert len(fig.data[0].x) == 7 and len(fig.data[1].x) == 12 and fig.layout.images


def test_edge_widths_grow_with_size_and_colours_follow_the_sign():
    (pos, w_small), (neg, w_big) = nv.edge_style(0.1, 2.0), nv.edge_style(-2.0, 2.0)
    assert w_small < w_big == 7
    assert pos[2] > pos[0] and neg[0] > neg[2]  # blue-ish positive, orange negative


class Recorder(PrintContext):
    def __init__(self):
        super().__init__(every=10**9)
        self.extras, self.result = {}, {}

    def start_epoch(self, epoch, epochs):
        pass

    def set_extra(self, key, value):
        self.extras[key] = value

    def set_result(self, **values):
        self.result.update(values)


def test_regression_trains_with_mse_and_a_linear_output():
    pytest.importorskip("keras")
    from core.training import playground as training

    config = PlaygroundConfig(dataset="reg-plane", points=200, epochs=25, hidden=(4,), features=("x1", "x2"),
                              learning_rate=0.03, dropout=(0.1,))
    ctx = Recorder()
    training.job(config)(ctx)
    live = ctx.extras["live"]
    h = live["history"]
    assert set(h) == {"loss", "test_loss"} and len(h["loss"]) == 25
    assert h["test_loss"][-1] < 0.5 * h["test_loss"][0] and h["test_loss"][-1] < 0.02
    assert "accuracy" not in ctx.result and ctx.result["epoch"] == 25
    # the published surface is the linear output, which the numpy view reproduces from the weights
    maps = nv.maps(live["weights"], config.features, "tanh", "linear")
    np.testing.assert_allclose(nv.surface(maps, "linear"), live["surface"], atol=1e-4)
    assert live["surface"].min() < -0.5 and live["surface"].max() > 0.5  # not squashed into (0, 1)
    # the MSE the job reports is the mean squared error of the model's answers
    from core.models.playground_config import data_for

    _, _, x_test, y_test = data_for(config)
    pred = nv.forward(live["weights"], expand(x_test, config.features), "tanh", "linear")[-1]
    assert h["test_loss"][-1] == pytest.approx(float(np.mean((pred[:, 0] - y_test) ** 2)), rel=1e-3)


def test_every_shape_draws_quickly_enough_to_redraw_live():
    import time

    for hidden in itertools.islice(((16,) * k for k in range(5)), 5):
        weights = random_weights((7, *hidden, 1))
        start = time.perf_counter()
        nv.picture(weights, nv.maps(weights, FEATURES, "tanh", "sigmoid"), FEATURES, "sigmoid")
        assert time.perf_counter() - start < 1.0  # well under a second even on a busy 2-core machine


def test_initial_weights_are_glorot_uniform_with_zero_biases_and_keras_takes_them():
    from core.maths.playground import initial_weights

    weights = initial_weights((7, 16, 3), seed=5)
    assert [w.shape for w in weights] == [(7, 16), (16,), (16, 3), (3,)]
    for kernel, (fan_in, fan_out) in zip(weights[0::2], ((7, 16), (16, 3))):
        limit = np.sqrt(6 / (fan_in + fan_out))
        assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.8 * limit  # fills its range
    assert not any(b.any() for b in weights[1::2])
    np.testing.assert_array_equal(weights[0], initial_weights((7, 16, 3), seed=5)[0])
    assert not np.array_equal(weights[0], initial_weights((7, 16, 3), seed=6)[0])
    keras = pytest.importorskip("keras")  # noqa: F841
    from core.models.playground_model import build_model

    model = build_model(7, (16,), "tanh", 3, dropout=(0.2,))
    model.set_weights(weights)  # the same list Keras keeps: training can start from the drawn network
