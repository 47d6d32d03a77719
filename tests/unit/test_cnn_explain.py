"""The CNN view's numbers are the model's own: ``conv_unit`` against Keras sub-models for every
unit of every conv layer of the shipped CNNs, and the teaching maths against references."""

import numpy as np
import pytest

from lab.cnn import maths


# ---------------------------------------------------------------- numpy maths (no TensorFlow)
def brute_conv(x, kernel, stride, padding):
    """Every output cell by explicit loops: ``(C_out, Ho, Wo)``, no padding tricks shared."""
    k = kernel.shape[0]
    (top, bottom), (left, right) = maths.pads(x.shape[0], k, stride, padding), maths.pads(x.shape[1], k, stride, padding)
    xp = np.pad(x, ((top, bottom), (left, right), (0, 0)))
    ho, wo = (xp.shape[0] - k) // stride + 1, (xp.shape[1] - k) // stride + 1
    out = np.zeros((kernel.shape[3], ho, wo))
    for u in range(kernel.shape[3]):
        for i in range(ho):
            for j in range(wo):
                out[u, i, j] = np.sum(xp[i * stride:i * stride + k, j * stride:j * stride + k] * kernel[..., u])
    return out


@pytest.mark.parametrize(("n", "k", "stride", "padding"), [(7, 3, 1, "valid"), (7, 3, 1, "same"), (8, 3, 2, "same"),
                                                           (9, 5, 2, "valid"), (6, 2, 2, "same")])
def test_channel_maps_add_up_to_the_layer(n, k, stride, padding):
    rng = np.random.default_rng(n + k)
    x, kernel, bias = rng.normal(size=(n, n, 3)), rng.normal(size=(k, k, 3, 4)), rng.normal(size=4)
    layer = maths.conv_layer(x, kernel, bias, stride, padding)  # (Ho, Wo, 4)
    ref = brute_conv(x, kernel, stride, padding)
    np.testing.assert_allclose(np.moveaxis(layer, -1, 0), ref + bias[:, None, None], atol=1e-10)
    for u in range(4):
        maps = maths.channel_maps(x, kernel[..., u], stride, padding)  # (3, Ho, Wo)
        assert maps.shape == (3, *ref.shape[1:])
        np.testing.assert_allclose(maps.sum(axis=0), ref[u], atol=1e-10)
        p = maths.position(x, kernel[..., u], bias[u], "relu", 1, 1, stride, padding)
        assert p.total == pytest.approx(ref[u, 1, 1]) and p.out == pytest.approx(max(0.0, ref[u, 1, 1] + bias[u]))
        np.testing.assert_allclose(p.sums, maps[:, 1, 1])


def test_same_padding_puts_the_odd_zero_after_like_tensorflow():
    assert maths.pads(28, 3, 1, "same") == (1, 1)
    assert maths.pads(8, 2, 2, "same") == (0, 0) and maths.pads(7, 2, 2, "same") == (0, 1)
    assert maths.pads(28, 3, 1, "valid") == (0, 0)
    with pytest.raises(ValueError, match="padding"):
        maths.pads(5, 3, 1, "full")


def test_pool_window_keeps_the_largest_value_and_softmax_sums_to_one():
    x = np.arange(16.0).reshape(4, 4)[::-1]
    w = maths.pool_window(x, 2, 2, 1, 0)
    assert w.kept == 5.0 and w.window.tolist() == [[4, 5], [0, 1]] and w.where == (0, 1)  # rows 2-3, columns 0-1
    assert maths.pool_window(x, 2, 2, 0, 0, "average").kept == pytest.approx(10.5)  # 12, 13, 8, 9
    p = maths.softmax(np.array([1000.0, 1001.0, 0.0]))  # no overflow
    assert p.sum() == pytest.approx(1.0) and p.argmax() == 1
    assert maths.flatten_origin(0, (5, 5, 64)) == (0, 0, 0)
    assert maths.flatten_origin(65, (5, 5, 64)) == (1, 0, 1)  # channels fastest, then columns
    assert maths.shared_range(np.array([-2.0, 1.0])) == (-2.0, 2.0)
    assert maths.shared_range(np.zeros(3)) == (0.0, 1.0)


# ---------------------------------------------------------------- against Keras
keras = pytest.importorskip("keras")

from core.models import classifier  # noqa: E402
from core.storage import store  # noqa: E402
from core.storage.mnist import load_mnist  # noqa: E402
from lab.cnn import explain  # noqa: E402

SHIPPED_CNNS = [e for e in store.list_models(include_user=False) if e.kind in ("cnn", "improved")]


def images():
    """A test digit and random noise (every input cell non-zero: no product hides behind a 0)."""
    _, (x, _) = load_mnist()
    return [x[0] / 255.0, np.random.default_rng(1).uniform(0, 1, (28, 28))]


def test_there_are_shipped_cnns_to_check():
    assert {e.kind for e in SHIPPED_CNNS} == {"cnn", "improved"}


