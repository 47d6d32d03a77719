"""AppTest of the teach page: classes named and refused, examples counted, Train refused then
trained in the background, the test and export sections after; both languages."""

import numpy as np
import pytest

pytest.importorskip("keras")

from core.models import transfer  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not transfer.BASE.is_file(), reason="no shipped digit CNN")
SECTIONS = ["1. Name your classes", "2. Add examples", "3. Your examples", "4. Train", "5. Test it live",
            "6. Take it home, bring it back"]


@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    return open_page("teach", timeout=120)


def owner(at) -> str:
    from ui.session import OWNER_KEY

    return at.session_state[OWNER_KEY]


def add_class(at, name: str):
    by_key(at, "text_input", "teach_new_name").set_value(name)
    return by_key(at, "button", "teach_add_class").click().run()


def test_sections_read_top_to_bottom_in_english_and_spanish(at):
    assert_clean(at)
    assert [h.value for h in at.subheader] == SECTIONS
    assert any("No classes yet" in i.value for i in at.info)
    es = open_page("teach", lang="es", timeout=120)
    assert_clean(es)
    assert es.title[0].value == "Enséñale tus propias clases"
    assert es.subheader[0].value == "1. Pon nombre a tus clases"


def test_classes_are_added_and_a_duplicate_is_refused_in_the_sessions_language(at):
    for name in ("circle", "arrow"):
        add_class(at, name)
    assert_clean(at)
    assert any("**circle** · 0 examples" == m.value for m in at.markdown)
    add_class(at, "Circle")
    assert any("There is a class called `Circle` already" in e.value for e in at.error)
    assert not at.exception


def test_train_is_refused_with_too_few_examples_then_trains_and_offers_test_and_export(at):
    from lab.teach import hands, storage
    from ui import chrome

    add_class(at, "only")
    by_key(at, "button", "teach_train").click().run()
    assert any("at least 2" in e.value for e in at.error)  # one class: nothing to tell apart
    x, y = hands.drawings(("plus", "minus", "times"), 4, [0], seed=0)
    storage.replace(owner(at), ["plus", "minus", "times"], [x[y == i] / 255.0 for i in range(3)])
    storage.delete_example(owner(at), storage.load(owner(at)).examples[storage.load(owner(at)).classes[0].id][0].path)
    at.run()
    assert any("**plus** · 3 examples" == m.value for m in at.markdown)
    assert any(e.label.startswith("plus · 3") for e in at.expander)  # the class's gallery
    storage.delete_example(owner(at), storage.load(owner(at)).examples[storage.load(owner(at)).classes[0].id][0].path)
    by_key(at, "button", "teach_train").click().run()
    assert any("The class `plus` has 2 examples" in e.value for e in at.error)
    storage.add_example(owner(at), storage.load(owner(at)).classes[0].id, x[0] / 255.0)
    by_key(at, "button", "teach_train").click().run()
    assert_clean(at)
    job = chrome.registry().get(at.session_state["teach_job_id"])
    job.join(300)
    assert job.status == "done", job.snapshot().error
    at.run()
    assert_clean(at)
    assert any("Trained on 11 examples of 3 classes" in c.value for c in at.caption)
    assert any("Your model knows: plus, minus, times" in c.value for c in at.caption)
    assert by_key(at, "radio", "teach_test_source").options == ["Drawing", "Camera"]
    keys = {b.proto.id for b in at.get("download_button")}
    assert len(keys) == 4  # model, card, script, project


def test_a_class_is_renamed_and_deleted_from_its_edit_box(at):
    from lab.teach import storage

    for name in ("circle", "arrow"):
        add_class(at, name)
    first = storage.load(owner(at)).classes[0].id
    storage.add_example(owner(at), first, np.eye(28, dtype=np.float32))
    at.run()
    by_key(at, "text_input", f"teach_rename_{first}").set_value("ring")
    by_key(at, "button", f"teach_rename_go_{first}").click().run()
    assert_clean(at)
    assert any(m.value == "**ring** · 1 example" for m in at.markdown)
    by_key(at, "text_input", f"teach_rename_{first}").set_value("ARROW")
    by_key(at, "button", f"teach_rename_go_{first}").click().run()
    assert any("There is a class called `ARROW` already" in e.value for e in at.error)
    by_key(at, "button", f"teach_delete_{first}").click().run()
    assert_clean(at)
    assert storage.load(owner(at)).names == ["arrow"]
    assert not any(m.value.startswith("**ring**") for m in at.markdown)
