"""Playground data (core.maths.playground, numpy only): generators against their geometry, split,
features, CSV parsing with its errors, clicked points; the page's config and its URL query."""

import numpy as np
import pytest

from core.errors import InputError
from core.maths import playground as pg
from core.models.playground_config import PlaygroundConfig, data_for


@pytest.mark.parametrize("name", pg.DATASETS)
def test_every_data_set_has_the_promised_shape_and_range(name):
    x, y = pg.make_dataset(name, n=301, noise=0.0, seed=3)
    assert x.shape == (301, 2) and x.dtype == np.float32 and y.shape == (301,)
    assert np.issubdtype(y.dtype, np.integer)
    assert np.abs(x).max() <= 1.15
    classes = 3 if name == "blobs3" else 2
    assert set(np.unique(y)) == set(range(classes))
    if name != "xor":  # xor: uniform points, classes balanced only on average
        assert np.bincount(y).min() >= 301 // classes - 1
    again = pg.make_dataset(name, n=301, noise=0.0, seed=3)
    np.testing.assert_array_equal(x, again[0])  # the seed decides everything
    assert not np.array_equal(x, pg.make_dataset(name, n=301, seed=4)[0]) or name == "spiral"


def test_circle_xor_and_gauss_labels_follow_their_rules():
    x, y = pg.make_dataset("circle", 500)
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all(r[y == 0] <= 0.5 + 1e-6) and np.all((r[y == 1] >= 0.7 - 1e-6) & (r[y == 1] <= 1 + 1e-6))
    x, y = pg.make_dataset("xor", 500)
    np.testing.assert_array_equal(y, (np.sign(x[:, 0]) != np.sign(x[:, 1])).astype(int))
    assert np.abs(x).min() >= 0.05 - 1e-6  # kept off the axes
    x, y = pg.make_dataset("gauss", 4000)
    np.testing.assert_allclose(x[y == 1].mean(0), [0.45, 0.45], atol=0.02)
    np.testing.assert_allclose(x[y == 0].std(0), [0.18, 0.18], atol=0.02)


def test_spiral_matches_a_reference_written_in_polar_form():
    x, y = pg.make_dataset("spiral", 200)
    for cls in (0, 1):
        pts = x[y == cls]
        r = np.hypot(pts[:, 0], pts[:, 1])
        order = np.argsort(r)
        s = np.arange(100) / 100  # radius along the arm
        np.testing.assert_allclose(r[order], s, atol=1e-6)
        angle = 1.75 * 2 * np.pi * s + np.pi * cls
        ref = np.stack([s * np.sin(angle), s * np.cos(angle)], 1)
        np.testing.assert_allclose(pts[order], ref, atol=1e-6)


def test_moons_lie_on_two_unit_half_circles_like_scikit_learn():
    x, y = pg.make_dataset("moons", 400)
    p = x.astype(float) * 1.5 + [0.5, 0.25]  # undo the lab's scaling: scikit-learn's coordinates
    outer, inner = p[y == 0], p[y == 1]
    np.testing.assert_allclose(np.hypot(*outer.T), 1, atol=1e-5)  # centre (0, 0), upper half
    assert outer[:, 1].min() >= -1e-6
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1, atol=1e-5)  # centre (1, 0.5), lower half
    assert inner[:, 1].max() <= 0.5 + 1e-6


def test_three_blobs_centres_and_noise():
    x, y = pg.make_dataset("blobs3", 3000)
    for cls, angle in enumerate((90, 210, 330)):
        centre = 0.55 * np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
        np.testing.assert_allclose(x[y == cls].mean(0), centre, atol=0.02)
    noisy, _ = pg.make_dataset("circle", 2000, noise=0.3, seed=1)
    clean, _ = pg.make_dataset("circle", 2000, noise=0.0, seed=1)
    assert np.std(noisy - clean) > 0.2  # noise moves points (labels stay those of the clean points)


def test_bad_data_set_arguments_raise_input_errors():
    with pytest.raises(InputError, match="spirals"):
        pg.make_dataset("spirals")
    with pytest.raises(InputError, match="noise"):
        pg.make_dataset("circle", noise=0.9)
    with pytest.raises(InputError, match="points"):
        pg.make_dataset("circle", n=2)


