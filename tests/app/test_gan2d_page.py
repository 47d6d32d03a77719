"""The two-dimensional GAN page: opens in both languages, steps, plays, draws own points."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import assert_clean
from tests.conftest import ROOT


def open_gan2d(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("lab/gan2d/page.py")
    at.run()
    return at


def plane(at: AppTest) -> dict:
    """The plane chart's figure as plotly JSON (the first plotly chart on the page)."""
    import json

    chart = next(e for e in at.get("plotly_chart"))
    return json.loads(chart.proto.spec)


def values(data) -> np.ndarray:
    """A plotly JSON array: a list, or numpy's typed form ``{"dtype", "bdata", "shape"}``."""
    if isinstance(data, dict):
        import base64

        flat = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        return flat.reshape([int(n) for n in str(data.get("shape", len(flat))).split(",")])
    return np.asarray(data, float)


def trace(fig: dict, kind: str) -> dict | None:
    return next((tr for tr in fig["data"] if tr.get("type") == kind), None)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_page_opens_with_the_plane_and_a_lesson(lang):
    at = open_gan2d(lang)
    assert_clean(at)
    title = {"en": "A GAN in two dimensions", "es": "Una GAN en dos dimensiones"}[lang]
    assert at.title[0].value == title
    from tests.app.test_pages_smoke import visible_texts

    leaked = [text for text in visible_texts(at) if "gan2d." in text]
    assert not leaked, leaked  # every text translated
    fig = plane(at)
    assert trace(fig, "heatmap") is not None  # D's map is drawn from the first run
    assert at.metric[0].value == "0"  # no iteration yet


def test_step_trains_and_changes_d_map_then_layers_hide():
    at = open_gan2d()
    before = values(trace(plane(at), "heatmap")["z"])
    at.button(key="gan2d_step").click().run()
    assert_clean(at)
    assert at.metric[0].value == "1"
    after = values(trace(plane(at), "heatmap")["z"])
    assert np.abs(after - before).max() > 1e-4  # k steps of D moved its map
    at.toggle(key="gan2d_show_map").set_value(False).run()
    assert trace(plane(at), "heatmap") is None
    at.button(key="gan2d_reset").click().run()
    assert at.metric[0].value == "0"


def test_own_points_need_three_before_the_game():
    at = open_gan2d()
    at.selectbox(key="gan2d_dataset").set_value("own").run()
    assert_clean(at)
    assert any("at least 3" in i.value for i in at.info)