@pytest.mark.parametrize("entry", SHIPPED_CNNS, ids=[e.name for e in SHIPPED_CNNS])
def test_conv_unit_equals_the_keras_layer_for_every_unit(entry):
    model = classifier.load_entry(entry)
    net = explain.network(model)
    convs = explain.conv_layers(model)
    assert len(convs) == (2 if entry.kind == "cnn" else 4)
    for image in images():
        x = classifier.as_batch(image)
        for layer in convs:
            sub = keras.Model(net.inputs[0], [layer.input, layer.output])  # Keras' own view of this layer
            seen, ref = (np.asarray(v)[0] for v in sub(x, training=False))
            for u in range(layer.filters):
                unit = explain.conv_unit(model, image, layer.name, u)
                c, k = seen.shape[-1], layer.kernel_size[0]
                assert unit.channels.shape == (c, *seen.shape[:2]) and unit.kernels.shape == (c, k, k)
                assert unit.maps.shape == (c, *ref.shape[:2]) and unit.out.shape == ref.shape[:2]
                np.testing.assert_allclose(unit.channels, np.moveaxis(seen, -1, 0), atol=1e-6)
                np.testing.assert_allclose(unit.kernels, np.moveaxis(np.asarray(layer.kernel)[..., u], -1, 0))
                np.testing.assert_allclose(unit.total, unit.maps.sum(axis=0), rtol=1e-5, atol=1e-5)
                np.testing.assert_allclose(unit.pre, unit.total + unit.bias, rtol=1e-6, atol=1e-6)
                np.testing.assert_allclose(unit.out, ref[..., u], rtol=1e-4, atol=1e-5,
                                           err_msg=f"{entry.name} {layer.name} unit {u}")


@pytest.mark.parametrize("entry", SHIPPED_CNNS, ids=[e.name for e in SHIPPED_CNNS])
def test_overview_steps_are_the_layers_outputs(entry):
    model = classifier.load_entry(entry)
    net = explain.network(model)
    image = images()[0]
    over = explain.overview(model, image)
    assert [s.kind for s in over.steps][-2:] == ["logits", "softmax"] and over.top == 7
    layers = explain.shown_layers(net)
    outs = keras.Model(net.inputs[0], [layer.output for layer in layers])(classifier.as_batch(image), training=False)
    final = {layer.name: np.asarray(o)[0] for layer, o in zip(layers, outs)}
    for step, values in zip(over.steps, over.values):
        ref = final[step.layer]
        if step.kind in ("conv", "dense", "logits") and step.activation != "linear":  # before the activation
            values = maths.activate(step.activation, np.moveaxis(values, 0, -1) if values.ndim == 3 else values)
        else:
            values = np.moveaxis(values, 0, -1) if values.ndim == 3 else values
        np.testing.assert_allclose(values, ref, rtol=1e-4, atol=1e-5, err_msg=step.layer)
        assert step.units == (1 if step.kind == "flatten" else ref.shape[-1])
    np.testing.assert_allclose(over.probs, np.asarray(net(classifier.as_batch(image), training=False))[0], atol=1e-6)
    assert over.members == (3 if entry.kind == "improved" else 1)


def test_results_are_shared_and_bad_units_refused():
    model = classifier.load_classifier("cnn")
    image = images()[0]
    assert explain.cached_overview(model, image) is explain.cached_overview(model, image.copy())
    assert explain.conv_unit(model, image, 1, 0) is explain.conv_unit(model, image, "conv_2", 0)
    with pytest.raises(ValueError, match="unit 64"):
        explain.conv_unit(model, image, 1, 64)
    with pytest.raises(ValueError, match="not a conv layer"):
        explain.conv_unit(model, image, "dense", 0)
    with pytest.raises(ValueError, match="no convolutional layer"):
        explain.network(classifier.load_classifier("mlp"))


def test_figures_built_without_validation_are_valid_plotly():
    import plotly.graph_objects as go

    from core import i18n
    from lab.cnn import plots, view_overview

    model = classifier.load_classifier("cnn")
    image = images()[0]
    over = explain.cached_overview(model, image)
    pic = view_overview.picture(i18n.translator("es"), "es", model, image, over)
    assert len(pic.points) == sum(s.units for s in over.steps if s.kind != "flatten") + 1  # flatten: one marker
    fig = plots.overview_figure(pic, "t", ["h"] * len(pic.points), 3, [len(pic.points) - 1])
    go.Figure(fig.to_dict())  # raises if plotly would not accept it
    figs = plots.maps([("a", np.eye(3)), ("b", -np.eye(3))], numbers=True, boxes=[[(0, 0, 1, 1, "#d62728")], []])
    for f in figs:
        go.Figure(f.to_dict())
    assert figs[0].data[0].zmin == -1 and figs[1].data[0].zmax == 1  # one scale shared by both


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_lesson_numbers_are_the_thesis_cnn(lang):
    from core import i18n

    over = explain.overview(classifier.load_classifier("cnn"), images()[0])
    sides = [v.shape[-1] for s, v in zip(over.steps, over.values) if s.kind in ("conv", "pool")]
    assert sides == [26, 13, 11, 5]
    conv2 = explain.conv_layers(classifier.load_classifier("cnn"))[1]
    assert int(np.prod(conv2.kernel.shape[:3])) == 576  # one unit's weights: 3 × 3 × 64
    text = i18n.catalog(lang)["cnn.lesson.idea"] + " ".join(q["q"] + q["a"] for q in i18n.catalog(lang)["cnn.lesson.questions"])
    assert "28 → 26 → 13 → 11 → 5" in text and "576" in text and "28 − 3 + 1 = 26" in text