def test_split_holds_out_the_requested_share_without_overlap():
    x, y = pg.make_dataset("gauss", 400)
    xtr, ytr, xte, yte = pg.split(x, y, 0.3, seed=0)
    assert (len(xte), len(xtr)) == (120, 280)
    both = np.concatenate([xtr, xte])
    assert len(np.unique(both, axis=0)) == 400  # every point once
    tiny = pg.split(x[:2], y[:2], 0.1)
    assert len(tiny[0]) == 1 and len(tiny[2]) == 1  # both parts keep a point


def test_features_are_the_named_functions_of_the_coordinates():
    x = np.array([[0.5, -0.25], [-1.0, 0.1]], dtype=np.float32)
    out = pg.expand(x, ["sin_x2", "x1", "x1x2", "x2_sq"])  # returned in the table's order
    a, b = x[:, 0].astype(float), x[:, 1].astype(float)
    np.testing.assert_allclose(out, np.stack([a, b * b, a * b, np.sin(np.pi * b)], 1), rtol=1e-6)
    with pytest.raises(InputError):
        pg.expand(x, [])
    with pytest.raises(InputError, match="x3"):
        pg.expand(x, ["x3"])


def test_csv_rows_header_semicolons_and_scaling():
    rows = pg.parse_csv(b"x1,x2,label\n0.5,-0.5,1\n\n-0.25,0.75,0\n")
    assert rows == [[0.5, -0.5, 1], [-0.25, 0.75, 0]]
    assert pg.parse_csv("0,5;1,5;2\n-3;0;0") == [[0.1667, 0.5, 2], [-1.0, 0.0, 0]]  # decimal commas, scaled by 3


@pytest.mark.parametrize(("text", "code", "row", "value"), [
    ("x1,x2,label\n0.1,0.2,1\n0.3,abc,0", "playground.csv_number", 3, "abc"),
    ("0.1,0.2\n", "playground.csv_fields", 1, "0.1,0.2"),
    ("0.1,0.2,1\n0.1,0.2,5", "playground.csv_label", 2, "5"),
    ("0.1,nan,1", "playground.csv_number", 1, "nan"),
])
def test_a_bad_csv_row_is_named_with_its_value(text, code, row, value):
    with pytest.raises(InputError) as caught:
        pg.parse_csv(text)
    assert caught.value.code == code and caught.value.values["row"] == row
    assert caught.value.values["value"] == value and f"Row {row}" in str(caught.value)


def test_csv_limits():
    with pytest.raises(InputError, match="no points"):
        pg.parse_csv(b"x1,x2,label\n")
    with pytest.raises(InputError, match="rows"):
        pg.parse_csv("0,0,0\n" * (pg.MAX_POINTS + 1))
    with pytest.raises(InputError, match="KB"):
        pg.parse_csv(b"0" * (pg.MAX_CSV_BYTES + 1))
    with pytest.raises(InputError, match="UTF-8"):
        pg.parse_csv(b"\xff\xfe\x00")


def test_clicked_points_and_own_data():
    points = pg.add_point([], 0.12345, -0.5, 1)
    points = pg.add_point(points, 0.3, 0.3, 0)
    assert points == [[0.123, -0.5, 1], [0.3, 0.3, 0]]
    with pytest.raises(InputError, match="class"):
        pg.add_point(points, 0, 0, 3)
    with pytest.raises(InputError, match="too_few|at least 4"):
        pg.as_arrays(points)
    x, y = pg.as_arrays(points * 2)
    assert x.shape == (4, 2) and list(y) == [1, 0, 1, 0]
    own = PlaygroundConfig(dataset="own", test_ratio=0.5)
    xtr, ytr, xte, yte = data_for(own, points * 3)
    assert len(xtr) + len(xte) == 6


def test_config_validates_and_round_trips_through_a_job():
    config = PlaygroundConfig(dataset="spiral", noise=0.15, hidden=(4, 2), features=("x1", "x2", "x1x2"),
                              regularization="l2", reg_rate=0.003, learning_rate=0.01)
    with pytest.raises(InputError):
        PlaygroundConfig(hidden=(8,) * 5).validate()
    assert PlaygroundConfig.from_dict(config.as_job_config(start=None)) == config
    with pytest.raises(ValueError, match="hiden"):
        PlaygroundConfig.from_dict({"hiden": [4]})
