"""The convolution page in AppTest: inputs, kernel/stride/padding, the step-through, bad uploads."""

import io

import numpy as np
import pytest
from PIL import Image

from tests.app.helpers import assert_clean, by_key, open_page
from ui import shared


def png(size, mode="L", value=0) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, value).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_files():
    picture = np.zeros((64, 64), np.uint8)
    picture[16:48, 28:36] = 255
    buf = io.BytesIO()
    Image.fromarray(picture).save(buf, format="PNG")
    good = buf.getvalue()
    return {"notes.txt": (b"these are my lecture notes, not a picture\n" * 20, "is not a picture the lab can read"),
            "broken.png": (good[: len(good) // 2], "damaged or truncated"),
            "huge.png": (png((10_000, 10_000), mode="1"), "declares an enormous picture")}


def latex(at) -> str:
    return "\n".join(e.value for e in at.latex)


def test_defaults_show_formula_plots_and_steps():
    at = open_page("convolution")
    assert_clean(at)
    assert "Convolution" in at.title[0].value
    # MNIST digit shrunk to 12×12, 3×3 vertical edge, stride 1, no padding: 10×10
    assert r"\frac{12 + 2\cdot0 - 3}{1}" in latex(at) and "= 10" in latex(at)
    assert by_key(at, "number_input", "convolution_step").value == 1
    assert len(at.get("plotly_chart")) == 4  # convolution, steps, pooling, transposed


def test_change_kernel_stride_padding_and_step():
    at = open_page("convolution")
    by_key(at, "selectbox", "convolution_kernel").set_value("sobel_x").run()
    by_key(at, "slider", "convolution_kernel_size").set_value(5).run()
    by_key(at, "slider", "convolution_stride").set_value(2).run()
    by_key(at, "selectbox", "convolution_padding").set_value("1").run()
    assert_clean(at)
    assert r"\frac{12 + 2\cdot1 - 5}{2}" in latex(at) and "+ 1 = 5" in latex(at)  # 12 → 5×5 cells
    assert by_key(at, "number_input", "convolution_step").max == 25
    by_key(at, "button", "convolution_next").click().run()
    by_key(at, "button", "convolution_next").click().run()
    assert by_key(at, "number_input", "convolution_step").value == 3
    assert any("row 1, column 3" in m.value for m in at.markdown)
    by_key(at, "button", "convolution_prev").click().run()
    assert by_key(at, "number_input", "convolution_step").value == 2
    by_key(at, "number_input", "convolution_step").set_value(25).run()
    assert any("row 5, column 5" in m.value for m in at.markdown)
    by_key(at, "button", "convolution_first").click().run()
    assert by_key(at, "number_input", "convolution_step").value == 1
    by_key(at, "selectbox", "convolution_padding").set_value("same").run()
    assert r"\left\lceil \frac{12}{2} \right\rceil = 6" in latex(at)
    assert_clean(at)


def test_play_starts_and_pauses():
    at = open_page("convolution")
    by_key(at, "button", "convolution_play").click().run()
    assert at.session_state["convolution_playing"] is True
    assert by_key(at, "button", "convolution_play").label == "Pause"
    assert by_key(at, "number_input", "convolution_step").value == 2  # a run while playing advances
    by_key(at, "button", "convolution_play").click().run()
    assert at.session_state["convolution_playing"] is False
    assert_clean(at)


def test_thesis_matrix_with_vertical_edge():
    at = open_page("convolution")
    by_key(at, "radio", "convolution_source").set_value("matrix").run()
    assert_clean(at)
    assert r"\frac{5 + 2\cdot0 - 3}{1}" in latex(at)
    # first window: the bright left columns, 1·250 + 0·250 − 1·250 per row
    assert r"1\cdot250 + 0\cdot250 - 1\cdot250" in latex(at) and latex(at).count("= 0") >= 1
    by_key(at, "number_input", "convolution_step").set_value(2).run()
    assert "= 720" in latex(at)
    by_key(at, "selectbox", "convolution_example").set_value("example_7").run()
    assert r"\frac{7 + 2\cdot0 - 3}{1}" in latex(at)
    assert_clean(at)


def test_kernel_larger_than_input_shows_a_message():
    at = open_page("convolution")
    by_key(at, "radio", "convolution_source").set_value("matrix").run()
    by_key(at, "slider", "convolution_kernel_size").set_value(7).run()
    assert not at.exception
    assert any("larger than the padded input" in e.value for e in at.error)
    by_key(at, "selectbox", "convolution_padding").set_value("1").run()  # 5 + 2 = 7: fits again
    assert_clean(at)


def test_feature_map_too_small_to_pool_is_explained():
    at = open_page("convolution")
    by_key(at, "radio", "convolution_source").set_value("matrix").run()
    by_key(at, "slider", "convolution_kernel_size").set_value(5).run()  # 5×5 → 1×1
    assert_clean(at)
    assert any("too small to pool" in i.value for i in at.info)


def test_drawn_digit_missing_then_present():
    at = open_page("convolution")
    by_key(at, "radio", "convolution_source").set_value("drawn").run()
    assert any("No digit drawn yet" in i.value for i in at.info)
    digit = np.zeros((28, 28), np.float32)
    digit[4:24, 12:16] = 1.0
    at.session_state[shared.LAST_DIGIT_KEY] = digit  # what shared.set_last_digit stores
    at.run()
    assert_clean(at)
    assert "= 10" in latex(at)


def test_bad_uploads_show_a_clear_message(bad_files):
    at = open_page("convolution")
    by_key(at, "radio", "convolution_source").set_value("upload").run()
    for name, (data, message) in bad_files.items():
        by_key(at, "file_uploader", "convolution_upload").upload(name, data, "image/png").run()
        assert not at.exception, name
        errors = [e.value for e in at.error]
        assert any(message in e and name in e for e in errors), (name, errors)


def test_good_upload_is_convolved():
    at = open_page("convolution")
    by_key(at, "radio", "convolution_source").set_value("upload").run()
    picture = np.full((60, 90), 255, np.uint8)
    picture[10:50, 40:50] = 0  # a dark bar on white paper
    buf = io.BytesIO()
    Image.fromarray(picture).save(buf, format="JPEG")
    by_key(at, "file_uploader", "convolution_upload").upload("bar.jpg", buf.getvalue(), "image/jpeg").run()
    assert_clean(at)
    assert "= 10" in latex(at)


def test_spanish_page():
    at = open_page("convolution", lang="es")
    assert_clean(at)
    assert "Convolución" in at.title[0].value
    assert any("Paso a paso" in h.value for h in at.header)


def test_trained_network_section_never_breaks_the_page():
    at = open_page("convolution")
    by_key(at, "toggle", "convolution_network").set_value(True).run()
    assert_clean(at)  # filters and maps when the CNN is shipped, else a friendly note
    unavailable = any("not available" in i.value for i in at.info)
    assert unavailable or len(at.get("plotly_chart")) == 5


def test_trained_network_filters_and_maps(monkeypatch):
    classifier = pytest.importorskip("core.models.classifier")
    cnn = classifier.build_cnn()  # untrained weights are enough to draw filters and maps
    monkeypatch.setattr(classifier, "load_classifier", lambda kind=None: cnn)
    at = open_page("convolution")
    by_key(at, "toggle", "convolution_network").set_value(True).run()
    assert_clean(at)
    assert any("conv_1" in c.value and "16 of its 64 filters" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 5  # the four lesson rows and the network's filters + maps
