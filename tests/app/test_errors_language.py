"""A Spanish session sees every bad input explained in Spanish, with its numbers, and file names
as literal text: no English error text reaches the screen."""

import io
import re
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import errors, i18n

ENGLISH = re.compile(r"\b(the|is|must|between|got|pixels|limit|could not|damaged|empty|picture|file|"
                     r"transparent|thin|number|outside|larger|not a)\b", re.IGNORECASE)


def png_header_only(width: int, height: int, mode: str = "RGBA") -> bytes:
    """A valid PNG of ``width``×``height`` whose pixel data is tiny: enough for the header checks."""
    buf = io.BytesIO()
    Image.new(mode, (8, 8)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = bytearray(data[12:29])  # b"IHDR" + 13 bytes
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def bad_inputs(tmp_path):
    """(label, call) for each bad input from issue 15, as a page would meet it."""
    from core.maths import preprocess
    from core.storage import store, uploads
    from lab.convolution import maths as conv
    from lab.gan import model as gan
    from lab.perceptron import maths as perceptron

    files = {"big.png": png_header_only(5000, 5000), "strip.png": png(Image.new("L", (20000, 8), 255)),
             "ghost.png": png(Image.new("RGBA", (60, 40), (0, 0, 0, 0))),
             "bomb.png": png_header_only(20000, 20000, "L"), "**bold** [x](y).png": b"",
             "notes.pdf": b"%PDF-1.4 a document"}
    nan_canvas = np.zeros((280, 280, 4), np.float32)
    nan_canvas[100:180, 130:150], nan_canvas[3, 3] = 1.0, np.nan
    broken = store.user_models_dir() / "broken.keras"
    broken.write_bytes(b"\x00 not a zip")
    calls = [(name, lambda d=data, n=name: uploads.decode_image(d, n)) for name, data in files.items()]
    return calls + [
        ("nan canvas", lambda: preprocess.canvas_to_mnist(nan_canvas)),
        ("blank photo", lambda: preprocess.canvas_to_mnist(np.full((50, 60), 0.5, np.float32))),
        ("padding", lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), padding=10_000)),
        ("upsample", lambda: conv.upsample_nearest(np.ones((4, 4)), 10_000)),
        ("steps", lambda: gan.interpolate(np.zeros(100), np.ones(100), 1_000_000)),
        ("learning rate", lambda: perceptron.train_perceptron(perceptron.INPUTS, perceptron.GATES["AND"], lr=1e-300)),
        ("corrupt model", lambda: store.load_model(broken)),
    ]


SCRIPT = """
import streamlit as st
from tests.app.test_errors_language import bad_inputs
from pathlib import Path
from ui import chrome

st.session_state["app_lang"] = "es"
t = chrome.translator()
for label, call in bad_inputs(Path({tmp!r})):
    with chrome.guard(t):
        call()
"""


def test_spanish_session_sees_no_english_error_text(tmp_path):
    expected = []
    es = i18n.translator("es")
    for label, call in bad_inputs(tmp_path):
        with pytest.raises(errors.InputError) as err:
            call()
        expected.append((label, err.value, es("common.bad_input", error=errors.message(es, err.value))))
    at = AppTest.from_string(SCRIPT.format(tmp=str(tmp_path)), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.error]
    assert shown == [text for _, _, text in expected]
    for (label, exc, _), text in zip(expected, shown):
        assert text != str(exc), label
        prose = re.sub(r"`+[^`]*`+", "", text)  # file names are the user's own words
        assert not ENGLISH.search(prose), (label, text)
        for key, value in exc.values.items():  # the numbers are kept, written the Spanish way
            if isinstance(value, int) and key != "param":
                assert errors.format_value(value, es) in text, (label, key, text)
    assert "`**bold** [x](y).png`" in shown[4]  # literal, not bold, not a link
    assert "10.000" in shown[8] and "25.000.000" in shown[0]


def test_core_texts_that_reach_the_screen_are_translated():
    from pathlib import Path

    from core.jobs.registry import Progress
    from core.storage.store import ModelEntry
    from ui import chrome

    es = i18n.translator("es")
    mine = {"owner": chrome.session_label()}
    assert chrome.model_label(es, ModelEntry("cnn-1", Path("x"), mine, shipped=False)) == "cnn-1 (tuyo)"
    theirs = {"owner": "someone-else-01"}
    assert chrome.model_label(es, ModelEntry("cnn-1", Path("x"), theirs, shipped=False)) == "cnn-1 (de otra persona)"
    assert chrome.model_label(es, ModelEntry("cnn-1", Path("x"), {}, shipped=True)) == "cnn-1 (incluido)"
    assert chrome.device_text(es, "CPU (2 cores)") == "CPU (2 núcleos)"
    assert chrome.device_text(es, "GPU: NVIDIA H200") == "GPU: NVIDIA H200"
    from core.storage.store import ModelLoadError

    assert chrome.error_text(es, ModelLoadError("model.missing", name="a_b.keras")) == \
        "El archivo de modelo `a_b.keras` no existe (puede que se haya borrado)."
    snap = Progress(message="training mlp", message_code="training_model", message_values={"model": "mlp"})
    assert chrome.job_message(es, snap) == "entrenando mlp"
    for code in ("loading_data", "evaluating"):
        assert chrome.job_message(es, Progress(message_code=code)) == es(f"common.job_msg.{code}")


def test_spanish_convolution_page_explains_bad_uploads_in_spanish():
    from tests.app.helpers import open_page

    at = open_page("convolution", lang="es")
    at.radio(key="convolution_source").set_value("upload").run()
    uploads = {"big.png": (png_header_only(5000, 5000), "25.000.000"),
               "strip.png": (png(Image.new("L", (20000, 8), 255)), "20.000×8"),
               "ghost.png": (png(Image.new("RGBA", (60, 40), (0, 0, 0, 0))), "transparente"),
               "bomb.png": (png_header_only(20000, 20000, "L"), "400.000.000"),
               "*my* [digit](x).png": (b"GIF89a broken", "`*my* [digit](x).png`")}
    for name, (data, expected) in uploads.items():
        at.file_uploader(key="convolution_upload").upload(name, data, "image/png").run()
        assert not at.exception, name
        shown = [e.value for e in at.error]
        assert len(shown) == 1 and expected in shown[0], (name, shown)
        assert not ENGLISH.search(re.sub(r"`+[^`]*`+", "", shown[0])), (name, shown)
