"""The teach page in a real browser: name three classes, draw examples with the mouse, train,
draw a new one and read the right class; on a phone, a finger draws an example."""

import re

import pytest

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle
from tests.e2e.test_accessibility_e2e import AXE, violations
from tests.e2e.test_classifier_e2e import stroke, touch_stroke

pytest.importorskip("keras")

# three classes the pre-trained strokes tell apart, each drawn three times a little differently
SHAPES = {
    "flat": [[(40, 140 + d), (240, 140 - d)] for d in (0, 12, -10)],
    "upright": [[(140 + d, 40), (140 - d, 240)] for d in (0, 14, -12)],
    "cross": [[(60 + d, 60), (220, 220 - d)] for d in (0, 15, -10)],
}
CROSS_SECOND = [[(220, 60 + d), (60 - d, 220)] for d in (0, 10, -8)]


def canvas_box(page, key: str):
    canvas = by_key(page, key).locator("canvas").last
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the component attaches its pointer handlers
    return canvas.bounding_box()


def add_class(page, name: str) -> None:
    box = by_key(page, "teach_new_name").locator("input")
    box.fill(name)
    by_key(page, "teach_add_class").locator("button").click()
    page.get_by_text(re.compile(rf"^{name} · 0 examples$")).first.wait_for(timeout=90_000)
    wait_idle(page)


def keep(page, n: int) -> None:
    """Click "Add to ..." and wait for the fresh canvas ``teach_canvas_{n + 1}``."""
    button = by_key(page, "teach_keep").locator("button")
    button.wait_for(timeout=90_000)
    button.click()
    by_key(page, f"teach_canvas_{n + 1}").wait_for(timeout=90_000)
    wait_idle(page)


def test_three_classes_drawn_trained_and_a_new_drawing_read_right(server, page):
    open_page(page, server.url, "teach")
    for name in SHAPES:
        add_class(page, name)
    n = 0
    for name, strokes in SHAPES.items():
        select_option(page, "teach_class", name)
        for k, points in enumerate(strokes):
            box = canvas_box(page, f"teach_canvas_{n}")
            stroke(page, box, points)
            if name == "cross":
                stroke(page, box, CROSS_SECOND[k])
            keep(page, n)
            n += 1
    assert page.get_by_text(re.compile(r"^cross · 3 examples$")).count() >= 1
    assert exceptions(page) == []

    by_key(page, "teach_train").locator("button").click()
    page.get_by_text(re.compile(r"Trained on 9 examples of 3 classes")).wait_for(timeout=240_000)
    wait_idle(page)
    box = canvas_box(page, "teach_test_canvas_0")
    stroke(page, box, [(130, 30), (150, 250)])  # a new upright line, longer and slanted
    answer = page.locator("[data-testid='stMetric']", has_text="It looks like")
    answer.wait_for(timeout=90_000)
    assert answer.locator("[data-testid='stMetricValue']").inner_text().strip() == "upright"
    assert by_key(page, "teach_dl_model").count() == 1
    assert exceptions(page) == []
    if AXE.exists():  # the whole page: classes, examples, galleries, job, answer chart, downloads
        assert violations(page) == []

    # take the project home, bring it back in another browser (another student): classes and examples
    with page.expect_download() as download:
        by_key(page, "teach_dl_project").locator("button").click()
    project = download.value.path().with_name("teach-project.zip")
    download.value.save_as(project)
    other = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        there = other.new_page()
        open_page(there, server.url, "teach")
        assert there.get_by_text("No classes yet: add at least two.").count() == 1  # not the first student's
        by_key(there, "teach_import_open").locator("summary").first.click()  # the import opens on demand
        wait_idle(there)
        by_key(there, "teach_import").locator("input[type='file']").set_input_files(project)
        by_key(there, "teach_import").get_by_text("teach-project.zip").wait_for(timeout=90_000)  # uploaded
        wait_idle(there)
        by_key(there, "teach_import_go").locator("button").click()
        there.get_by_text(re.compile("Project imported")).wait_for(timeout=90_000)
        for name in SHAPES:
            there.get_by_text(re.compile(rf"^{name} · 3 examples$")).first.wait_for(timeout=90_000)
        assert there.get_by_text("Train the model first; then draw or show the camera here.").count() == 1
        assert exceptions(there) == []
    finally:
        other.close()


def test_a_finger_draws_an_example_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    try:
        open_page(page, server.url, "teach", lang="es")
        box = by_key(page, "teach_new_name").locator("input")
        box.fill("raya")
        by_key(page, "teach_add_class").locator("button").tap()
        page.get_by_text("raya · 0 ejemplos", exact=True).first.wait_for(timeout=90_000)
        wait_idle(page)
        box = canvas_box(page, "teach_canvas_0")
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # the whole canvas is on screen
        scroll = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY")
        touch_stroke(page, box, [(40, 140), (140, 150), (240, 140)])
        button = by_key(page, "teach_keep").locator("button")
        button.wait_for(timeout=90_000)
        wait_idle(page)  # the stroke's run has finished: the tap is the next thing the server hears
        after = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY")
        assert after == scroll  # the finger drew; the page did not move
        button.tap()
        page.get_by_text("raya · 1 ejemplo", exact=True).first.wait_for(timeout=90_000)
        overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
        assert overflow <= 390, overflow  # nothing sticks out sideways
        assert exceptions(page) == []
    finally:
        context.close()


def test_an_uploaded_photo_of_paper_becomes_an_example(server, page, tmp_path):
    """The photo path: dark ink on light paper, any size, becomes a 28×28 example."""
    from PIL import Image, ImageDraw

    photo = Image.new("RGB", (640, 480), (235, 230, 220))  # paper
    ImageDraw.Draw(photo).line([(150, 240), (500, 250)], fill=(30, 30, 40), width=18)
    photo.save(tmp_path / "line.jpg")
    open_page(page, server.url, "teach")
    add_class(page, "line")
    page.get_by_text("Upload", exact=True).first.click()
    wait_idle(page)
    by_key(page, "teach_upload").locator("input[type='file']").set_input_files(tmp_path / "line.jpg")
    button = by_key(page, "teach_keep").locator("button")
    button.wait_for(timeout=90_000)
    assert page.get_by_role("img", name="The example as the network sees it: 28×28 pixels").count() == 1
    button.click()
    page.get_by_text(re.compile(r"^line · 1 example$")).first.wait_for(timeout=90_000)
    assert exceptions(page) == []
