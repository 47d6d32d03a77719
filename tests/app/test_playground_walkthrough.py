"""AppTest: issue 36's rough edges on the playground. λ is shown only with a penalty that uses
it (with a line saying why when it is not), and a CSV file read while the plane has points asks
whether to replace them or add to them."""

import pytest

from tests.app.helpers import assert_clean, open_page


def has(at, kind: str, key: str) -> bool:
    """Whether the page shows a widget of ``kind`` with ``key`` (AppTest raises for a missing key)."""
    return any(w.key == key for w in getattr(at, kind))


CSV = b"x1,x2,label\n0.5,0.5,1\n-0.5,-0.5,0\n0.2,-0.4,1\n"  # three points


@pytest.mark.parametrize("lang, why", [("en", "only with an L1 or L2 penalty"), ("es", "solo con una penalización L1 o L2")])
def test_lambda_is_shown_only_with_a_penalty_and_keeps_its_value(lang, why):
    at = open_page("playground", lang)
    assert at.selectbox(key="playground_reg").value == "none"
    assert not has(at, "select_slider", "playground_rate")  # nothing to set without L1 or L2
    assert any(why in c.value for c in at.caption)
    at.selectbox(key="playground_reg").set_value("l2").run()
    at.select_slider(key="playground_rate").set_value(0.01).run()
    assert not any(why in c.value for c in at.caption)
    at.selectbox(key="playground_reg").set_value("none").run()
    assert not has(at, "select_slider", "playground_rate")
    at.selectbox(key="playground_reg").set_value("l1").run()
    assert at.select_slider(key="playground_rate").value == 0.01  # kept while hidden
    assert_clean(at)


def _own_with_points(lang="en"):
    at = open_page("playground", lang)
    at.selectbox(key="playground_dataset").set_value("own").run()
    at.session_state["playground_own_points"] = [[0.1, 0.1, 0], [0.2, 0.9, 2]]  # two clicked points
    at.run()
    at.file_uploader(key="playground_csv").set_value(("points.csv", CSV, "text/csv")).run()
    assert_clean(at)
    return at


def test_a_csv_on_an_empty_plane_is_read_at_once():
    at = open_page("playground")
    at.selectbox(key="playground_dataset").set_value("own").run()
    at.file_uploader(key="playground_csv").set_value(("points.csv", CSV, "text/csv")).run()
    assert len(at.session_state["playground_own_points"]) == 3
    assert not has(at, "button", "playground_csv_replace")  # nothing to ask
    assert_clean(at)


@pytest.mark.parametrize("how, expected", [("replace", 3), ("add", 5), ("keep", 2)])
def test_a_csv_read_while_the_plane_has_points_asks_first(how, expected):
    at = _own_with_points()
    assert len(at.session_state["playground_own_points"]) == 2  # nothing replaced yet
    assert any(w.value.startswith("Points on the plane: 2. Points in points") and ": 3. " in w.value
               for w in at.warning)  # (the file's name escaped for markdown)
    at.button(key=f"playground_csv_{how}").click().run()
    points = at.session_state["playground_own_points"]
    assert len(points) == expected
    if how == "add":
        assert points[:2] == [[0.1, 0.1, 0], [0.2, 0.9, 2]]  # the clicked ones first, then the file's
    assert not at.warning and not has(at, "button", "playground_csv_add")  # asked once
    assert_clean(at)


def test_the_question_in_spanish():
    at = _own_with_points("es")
    assert any("Puntos en el plano: 2" in w.value for w in at.warning)
    assert at.button(key="playground_csv_add").label == "Añadirlos a los del plano"
