"""AppTest of the DCGAN page: every tab draws, sliders change the image, a tiny job trains."""

import json
import re
import time

import pytest

from core import gan
from tests.app.helpers import assert_clean, by_key, open_page

needs_model = pytest.mark.skipif(not gan.shipped_path().exists(), reason="no shipped generator")


def image_urls(at) -> list[str]:
    return [img.proto.imgs[0].url for img in at.get("image") if img.proto.imgs]


@pytest.fixture(scope="module")
def at():
    return open_page("gan", timeout=180)


def test_tabs_draw_without_errors(at):
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["Train", "Explore", "Interpolate", "Check"]
    assert at.get("latex")  # the lesson's minimax formula
    keys = [w.key for kind in ("button", "slider", "number_input", "selectbox", "select_slider", "radio", "toggle")
            for w in getattr(at.main, kind) if w.key]
    assert keys and all(k.startswith("gan_") for k in keys), keys


@needs_model
def test_latent_slider_changes_the_image(at):
    before = image_urls(at)
    by_key(at, "slider", "gan_dir_0").set_value(3.0).run()
    assert_clean(at)
    assert image_urls(at) != before
    by_key(at, "button", "gan_reset").click().run()
    assert by_key(at, "slider", "gan_dir_0").value == 0.0


@needs_model
def test_interpolate_grid_endpoints_and_frames(at):
    by_key(at, "radio", "gan_endpoint_mode").set_value("grid").run()
    by_key(at, "slider", "gan_frames").set_value(8).run()
    assert_clean(at)
    assert len(at.get("download_button")) == 2
    assert any("16 frames" in c.value for c in at.caption)  # 8 linear + 8 slerp


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
    from core import store

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
    from core.gan_training import runs

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
    from core.gan_training import export
    from core.gan_training.state import GanConfig, new_state

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
