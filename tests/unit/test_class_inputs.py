"""Values a curious class types: huge kernel values are refused in words, not overflowed."""

import numpy as np
import pytest

from core.errors import InputError
from core.maths import conv_trace


def test_a_1e308_kernel_cell_is_refused_by_name():
    kernel = np.eye(3)
    kernel[1, 1] = 1e308  # finite, but its products overflow to inf
    with pytest.raises(InputError) as raised:
        conv_trace.conv_trace(np.ones((5, 5)), kernel, 1, 0)
    assert raised.value.code == "conv.too_large"


def test_a_large_but_sane_kernel_still_works():
    trace = conv_trace.conv_trace(np.ones((5, 5)), np.full((3, 3), 1e5), 1, 0)
    assert np.all(np.isfinite(trace.output)) and trace.output[0, 0] == pytest.approx(9e5)
