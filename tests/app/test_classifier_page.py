"""AppTest of the classifier page: the three tabs, an example digit, a tiny training run."""

import re

import numpy as np
import pytest

pytest.importorskip("keras")

from core.models import classifier  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not classifier.shipped_entries(), reason="no shipped classifier models")


@pytest.fixture(scope="module")
def at():
    return open_page("classifier", timeout=120)


def test_tabs_render_in_english_and_spanish(at):
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["Draw", "Train", "Evaluate"]
    es = open_page("classifier", lang="es", timeout=120)
    assert_clean(es)
    assert [tab.label for tab in es.tabs] == ["Dibujar", "Entrenar", "Evaluar"]


def open_tab(at, label):
    """Switch the page's tabs (only the open tab's body runs)."""
    at.session_state["classifier_tab"] = label
    return at.run(timeout=120)


def show_example_digit(at):
    at.session_state["classifier_example"] = 0  # test image 0 (a 7): a random one may be in the 0.8 % misread
    by_key(at, "radio", "classifier_source").set_value("example").run(timeout=120)


def test_example_digit_is_predicted_and_shared(at):
    open_tab(at, "Draw")
    show_example_digit(at)
    assert_clean(at)
    metric = {m.label: m.value for m in at.metric}
    label = int(next(c.value for c in at.caption if "labelled" in c.value).rsplit(" ", 1)[-1])
    assert metric["Prediction"] == str(label)
    digit = at.session_state["classifier_last_digit"]
    assert digit.shape == (28, 28) and digit.dtype == np.float32 and 0 <= digit.min() <= digit.max() <= 1


def test_saving_a_correction(at):
    open_tab(at, "Draw")
    show_example_digit(at)  # the tests share one page: do not rely on an earlier one
    at.session_state["classifier_wrong_open"] = True
    at.run(timeout=120)
    by_key(at, "selectbox", "classifier_true_label").set_value(4)
    by_key(at, "button", "classifier_save_drawing").click().run(timeout=120)
    assert_clean(at)
    assert any("drawings" in s.value for s in at.success)


def test_a_drawing_costs_one_prediction_and_explanations_run_when_opened(at):
    open_tab(at, "Draw")
    at.session_state["classifier_example"] = 0
    by_key(at, "radio", "classifier_source").set_value("example").run(timeout=120)
    assert_clean(at)
    assert [m.label for m in at.metric] == ["Prediction"]  # the confidence is its note
    assert re.fullmatch(r"\d+(\.\d)?% sure", at.metric[0].proto.delta)
    bars = [m.value for m in at.markdown if "<figure" in m.value]  # the ten probabilities, one element
    assert len(bars) == 1 and "Probability of each digit" in bars[0] and "Most likely: " in bars[0]
    assert len(re.findall(r"%;background:", bars[0])) == 10
    assert not at.get("plotly_chart")  # no chart at all while the explanations are closed
    assert not at.get("image")  # no stage images or feature maps while their expanders are closed
    assert not at.dataframe  # the Evaluate tab's table is not built while Draw is open
    at.session_state["classifier_occlusion_open"] = True
    at.session_state["classifier_stages_open"] = True
    at.session_state["classifier_maps_open"] = True
    at.run(timeout=120)
    assert_clean(at)
    assert any("classifier_occlusion" in c.proto.id for c in at.get("plotly_chart"))
    captions = [c.value for c in at.caption]
    assert any("first of the 3 networks" in c for c in captions)  # the shipped default averages three
    assert len(at.get("image")) >= 4 + 1 + 1  # four stages, the occlusion input, feature-map layers
    for key in ("classifier_occlusion_open", "classifier_stages_open", "classifier_maps_open"):
        at.session_state[key] = False
    at.run(timeout=120)


def test_evaluate_tab_shows_every_shipped_model(at):
    open_tab(at, "Evaluate")
    names = [e.name for e in classifier.shipped_entries()]
    table = at.dataframe[0].value  # the models table (the confusion matrix as a table follows)
    assert all(any(n in str(v) for v in table.iloc[:, 0]) for n in names)
    by_key(at, "selectbox", "classifier_cm_true").set_value(4)
    by_key(at, "selectbox", "classifier_cm_pred").set_value(9).run(timeout=120)
    assert_clean(at)
    assert any("read as 9" in c.value for c in at.caption)


