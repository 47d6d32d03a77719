"""AppTest of the transfer page: symbols, a tiny three-way training, features, answers, recipe."""

import pytest

pytest.importorskip("keras")

from core.models import transfer  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not transfer.BASE.is_file(), reason="no shipped digit CNN")


@pytest.fixture(scope="module")
def at():
    return open_page("transfer", timeout=120)


def open_tab(at, label):
    at.session_state["transfer_tab"] = label
    return at.run(timeout=120)


def test_tabs_in_english_and_spanish(at):
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["Symbols", "Three ways", "Features", "Try them", "VGG recipe"]
    es = open_page("transfer", lang="es", timeout=120)
    assert_clean(es)
    assert [tab.label for tab in es.tabs][:2] == ["Símbolos", "Tres maneras"]


def test_symbols_tab_counts_the_starter_set(at):
    open_tab(at, "Symbols")
    assert_clean(at)
    assert any("Starter set: 200 images" in c.value for c in at.caption)
    assert by_key(at, "button", "transfer_keep").disabled  # nothing drawn yet


def test_try_tab_asks_for_training_first_then_three_ways_train(at):
    open_tab(at, "Try them")
    assert any("Train the three ways first" in i.value for i in at.info)
    open_tab(at, "Three ways")
    by_key(at, "slider", "transfer_per_symbol").set_value(3)
    by_key(at, "number_input", "transfer_epochs").set_value(1).run(timeout=120)
    by_key(at, "button", "transfer_start").click().run(timeout=120)
    assert_clean(at)
    from ui import chrome

    job = chrome.registry().get(at.session_state["transfer_job_id"])
    job.join(300)
    assert job.status == "done", job.snapshot().error
    at.run(timeout=120)
    assert_clean(at)
    table = at.dataframe[0].value  # the results table, the tab's only one
    assert list(table.iloc[:, 0]) == ["From scratch", "Feature extraction", "Fine-tuning"]
    assert any("15 drawings for training" in c.value for c in at.caption)
    open_tab(at, "Try them")
    assert_clean(at)
    assert any("Draw one of" in i.value for i in at.info)  # the models exist: now it waits for a drawing


def test_features_and_recipe(at):
    open_tab(at, "Features")
    assert_clean(at)
    assert sum("of the variation" in c.value for c in at.caption) == 2
    open_tab(at, "VGG recipe")
    assert_clean(at)
    assert any("VGG19" in c.value for c in at.code)
