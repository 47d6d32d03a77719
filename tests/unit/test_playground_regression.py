"""Playground regression (numpy side): the typed formula read without eval, the two regression
sets, CSV values, the function data set, MSE and the discretize switch."""

import numpy as np
import pytest

from core.errors import InputError
from core.maths import playground as pg
from core.models.playground_config import FUNCTION, OWN_VALUES, PlaygroundConfig, data_for
from lab.playground import maths_regression as mr
from lab.playground.expression import MAX_POWER, parse

X1, X2 = np.meshgrid(np.linspace(-1, 1, 7), np.linspace(-1, 1, 5))


@pytest.mark.parametrize(("text", "reference"), [
    ("x1 * x2", lambda a, b: a * b),
    ("sin(pi * x1) * cos(pi * x2)", lambda a, b: np.sin(np.pi * a) * np.cos(np.pi * b)),
    ("x1^2 - x2**2 / 2", lambda a, b: a ** 2 - b ** 2 / 2),
    ("-x1 + 3 * exp(-4 * (x1^2 + x2^2))", lambda a, b: -a + 3 * np.exp(-4 * (a ** 2 + b ** 2))),
    ("abs(x1) + sqrt(x2 * x2 + 1) + tanh(x1) - sign(x2) + e", lambda a, b: np.abs(a) + np.sqrt(b * b + 1)
     + np.tanh(a) - np.sign(b) + np.e),
    ("2", lambda a, b: np.full_like(a, 2.0)),
])
def test_formulas_match_numpy(text, reference):
    np.testing.assert_allclose(parse(text)(X1, X2), reference(X1, X2), rtol=1e-12)


@pytest.mark.parametrize(("text", "code"), [
    ("__import__('os').system('echo hi')", "playground.expr_call"),
    ("x1.__class__", "playground.expr_syntax"),  # attributes
    ("np.sin(x1)", "playground.expr_call"),  # a call on an attribute
    ("open('f')", "playground.expr_call"),
    ("eval('1')", "playground.expr_call"),
    ("sin(x1, x2)", "playground.expr_call"),
    ("sin(x=x1)", "playground.expr_call"),
    ("x3 + 1", "playground.expr_name"),
    ("y", "playground.expr_name"),
    ("x1 ** 100", "playground.expr_power"),  # huge exponents
    ("9 ** 9 ** 9", "playground.expr_power"),
    ("x1 ** x2", "playground.expr_power"),  # only plain numbers as exponents
    ("2 ** (x1 * 1000)", "playground.expr_power"),
    ("1e300 * x1", "playground.expr_constant"),
    ("'text'", "playground.expr_constant"),
    ("True + x1", "playground.expr_constant"),
    ("[x1, x2]", "playground.expr_syntax"),
    ("x1 if x2 else 1", "playground.expr_syntax"),
    ("x1 < x2", "playground.expr_syntax"),
    ("lambda: 1", "playground.expr_syntax"),
    ("x1 +", "playground.expr_syntax"),
    ("", "playground.expr_empty"),
    ("x1 + " * 60 + "1", "playground.expr_long"),
])
def test_anything_else_is_refused_with_a_message(text, code):
    with pytest.raises(InputError) as caught:
        parse(text)
    assert caught.value.code == code


def test_powers_up_to_the_limit_and_non_finite_values_are_named():
    np.testing.assert_allclose(parse(f"x1 ** -{MAX_POWER}")(np.array([2.0]), np.array([0.0])), [2.0 ** -MAX_POWER])
    with pytest.raises(InputError) as caught:
        parse("1 / x1")(np.array([1.0, 0.0]), np.array([0.5, 0.5]))
    assert caught.value.code == "playground.expr_values" and caught.value.values["x1"] == 0.0
    with pytest.raises(InputError, match="finite"):
        parse("log(x1)")(np.array([-1.0]), np.array([0.0]))


@pytest.mark.parametrize("name", pg.REGRESSION_SETS)
def test_regression_sets_give_float_values_in_range(name):
    x, y = pg.make_dataset(name, 500, 0.0, seed=4)
    assert x.shape == (500, 2) and y.shape == (500,) and y.dtype == np.float32
    assert np.abs(x).max() <= 1 and np.abs(y).max() <= 1 + 1e-6 and y.std() > 0.1
    np.testing.assert_array_equal(y, pg.make_dataset(name, 500, 0.0, seed=4)[1])


def test_plane_and_bumps_follow_their_formulas():
    x, y = pg.make_dataset("reg-plane", 300)
    np.testing.assert_allclose(y, (x[:, 0] + x[:, 1]) / 2, atol=1e-6)
    x, y = pg.make_dataset("reg-gauss", 4000, seed=1)
    near = np.hypot(x[:, 0] - 0.65, x[:, 1] - 0.4) < 0.05  # the top-right bump is positive
    assert near.any() and y[near].min() > 0.8
    near = np.hypot(x[:, 0], x[:, 1] - 0.4) < 0.05  # its neighbour negative
    assert near.any() and y[near].max() < -0.8
    assert np.all(y[np.abs(x[:, 1]) < 0.03] == 0)  # between the rows: further than 0.35 from every centre
    noisy, clean = pg.make_dataset("reg-gauss", 300, 0.2, seed=2), pg.make_dataset("reg-gauss", 300, 0.0, seed=2)
    assert np.std(noisy[0] - clean[0]) > 0.1  # noise moves the points; the values are the clean points'


def test_function_rows_csv_values_and_the_config():
    rows, scale = mr.function_rows("x1 * x2", 200, 0.0, seed=3)
    arr = np.array(rows)
    assert arr.shape == (200, 3) and scale == 1.0
    np.testing.assert_allclose(arr[:, 2], arr[:, 0] * arr[:, 1], atol=2e-4)
    rows, scale = mr.function_rows("4 * x1", 100, 0.0, seed=0)
    assert 3 < scale <= 4 and np.abs(np.array(rows)[:, 2]).max() == pytest.approx(1.0)
    values = pg.parse_csv("x1,x2,value\n1,2,30.5\n-2,0,-3\n0,1,0.25\n1,1,1\n", values=True)
    assert values[0] == [0.5, 1.0, 1.0] and values[1] == [-1.0, 0.0, round(-3 / 30.5, 4)]
    config = PlaygroundConfig(dataset=OWN_VALUES, test_ratio=0.5)
    assert config.regression and not PlaygroundConfig().regression
    xtr, ytr, xte, yte = data_for(config, values)
    assert ytr.dtype == np.float32 and len(ytr) + len(yte) == 4
    with pytest.raises(InputError, match="at least 4"):
        data_for(config, values[:3])
    assert data_for(PlaygroundConfig(dataset=FUNCTION), rows)[1].dtype == np.float32
    with pytest.raises(InputError):
        PlaygroundConfig(dropout=(0.95,)).validate()


def test_mse_and_discretize():
    assert mr.mse(np.array([[1.0], [0.0]]), np.array([0.0, 0.0])) == 0.5
    np.testing.assert_array_equal(mr.discretize(np.array([[-0.2, 0.3]]), True), [[-1, 1]])
    np.testing.assert_array_equal(mr.discretize(np.array([[0.4, 0.6]]), False), [[0, 1]])
    soft = np.array([[[0.2, 0.5, 0.3]]])
    np.testing.assert_array_equal(mr.discretize(soft, False), [[[0, 1, 0]]])