def test_kind_change_applies_the_thesis_recipe(at):
    open_tab(at, "Train")
    by_key(at, "selectbox", "classifier_kind").set_value("improved").run(timeout=120)  # from any kind...
    by_key(at, "selectbox", "classifier_kind").set_value("mlp").run(timeout=120)  # ...a change to mlp
    assert by_key(at, "number_input", "classifier_epochs").value == 10
    assert by_key(at, "select_slider", "classifier_batch_size").value == 512
    by_key(at, "selectbox", "classifier_kind").set_value("cnn").run(timeout=120)
    assert by_key(at, "number_input", "classifier_epochs").value == 15
    assert_clean(at)


def test_a_tiny_training_run_from_the_page(at):
    open_tab(at, "Train")
    by_key(at, "selectbox", "classifier_kind").set_value("mlp").run(timeout=120)
    by_key(at, "number_input", "classifier_epochs").set_value(1).run(timeout=120)
    by_key(at, "button", "classifier_start").click().run(timeout=120)
    assert_clean(at)
    from ui import chrome  # the registry is cached per process, shared with the AppTest

    job_id = at.session_state["classifier_job_id"]
    job = chrome.registry().get(job_id)
    job.join(180)
    assert job.status == "done", job.snapshot().error
    at.run(timeout=120)
    assert_clean(at)
    name = job.snapshot().result["name"]
    assert any(name in label for label in by_key(at, "selectbox", "classifier_model").options)


def test_a_corrupt_user_model_falls_back_to_the_default(at):
    open_tab(at, "Draw")
    from core.storage import store

    folder = store.user_models_dir()
    (folder / "broken-cnn.keras").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "broken-cnn.json").write_text('{"kind": "cnn", "saved": "2099-01-01 00:00:00", "test_accuracy": 0.5}')
    try:
        at.run(timeout=120)
        at.session_state["classifier_example"] = 0
        by_key(at, "radio", "classifier_source").set_value("example")
        by_key(at, "selectbox", "classifier_model").set_value("broken-cnn (yours)").run(timeout=120)
        assert not at.exception
        assert any("broken-cnn" in w.value for w in at.warning)
        assert {m.label for m in at.metric} >= {"Prediction"} or at.info  # the page still works
    finally:
        (folder / "broken-cnn.keras").unlink()
        (folder / "broken-cnn.json").unlink()


def test_choices_survive_a_tab_switch_and_a_page_switch(at):
    open_tab(at, "Train")
    by_key(at, "selectbox", "classifier_kind").set_value("cnn").run(timeout=120)
    by_key(at, "number_input", "classifier_epochs").set_value(3).run(timeout=120)
    by_key(at, "select_slider", "classifier_batch_size").set_value(64).run(timeout=120)
    open_tab(at, "Draw")  # the Train tab's widgets are not drawn now
    at.switch_page("lab/perceptron/page.py").run(timeout=120)
    at.switch_page("lab/classifier/page.py").run(timeout=120)
    open_tab(at, "Train")
    assert_clean(at)
    assert by_key(at, "selectbox", "classifier_kind").value == "cnn"
    assert by_key(at, "number_input", "classifier_epochs").value == 3
    assert by_key(at, "select_slider", "classifier_batch_size").value == 64


def test_saved_drawings_can_be_seen_relabelled_and_deleted(at):
    from core.storage import drawings

    me = at.session_state["app_session"]  # this session's owner id
    for old in drawings.list_drawings(owner=me):
        drawings.delete_drawing(old.path)
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    path = drawings.save_drawing(digit, 7, owner=me)
    open_tab(at, "Train")
    at.session_state["classifier_drawings_open"] = True
    at.run(timeout=120)
    assert_clean(at)
    assert any("My drawings (1)" in e.label for e in at.expander)
    by_key(at, "selectbox", f"classifier_drawing_label_{path.stem}").set_value(1).run(timeout=120)
    [saved] = drawings.list_drawings(owner=me)
    assert saved.label == 1 and saved.path.name.startswith("digit-1-")
    by_key(at, "button", f"classifier_drawing_delete_{saved.path.stem}").click().run(timeout=120)
    assert drawings.list_drawings(owner=me) == []
    assert any("My drawings (0)" in e.label for e in at.expander)
    at.session_state["classifier_drawings_open"] = False
    at.run(timeout=120)
