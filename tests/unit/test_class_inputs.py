"""Values a curious class types: huge kernel values are refused in words, not overflowed."""

import numpy as np
import pytest

from core.errors import InputError
from lab.convolution import maths_trace as conv_trace


def test_a_1e308_kernel_cell_is_refused_by_name():
    kernel = np.eye(3)
    kernel[1, 1] = 1e308  # finite, but its products overflow to inf
    with pytest.raises(InputError) as raised:
        conv_trace.conv_trace(np.ones((5, 5)), kernel, 1, 0)
    assert raised.value.code == "conv.too_large"


def test_a_large_but_sane_kernel_still_works():
    trace = conv_trace.conv_trace(np.ones((5, 5)), np.full((3, 3), 1e5), 1, 0)
    assert np.all(np.isfinite(trace.output)) and trace.output[0, 0] == pytest.approx(9e5)


def test_a_csv_typo_in_the_first_row_is_reported_not_taken_as_a_header():
    from core.maths import playground

    assert playground.parse_csv("x1,x2,label\n0.1,0.2,1\n0.3,0.4,0\n") == [[0.1, 0.2, 1], [0.3, 0.4, 0]]
    with pytest.raises(InputError) as raised:
        playground.parse_csv("l,0.2,1\n0.3,0.4,0\n")  # "l" for "1": a point, not a header
    assert raised.value.code == "playground.csv_number" and raised.value.values["row"] == 1
    with pytest.raises(InputError) as raised:
        playground.parse_csv("junk" * 100_000)  # 400 KB of one junk line
    assert raised.value.code == "playground.csv_fields"


def test_a_1e308_coordinate_is_refused_instead_of_squashing_every_point():
    from core.maths import playground

    with pytest.raises(InputError) as raised:
        playground.parse_csv("1e308,0,1\n0.5,0.5,0\n")
    assert raised.value.code == "playground.csv_range" and raised.value.values["row"] == 1


def test_one_point_and_one_class_read_in_the_singular_or_without_a_plural():
    from core import errors, i18n

    en, es = i18n.translator("en"), i18n.translator("es")
    assert en("playground.own.loaded", n=1, name="a.csv") == "Read 1 point from a.csv."
    assert en("playground.own.loaded", n=3, name="a.csv") == "Read 3 points from a.csv."
    assert es("playground.own.loaded", n=1, name="a.csv") == "Se ha leído 1 punto de a.csv."
    text = errors.render(en, "playground.too_few", {"count": 1, "classes": 1})
    assert "1 classes" not in text and "1 points" not in text
