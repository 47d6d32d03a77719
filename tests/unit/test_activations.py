"""Activations against keras.activations and finite differences; a stable softmax."""

import numpy as np
import pytest

from lab.activations.maths import FUNCTIONS, derivative_chain, get, softmax

X = np.linspace(-6, 6, 241)
X_SMOOTH = X[np.abs(X) > 1e-3]  # away from the kinks at 0


@pytest.mark.parametrize("name, keras_name, kwargs", [
    ("relu", "relu", {}), ("sigmoid", "sigmoid", {}), ("tanh", "tanh", {}), ("linear", "linear", {}),
    ("elu", "elu", {}), ("gelu", "gelu", {"approximate": False}), ("swish", "silu", {}),
    ("leaky_relu", "leaky_relu", {"negative_slope": 0.2}),
])
def test_values_match_keras(name, keras_name, kwargs):
    keras = pytest.importorskip("keras")
    expected = np.asarray(getattr(keras.activations, keras_name)(X.astype("float32"), **kwargs))
    np.testing.assert_allclose(FUNCTIONS[name].f(X), expected, atol=1e-5)


@pytest.mark.parametrize("name", [n for n in FUNCTIONS if n != "step"])
def test_derivatives_match_finite_differences(name):
    act, h = FUNCTIONS[name], 1e-5
    numeric = (act.f(X_SMOOTH + h) - act.f(X_SMOOTH - h)) / (2 * h)
    np.testing.assert_allclose(act.df(X_SMOOTH), numeric, atol=1e-6)


def test_step_leaky_slope_formulas_and_unknown_names():
    assert FUNCTIONS["step"].f(np.array([-1e-9, 0.0, 2.0])).tolist() == [0, 1, 1]
    assert FUNCTIONS["leaky_relu"].f(np.array([-10.0]), slope=0.01).tolist() == pytest.approx([-0.1])
    assert all(a.latex for a in FUNCTIONS.values())
    with pytest.raises(ValueError, match="unknown activation"):
        get("softsign?")


def test_softmax_is_stable_and_sums_to_one():
    p = softmax(np.array([1000.0, 0.0, -1000.0]))
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1.0) and p[0] == pytest.approx(1.0)
    batch = softmax(np.random.default_rng(0).normal(size=(5, 10)) * 50)
    np.testing.assert_allclose(batch.sum(axis=1), 1.0)
    hot, cold = softmax([2.0, 1.0, 0.0], temperature=10), softmax([2.0, 1.0, 0.0], temperature=0.1)
    assert hot.max() < 0.5 < cold.max()
    with pytest.raises(ValueError, match="temperature"):
        softmax([1.0], temperature=0)


def test_sigmoid_gradient_vanishes_but_relu_does_not():
    assert derivative_chain("sigmoid", 10)[-1] == pytest.approx(0.25 ** 10)
    assert derivative_chain("relu", 10, x=1.0)[-1] == 1.0


def test_parse_logits_reads_numbers_and_names_what_it_cannot_use():
    from lab.activations.maths import LogitsError, parse_logits

    np.testing.assert_array_equal(parse_logits(" 2.0, 1; -1e3 ,"), [2.0, 1.0, -1000.0])
    for text, reason, value in [("1, two, 3", "bad_logits", "two"), ("1, nan, 3", "not_finite", "nan"),
                                ("inf, 0", "not_finite", "inf"), ("1, 1e400", "not_finite", "1e400"),
                                ("5", "count", ""), (",".join(["1"] * 13), "count", "")]:
        with pytest.raises(LogitsError) as caught:
            parse_logits(text)
        assert isinstance(caught.value, ValueError)
        assert (caught.value.reason, caught.value.value) == (reason, value), text
        assert value in str(caught.value)
    with pytest.raises(LogitsError, match="got 1"):
        parse_logits("5")


def test_softmax_of_huge_finite_logits_at_low_temperature_has_no_nan():
    p = softmax(np.array([1e308, -1e308, 0.0]), temperature=0.1)
    np.testing.assert_array_equal(p, [1.0, 0.0, 0.0])
