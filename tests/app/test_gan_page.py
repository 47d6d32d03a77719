"""AppTest of the DCGAN page: every tab draws, sliders change the image, a tiny job trains, a
drawing is inverted and walked from, the map opens Explore, digits come on demand."""

import json
import re
import time

import pytest

from lab.gan import model as gan
from tests.app.helpers import assert_clean, by_key, open_page

needs_model = pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")


def image_urls(at) -> list[str]:
    return [img.proto.imgs[0].url for img in at.get("image") if img.proto.imgs]


TABS = ["Train", "Explore", "Interpolate", "Check", "Your drawing", "Digits on demand", "Latent map"]


@pytest.fixture(scope="module")
def at():
    return open_page("gan", timeout=180)


def open_tab(at, label: str):
    """Open a tab (only the open tab runs). The tabs are bound to the address: a click also
    changes it in the browser, which AppTest does not do, so the test changes it too."""
    at.session_state["gan_tab"] = label
    at.query_params["gan_tab"] = label
    return at.run()


def widget_keys(at) -> list[str]:
    return [w.key for kind in ("button", "slider", "number_input", "selectbox", "select_slider", "radio", "toggle")
            for w in getattr(at.main, kind) if w.key]


def test_tabs_draw_without_errors(at):
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == TABS
    assert at.get("latex")  # the lesson's minimax formula
    keys = []
    for label in TABS if gan.shipped_path().exists() else TABS[:1]:
        open_tab(at, label)
        assert_clean(at)
        keys += widget_keys(at)
    assert keys and all(k.startswith("gan_") for k in keys), [k for k in keys if not k.startswith("gan_")]
    open_tab(at, "Train")


@needs_model
def test_latent_slider_changes_the_image(at):
    open_tab(at, "Explore")
    before = image_urls(at)
    by_key(at, "slider", "gan_dir_0").set_value(3.0).run()
    assert_clean(at)
    assert image_urls(at) != before
    by_key(at, "button", "gan_reset").click().run()
    assert by_key(at, "slider", "gan_dir_0").value == 0.0


@needs_model
def test_interpolate_grid_endpoints_and_frames(at):
    open_tab(at, "Interpolate")
    by_key(at, "radio", "gan_endpoint_mode").set_value("grid").run()
    by_key(at, "slider", "gan_frames").set_value(8).run()
    assert_clean(at)
    assert len(at.get("download_button")) == 2
    assert any("16 frames" in c.value for c in at.caption)  # 8 linear + 8 slerp
    open_tab(at, "Train")


def test_tiny_job_trains_then_resuming_a_finished_run_is_refused(at):
    by_key(at, "number_input", "gan_epochs").set_value(1)
    by_key(at, "select_slider", "gan_images").set_value(1000)
    by_key(at, "select_slider", "gan_batch").set_value(256)
    by_key(at, "toggle", "gan_aux").set_value(True)  # with the class term (needs the labels)
    by_key(at, "button", "gan_start").click().run()  # 3 steps on 1,000 images
    deadline = time.time() + 150
    while time.time() < deadline and not any("finished" in s.value for s in at.success):
        time.sleep(2)
        at.run()
    assert_clean(at)
    assert any("finished" in s.value for s in at.success)
    assert at.get("plotly_chart")
    meta = by_key(at, "selectbox", "gan_resume_run").value.meta
    assert meta["config"]["aux_weight"] > 0 and meta["epoch"] == 1
    by_key(at, "button", "gan_resume").click().run()  # epochs (1) not above the done ones (1)
    assert not at.exception
    assert any("already finished 1 epochs" in e.value for e in at.error)


def run_until(at, done, seconds=150):
    deadline = time.time() + seconds
    while time.time() < deadline and not done():
        time.sleep(1)
        at.run()
    return done()


def test_a_stopped_job_says_where_and_its_generator_is_listed_at_once(at):
    from core.storage import store

    by_key(at, "number_input", "gan_epochs").set_value(50)
    by_key(at, "select_slider", "gan_images").set_value(1000)
    by_key(at, "select_slider", "gan_batch").set_value(256)
    by_key(at, "toggle", "gan_aux").set_value(False)
    by_key(at, "button", "gan_start").click().run()  # 3 steps an epoch
    job_id = at.session_state["gan_job_id"]
    assert run_until(at, lambda: any(b.key == f"gan_job_stop_{job_id}" for b in at.button)
                     and any("epoch 2/50" in p.proto.text for p in at.get("progress")))
    by_key(at, "button", f"gan_job_stop_{job_id}").click().run()
    stopped = re.compile(r"Stopped at epoch (\d+) of 50, saved as (\S+)\. ")
    assert run_until(at, lambda: any(stopped.match(i.value) for i in at.info))
    assert_clean(at)
    epoch, name = next(m for i in at.info if (m := stopped.match(i.value))).groups()
    name = name.replace("\\", "")  # shown literally: Markdown characters are escaped
    card = json.loads((store.user_models_dir() / f"{name}.json").read_text())
    assert card["stopped_at_epoch"] == int(epoch) >= 2 and card["epochs_planned"] == 50
    assert any(name in option for option in by_key(at, "selectbox", "gan_model").options)  # explorable now
    run = by_key(at, "selectbox", "gan_resume_run").value  # the stopped run, chosen to resume
    assert name == f"gan-improved-{run.path.name}"
    assert run.meta["epoch"] in (int(epoch) - 1, int(epoch))
    assert any(f"choose {run.path.name} under" in c.value for c in at.caption)


