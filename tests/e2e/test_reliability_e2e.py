"""A class on one server: jobs queue across sessions, outlive closed tabs, survive a crash.

These drive the DCGAN page's real training on 1,000 images (a few seconds an epoch).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from core.paths import STALE_AFTER_S, is_temporary
from tests.e2e.conftest import Server
from tests.e2e.helpers import by_key, exceptions, open_page

DONE = "Training finished."
# A stopped job says where it stopped and what it saved (or that it saved nothing new).
STOPPED = re.compile(r"Stopped at epoch \d+ of \d+, saved as|Stopped before this run learned")
INTERRUPTED = "The server stopped while this job ran"
# The progress line of a running job ("epoch 1/2, batch 3/16"), not any text with "epoch".
RUNNING = re.compile(r"epoch \d+/\d+, batch")


def start_small_gan(page: Page, epochs: int) -> None:
    """Pick 1,000 training images and ``epochs``, then press Start."""
    thumb = by_key(page, "gan_images").get_by_role("slider")
    thumb.focus()
    thumb.press("Home")  # the smallest choice: 1,000 images
    epochs_box = by_key(page, "gan_epochs").locator("input")
    epochs_box.fill(str(epochs))
    epochs_box.press("Enter")
    page.wait_for_timeout(500)
    by_key(page, "gan_start").get_by_role("button").click()


def test_second_session_queues_then_both_finish(server, browser):
    pages = [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page() for _ in range(2)]
    try:
        for page in pages:
            open_page(page, server.url, "gan")
        start_small_gan(pages[0], epochs=4)
        expect(pages[0].get_by_text(RUNNING).first).to_be_visible(timeout=60_000)
        start_small_gan(pages[1], epochs=1)
        expect(pages[1].get_by_text("queued, position 1").first).to_be_visible(timeout=30_000)
        # The first page keeps answering while the second waits: open another tab of it.
        pages[0].get_by_role("tab", name="Interpolate").click()
        expect(by_key(pages[0], "gan_frames")).to_be_visible(timeout=30_000)
        pages[0].get_by_role("tab", name="Train").click()
        expect(pages[0].get_by_role("tab", name="Train")).to_have_attribute("aria-selected", "true")
        for page in pages:
            expect(page.get_by_text(DONE).first).to_be_visible(timeout=240_000)
            assert exceptions(page) == []
    finally:
        for page in pages:
            page.context.close()


def test_job_outlives_a_closed_tab_and_only_the_teacher_can_stop_it_from_another(browser):
    server = Server(env={"NNLAB_TEACHER_KEY": "class-key-1"}).start()
    try:
        first = browser.new_context().new_page()
        open_page(first, server.url, "gan")
        start_small_gan(first, epochs=40)
        expect(first.get_by_text(RUNNING).first).to_be_visible(timeout=180_000)  # the first step traces
        first_sidebar = first.locator("[data-testid='stSidebar']")
        expect(first_sidebar.get_by_text("yours").first).to_be_visible(timeout=30_000)
        expect(first_sidebar.get_by_role("button", name="Stop")).to_have_count(1)  # its owner may stop it
        first.context.close()  # the student closes the tab mid-training

        second = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        open_page(second, server.url, "gan")
        sidebar = second.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_text(RUNNING).first).to_be_visible(timeout=30_000)  # still running
        expect(sidebar.get_by_text(re.compile(r"session [0-9a-f]{6}")).first).to_be_visible()  # whose it is
        expect(sidebar.get_by_role("button", name="Stop")).to_have_count(0)  # not this session's job
        expect(second.get_by_text("only it, or the teacher")).to_have_count(0)  # a classmate's job: not on my page
        key = by_key(second, "app_teacher_input").locator("input")
        key.fill("class-key-1")
        key.press("Enter")
        expect(sidebar.get_by_text("Teacher mode").first).to_be_visible(timeout=30_000)
        sidebar.get_by_role("button", name="Stop").first.click()
        expect(sidebar.get_by_text("No job is running.")).to_be_visible(timeout=60_000)
        assert exceptions(second) == []
        second.context.close()
    finally:
        server.stop()


def test_server_killed_mid_training_shows_interrupted_and_resumes(browser):
    server = Server().start()
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        open_page(page, server.url, "gan")
        start_small_gan(page, epochs=40)
        run_root = Path(server.home) / "gan_runs"
        deadline = time.time() + 180
        while not list(run_root.glob("*/checkpoint.npz")) and time.time() < deadline:
            time.sleep(0.5)  # wait for the first epoch's checkpoint
        assert list(run_root.glob("*/checkpoint.npz")), "no checkpoint after the first epoch"
        server.stop(kill=True)  # SIGKILL: no clean-up code runs

        # A kill in the middle of an atomic write may leave its temporary behind; what readers
        # open (the records and the checkpoint's JSON neighbours) is never half-written.
        home = Path(server.home)
        files = [p for p in home.rglob("*") if p.is_file()]
        leftovers = [p for p in files if is_temporary(p)]
        for record in (p for p in files if p.suffix == ".json" and p not in leftovers):
            json.loads(record.read_text(encoding="utf-8"))  # raises on a truncated file
        planted = home / "jobs" / ".planted.json.abcd1234.tmp"  # so the sweep is checked on every run
        planted.write_text('{"half": ', encoding="utf-8")
        leftovers.append(planted)
        # Make the leftovers look old, as after a real outage: the restart must sweep them.
        old = time.time() - STALE_AFTER_S - 60
        for leftover in leftovers:
            os.utime(leftover, (old, old))

        restarted = Server(home=server.home).start()
        try:
            open_page(page, restarted.url, "gan")
            still_there = [p for p in leftovers if p.exists()]
            assert still_there == [], f"stale temporaries survived the restart: {still_there}"
            expect(page.get_by_text(INTERRUPTED).first).to_be_visible(timeout=60_000)
            by_key(page, "gan_resume").get_by_role("button").click()
            expect(page.get_by_text(RUNNING).first).to_be_visible(timeout=60_000)
            assert exceptions(page) == []
            page.locator("[data-testid='stSidebar']").get_by_role("button", name="Stop").first.click()
            expect(page.get_by_text(STOPPED).first).to_be_visible(timeout=60_000)
        finally:
            restarted.stop()
    finally:
        page.context.close()
        server.stop()


def test_a_stopped_run_is_listed_to_explore_and_to_resume_without_a_reload(server, page):
    open_page(page, server.url, "gan")
    start_small_gan(page, epochs=40)
    expect(page.get_by_text(re.compile(r"After epoch \d+ of 40")).first).to_be_visible(timeout=180_000)  # 1 done
    page.locator("[class*='st-key-gan_job_stop_']").get_by_role("button").click()
    saved = page.get_by_text(re.compile(r"Stopped at epoch \d+ of 40, saved as gan-improved-")).first
    expect(saved).to_be_visible(timeout=60_000)
    name = re.search(r"saved as (\S+)\.", saved.inner_text()).group(1)
    box = by_key(page, "gan_model").get_by_role("combobox")  # no reload: the Generator list has it
    box.click()
    box.fill(name)  # typed, so it shows even when earlier tests left a long (virtualised) list
    expect(page.get_by_role("option", name=f"{name} (yours)", exact=True)).to_be_visible(timeout=30_000)
    page.keyboard.press("Escape")
    run = by_key(page, "gan_resume_run").get_by_role("combobox")  # and chosen under Earlier run, to resume
    expect(run).to_have_value(re.compile(re.escape(name.removeprefix("gan-improved-"))))
    assert exceptions(page) == []
