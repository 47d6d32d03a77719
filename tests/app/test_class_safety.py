"""A class on one server, in AppTest: several sessions with their own owner ids. Drawings are
their owner's; a stale delete is a note, not a crash; a refused photo is a message, not a crash."""

import io

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("keras")

from core.models import classifier  # noqa: E402
from core.storage import drawings  # noqa: E402
from tests.app.helpers import assert_clean, by_key, open_page  # noqa: E402

pytestmark = pytest.mark.skipif(not classifier.shipped_entries(), reason="no shipped classifier models")


def session(owner: str):
    """The classifier page as a student with owner id ``owner`` (what their cookie would give)."""
    at = open_page("classifier", timeout=120)
    at.session_state["app_session"] = owner
    at.session_state["classifier_tab"] = "Train"
    at.session_state["classifier_drawings_open"] = True
    return at.run(timeout=120)


def digit(label_value: float = 1.0) -> np.ndarray:
    d = np.zeros((28, 28), np.float32)
    d[6:22, 12:16] = label_value
    return d


@pytest.fixture
def class_drawings():
    made = []
    yield made
    for path in made:
        path.unlink(missing_ok=True)


def test_my_drawings_are_mine_and_a_classmate_cannot_touch_them(class_drawings):
    mine = drawings.save_drawing(digit(), 7, owner="ana000000001")
    theirs = drawings.save_drawing(digit(0.5), 0, owner="bob000000002")
    class_drawings += [mine, theirs]
    ana = session("ana000000001")
    assert_clean(ana)
    keys = {b.key for b in ana.button}
    assert f"classifier_drawing_delete_{mine.stem}" in keys
    assert f"classifier_drawing_delete_{theirs.stem}" not in keys  # not shown, so not deletable
    assert any(e.label == "My drawings (1)" for e in ana.expander)
    assert any("Include my drawings (1)" in c.label for c in ana.checkbox)


def test_a_stale_delete_in_a_second_tab_is_done_with_a_note(class_drawings):
    path = drawings.save_drawing(digit(), 3, owner="cara00000003")
    class_drawings.append(path)
    tab_a, tab_b = session("cara00000003"), session("cara00000003")  # one student, two tabs
    by_key(tab_a, "button", f"classifier_drawing_delete_{path.stem}").click().run(timeout=120)
    assert not path.exists()
    by_key(tab_b, "button", f"classifier_drawing_delete_{path.stem}").click().run(timeout=120)
    assert_clean(tab_b)
    assert any("already deleted" in i.value for i in tab_b.info)


def test_the_teacher_sees_and_deletes_any_students_drawing(class_drawings):
    theirs = drawings.save_drawing(digit(), 5, owner="dan000000004")
    class_drawings.append(theirs)
    teacher = open_page("classifier", timeout=120)
    teacher.session_state["app_teacher"] = True  # what a correct teacher key sets
    teacher.session_state["classifier_tab"] = "Train"
    teacher.session_state["classifier_drawings_open"] = True
    teacher.run(timeout=120)
    assert any("whole class" in c.value for c in teacher.caption)
    by_key(teacher, "button", f"classifier_drawing_delete_{theirs.stem}").click().run(timeout=120)
    assert_clean(teacher)
    assert not theirs.exists()


def _png(size, mode="L", value=0, fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, value).save(buf, format=fmt)
    return buf.getvalue()


def _photos() -> dict[str, bytes]:
    picture = np.zeros((64, 64), np.uint8)
    picture[16:48, 28:36] = 255
    buf = io.BytesIO()
    Image.fromarray(picture).save(buf, format="PNG")
    good = buf.getvalue()
    return {"empty.png": b"", "notes.png": b"my lecture notes, not a picture\n" * 20,
            "broken.png": good[: len(good) // 2], "big.png": _png((9000, 9000), mode="1"),
            "bigger.png": _png((30000, 30000), mode="1"), "wide.webp": _png((16000, 16), fmt="WEBP"),
            "blank.png": _png((200, 200), value=255)}


def test_every_refused_photo_is_a_message_never_a_crash():
    at = open_page("classifier", timeout=120)
    at.session_state["classifier_tab"] = "Draw"
    at.run(timeout=120)
    by_key(at, "radio", "classifier_source").set_value("photo").run(timeout=120)
    for name, data in _photos().items():
        by_key(at, "file_uploader", "classifier_upload").upload(name, data, "image/png").run(timeout=120)
        assert not at.exception, (name, [e.value for e in at.exception])
        assert at.error, name  # the reason, in words
        assert not [m for m in at.metric if m.label == "Prediction"], name  # nothing after the failure ran


def test_kept_symbols_are_their_owners_and_a_stale_delete_is_a_note():
    from core.storage import symbols

    mine = symbols.save_symbol(digit(), "plus", owner="fay000000006")
    theirs = symbols.save_symbol(digit(), "minus", owner="gus000000007")
    try:
        tabs = []
        for _ in range(2):  # the same student in two tabs
            at = open_page("transfer", timeout=120)
            at.session_state["app_session"] = "fay000000006"
            at.run(timeout=120)  # the gallery's label (its count) settles first: a new label is a new widget
            at.session_state["transfer_gallery_open"] = True
            tabs.append(at.run(timeout=120))
        keys = {b.key for b in tabs[0].button}
        assert f"transfer_delete_{mine.stem}" in keys and f"transfer_delete_{theirs.stem}" not in keys
        by_key(tabs[0], "button", f"transfer_delete_{mine.stem}").click().run(timeout=120)
        by_key(tabs[1], "button", f"transfer_delete_{mine.stem}").click().run(timeout=120)
        assert_clean(tabs[1])
        assert any("already deleted" in i.value for i in tabs[1].info)
        assert not mine.exists() and theirs.exists()
    finally:
        mine.unlink(missing_ok=True)
        theirs.unlink(missing_ok=True)


def test_yours_only_for_your_models_and_only_you_delete_them(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_MODELS_DIR", str(tmp_path))
    from core.paths import atomic_write_json

    for name, owner in (("cnn-ana", "ana000000001"), ("cnn-bob", "bob000000002")):
        (tmp_path / f"{name}.keras").write_bytes(b"PK not loaded here")
        atomic_write_json(tmp_path / f"{name}.json", {"kind": "cnn", "owner": owner, "saved": "2026-12-06 12:00:00",
                                                     "test_accuracy": 0.9})
    ana = session("ana000000001")
    assert_clean(ana)
    titles = [e.label for e in ana.expander]
    assert any(t.startswith("cnn-ana (yours)") for t in titles)
    assert any(t.startswith("cnn-bob (a classmate's)") for t in titles)
    keys = {b.key for b in ana.button}
    assert "classifier_delete_model_cnn-ana" in keys and "classifier_delete_model_cnn-bob" not in keys
    other_tab = session("ana000000001")
    by_key(ana, "button", "classifier_delete_model_cnn-ana").click().run(timeout=120)
    assert_clean(ana)
    assert not (tmp_path / "cnn-ana.keras").exists() and (tmp_path / "cnn-bob.keras").exists()
    assert any("Deleted cnn-ana" in s.value for s in ana.success)
    by_key(other_tab, "button", "classifier_delete_model_cnn-ana").click().run(timeout=120)  # stale
    assert_clean(other_tab)
    assert any("already deleted" in i.value for i in other_tab.info)