def test_a_damaged_checkpoint_is_named_not_raised(at):
    from lab.gan.training import runs

    bad = runs.runs_dir() / "20000101-000000-bad0"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / runs.CHECKPOINT).write_bytes(b"\x00 not a checkpoint \xff" * 40)
    try:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("checkpoint is damaged" in w.value and bad.name in w.value for w in at.warning)
        offered = [o for box in at.selectbox if box.key == "gan_resume_run" for o in box.options]
        assert all(bad.name not in o for o in offered)  # listed as damaged, not offered to resume
    finally:
        (bad / runs.CHECKPOINT).unlink()
        bad.rmdir()


def test_check_tab_warns_when_samples_are_far_from_digits(at):
    from lab.gan.training import export
    from lab.gan.training.state import GanConfig, new_state

    open_tab(at, "Check")
    box = by_key(at, "selectbox", "gan_model")
    if gan.shipped_path().exists():  # the shipped generator draws digits: measured, no warning
        box.select_index(next(i for i, o in enumerate(box.options) if "gan-improved (shipped)" in o)).run()
        assert any("samples look like digits" in c.value for c in at.caption)
        assert not any("far from handwritten digits" in w.value for w in at.warning)
    export.export_generator(new_state(GanConfig("improved")), "gan-grey-noise")  # untrained: grey noise
    at.run()
    box = by_key(at, "selectbox", "gan_model")
    box.select_index(next(i for i, o in enumerate(box.options) if "gan-grey-noise" in o)).run()
    assert not at.exception, [e.value for e in at.exception]
    far = [w.value for w in at.warning if "far from handwritten digits" in w.value]
    assert far and "of their pixels are mid-grey" in far[0] and "times as far as a real digit's" in far[0]


# ---------------------------------------------------------------- your drawing, map, digits on demand
@pytest.fixture(scope="module")
def views():
    return open_page("gan", timeout=180)


def save_generated_drawings(seeds, owner: str, label=3):
    """Save digits the shipped generator drew as ``owner``'s drawings (8-bit, like a real save):
    a page lists only the session's own drawings."""
    from core.storage import drawings

    images = gan.generate(gan.load_generator(), gan.latent(seeds[0], len(seeds)))
    return [drawings.save_drawing(img, label, owner=owner) for img in images]


@needs_model
def test_a_saved_drawing_is_inverted_compared_and_walked_from(views):
    paths = save_generated_drawings([11, 12], views.session_state["app_session"])
    try:
        open_tab(views, "Your drawing")
        by_key(views, "radio", "gan_draw_source").set_value("saved").run()
        assert not any(c.key == "gan_invert_panels" for c in views.get("plotly_chart"))
        by_key(views, "button", "gan_invert").click().run()
        assert run_until(views, lambda: any(m.label == "Mean pixel error" for m in views.metric), 240)
        assert_clean(views)
        error = float(next(m.value for m in views.metric if m.label == "Mean pixel error"))
        assert error < 0.05  # a digit the generator drew itself comes back closely
        assert any(c.proto.id and "gan_invert_panels" in c.proto.id for c in views.get("plotly_chart"))
        assert [b.key for b in views.get("download_button")] == ["gan_walk_gif_linear", "gan_walk_gif_slerp"]
        by_key(views, "radio", "gan_walk_to").set_value("drawing").run()
        by_key(views, "selectbox", "gan_walk_drawing").set_value(1).run()  # the other drawing: inverted too
        assert run_until(views, lambda: len(views.get("download_button")) == 2 and not views.get("progress"), 240)
        assert_clean(views)
        by_key(views, "button", "gan_to_explore").click().run()  # its z, opened in Explore
        assert run_until(views, lambda: any(i.value.startswith("Starting from a latent vector") for i in views.info), 30)
        assert views.session_state["gan_tab"] == "Explore" and by_key(views, "slider", "gan_dir_0").value == 0.0
        by_key(views, "button", "gan_back_to_seed").click().run()
        assert not any(i.value.startswith("Starting from a latent vector") for i in views.info)
    finally:
        for path in paths:
            path.unlink()


