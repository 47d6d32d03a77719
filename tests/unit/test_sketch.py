"""The drawing canvas's message is decoded only when it is what the canvas sends."""

import base64
import io

import numpy as np
from PIL import Image

from bench.ws_session import data_url
from ui import sketch


def _png_url(w: int, h: int) -> str:
    buf = io.BytesIO()
    Image.new("RGBA", (w, h), (0, 0, 0, 255)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_a_canvas_png_round_trips():
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3] = 255
    canvas[100:180, 130:150, :3] = 255  # a white bar
    out = sketch.decode(data_url(canvas))
    assert out.shape == (280, 280, 4) and out.dtype == np.uint8
    assert np.array_equal(out, canvas)


def test_anything_else_is_no_drawing():
    assert sketch.decode(None) is None
    assert sketch.decode("") is None
    assert sketch.decode(_png_url(281, 280)) is None  # not the canvas's size: not decoded
    assert sketch.decode("data:image/png;base64,not base64!") is None
    assert sketch.decode("data:image/jpeg;base64," + _png_url(280, 280).split(",")[1]) is None
    assert sketch.decode("data:image/png;base64," + "A" * (sketch.MAX_URL_CHARS + 10)) is None
    huge = _png_url(4_000, 4_000)  # a large picture is refused from its header, before decoding
    assert sketch.decode(huge) is None
