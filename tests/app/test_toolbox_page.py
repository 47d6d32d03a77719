"""AppTest of the training toolbox (lab/toolbox): the race, the BN/dropout job, universal
approximation, in English and in Spanish."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import assert_clean, by_key
from tests.conftest import ROOT

PAGE = "lab/toolbox/page.py"


def open_toolbox(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(PAGE)
    return at.run()


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["toolbox_tab"] = label
    return at.run()


@pytest.mark.parametrize("lang, title, tabs", [
    ("en", "The training toolbox", ["Optimisers race", "Batch normalisation and dropout", "Universal approximation"]),
    ("es", "La caja de herramientas", ["Carrera de optimizadores", "Normalización por lotes y dropout",
                                       "Aproximación universal"])])
def test_the_race_draws_in_both_languages(lang, title, tabs):
    at = open_toolbox(lang)
    assert_clean(at)
    assert at.title[0].value.startswith(title)
    assert [tab.label for tab in at.tabs] == tabs
    assert len(at.get("plotly_chart")) == 3  # paths, loss, step length
    by_key(at, "selectbox", "toolbox_surface").set_value("rosenbrock").run()
    assert_clean(at)
    by_key(at, "slider", "toolbox_step_rosenbrock").set_value(3).run()
    table = at.dataframe[0].value
    assert len(table) == 5 and table.iloc[0, 0] == "SGD"
    assert any(("After 500 steps" if lang == "en" else "Tras 500 pasos") in c.value for c in at.caption)
    by_key(at, "multiselect", "toolbox_optimisers").set_value([]).run()
    assert any(("at least one" if lang == "en" else "al menos un") in i.value for i in at.info)


def test_universal_approximation_tab():
    at = open_toolbox("es")
    open_tab(at, "Aproximación universal")
    assert_clean(at)
    by_key(at, "slider", "toolbox_approx_units").set_value(20).run()
    assert_clean(at)
    assert any(c.value.startswith("Raíz del error cuadrático medio") for c in at.caption)
    assert len(at.get("plotly_chart")) == 2


def test_batch_norm_and_dropout_train_in_the_background():
    pytest.importorskip("keras")
    at = open_toolbox("en")
    open_tab(at, "Batch normalisation and dropout")
    assert_clean(at)
    assert any("No run yet" in c.value for c in at.caption)
    by_key(at, "select_slider", "toolbox_bn_n_train").set_value(500)
    by_key(at, "number_input", "toolbox_bn_epochs").set_value(1).run()
    by_key(at, "button", "toolbox_bn_start").click().run()
    assert_clean(at)
    from ui import chrome

    job = chrome.registry().get(at.session_state["toolbox_bn_job_id"])
    job.join(300)
    assert job.status == "done", job.snapshot().error
    at.run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 4  # accuracy, loss, the gap, one unit's two lines
    assert len(at.dataframe) == 1 and any("dropout layer (p = 0.3)" in md.value for md in at.markdown)