@needs_model
def test_the_map_draws_a_plane_through_a_seed_or_two_drawings(views):
    open_tab(views, "Latent map")
    assert_clean(views)
    assert any("Cells per digit read:" in c.value for c in views.caption)
    by_key(views, "radio", "gan_map_plane").set_value("drawings").run()
    assert any("needs the latent codes of two saved drawings" in i.value for i in views.info) or views.get("progress")
    paths = save_generated_drawings([21, 22], views.session_state["app_session"])
    try:
        views.run()
        by_key(views, "selectbox", "gan_map_b").set_value(1).run()
        assert run_until(views, lambda: any("Cells per digit read:" in c.value for c in views.caption), 240)
        assert_clean(views)
        assert any("outlined cells are your two drawings" in c.value for c in views.caption)
    finally:
        for path in paths:
            path.unlink()
    by_key(views, "radio", "gan_map_plane").set_value("principal").run()


def test_digits_on_demand_says_when_there_is_no_conditional_generator_then_draws_with_one(views):
    from core.storage import store
    from lab.gan import model_conditional as gc

    open_tab(views, "Digits on demand")
    assert_clean(views)
    if not gc.shipped_path().exists():
        assert any("No class-conditional generator" in i.value for i in views.info)
    tiny = gc.unit_output(gc.build_conditional_generator(width=16))  # untrained: noise, but the views run
    entry = store.save_model(tiny, {"kind": gc.KIND, "epochs": 0}, "gan-conditional-test")
    try:
        views.run()
        assert_clean(views)
        if gc.shipped_path().exists():  # the shipped one comes first: choose the tiny one
            box = by_key(views, "selectbox", "gan_demand_model")
            box.select_index(next(i for i, o in enumerate(box.options) if o == "gan-conditional-test")).run()
        by_key(views, "selectbox", "gan_demand_digit").set_value(7)
        by_key(views, "select_slider", "gan_demand_n").set_value(8).run()
        assert any("gan-conditional-test (0 epochs)" in c.value for c in views.caption)
        captions = [i.caption for img in views.get("image") for i in img.proto.imgs]
        assert "8 samples of the digit 7, one style per latent vector" in captions
        assert [b.key for b in views.get("download_button")] == ["gan_demand_gif_within"]
        by_key(views, "radio", "gan_demand_walk").set_value("across").run()
        assert_clean(views)
        assert [b.key for b in views.get("download_button")] == ["gan_demand_gif_across"]
        # latent sliders on one sample: the image moves, another sample can be picked, Reset returns
        moved = lambda: [(i.caption, i.url) for img in views.get("image") for i in img.proto.imgs  # noqa: E731
                         if i.caption.endswith("moved by the sliders")]
        assert [c for c, _ in moved()] == ["Sample 1, digit 7, moved by the sliders"]
        still = moved()
        by_key(views, "slider", "gan_demand_dir_0").set_value(3.0).run()
        assert_clean(views)
        assert moved()[0][1] != still[0][1]
        by_key(views, "number_input", "gan_demand_pick").set_value(3).run()
        assert [c for c, _ in moved()] == ["Sample 3, digit 7, moved by the sliders"]
        by_key(views, "button", "gan_demand_reset").click().run()
        assert by_key(views, "slider", "gan_demand_dir_0").value == 0.0
    finally:
        entry.path.unlink()
        entry.path.with_suffix(".json").unlink()


def test_new_tabs_speak_spanish():
    from tests.app.test_pages_smoke import KEY_LIKE, visible_texts

    es = open_page("gan", lang="es", timeout=180)
    assert [tab.label for tab in es.tabs][4:] == ["Tu dibujo", "Dígitos a la carta", "Mapa latente"]
    for label in ("Tu dibujo", "Dígitos a la carta") + (("Mapa latente",) if gan.shipped_path().exists() else ()):
        open_tab(es, label)
        assert_clean(es)
        leaked = [m.group(0) for text in visible_texts(es) for m in KEY_LIKE.finditer(text)]
        assert not leaked, leaked
    open_tab(es, "Tu dibujo")
    assert by_key(es, "radio", "gan_draw_source").options == ["Dibújalo", "Un dibujo guardado"]


@needs_model
def test_the_last_digit_drawn_on_the_classifier_page_can_be_inverted(views):
    from ui.shared import LAST_DIGIT_KEY

    views.session_state[LAST_DIGIT_KEY] = gan.generate(gan.load_generator(), gan.latent(31))[0]
    open_tab(views, "Your drawing")
    by_key(views, "radio", "gan_draw_source").set_value("last").run()
    by_key(views, "button", "gan_invert").click().run()
    assert run_until(views, lambda: any(m.label == "Mean pixel error" for m in views.metric), 240)
    assert_clean(views)
