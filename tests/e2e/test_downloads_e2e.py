"""Take-home downloads in a real browser: a student (their signed cookie) downloads their model and
their drawings; the files hold their work and nothing of a classmate's."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from playwright.sync_api import Browser

from core import identity
from core.paths import atomic_write_json
from core.storage import drawings
from tests.e2e.conftest import Server
from tests.e2e.helpers import by_key, open_page, wait_idle

SECRET = "downloads-e2e-secret-" + "x" * 20


def _class_home() -> tuple[str, str, str]:
    home = tempfile.mkdtemp(prefix="nnlab-dl-e2e-")
    me, other = "a1" * 16, "b2" * 16
    models = Path(home) / "models"
    models.mkdir()
    for name, owner in (("cnn-mine", me), ("cnn-classmate", other)):
        (models / f"{name}.keras").write_bytes(f"fake model of {name}".encode())
        atomic_write_json(models / f"{name}.json", {"kind": "cnn", "owner": owner, "test_accuracy": 0.9,
                                                    "saved": "2026-12-06 12:00:00"})
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    for label, owner in ((1, me), (7, me), (3, other), (3, other)):
        drawings.save_drawing(digit, label, Path(home) / "drawings", owner=owner)
    return home, me, other


def _download(page, key: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        by_key(page, key).locator("button").first.click()  # the first: the help icon is a button too
    return Path(info.value.path()).read_bytes()


def test_a_student_takes_home_their_model_and_drawings_only(browser: Browser, monkeypatch):
    monkeypatch.setenv("NNLAB_IDENTITY_SECRET", SECRET)
    home, me, _ = _class_home()
    server = Server(home=home, env={"NNLAB_IDENTITY_SECRET": SECRET, "NNLAB_MODELS_DIR": f"{home}/models"}).start()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.add_cookies([{"name": "nnlab_id", "value": identity.sign(me), "url": server.url}])
    page = context.new_page()
    try:
        open_page(page, server.url, "classifier?classifier_tab=Train")
        page.get_by_text("cnn-mine", exact=False).first.click()
        wait_idle(page)
        assert page.locator("[class*='st-key-classifier_download_model_']").count() == 1  # not the classmate's
        with zipfile.ZipFile(io.BytesIO(_download(page, "classifier_download_model_cnn-mine"))) as z:
            assert sorted(z.namelist()) == ["cnn-mine.json", "cnn-mine.keras"]
            assert z.read("cnn-mine.keras") == b"fake model of cnn-mine"
            assert "owner" not in json.loads(z.read("cnn-mine.json"))
        by_key(page, "classifier_drawings_open").locator("summary").first.click()
        wait_idle(page)
        with zipfile.ZipFile(io.BytesIO(_download(page, "classifier_download_drawings"))) as z:
            labels = z.read("labels.csv").decode().split()
        assert sorted(row.split(",")[1] for row in labels[1:]) == ["1", "7"]  # no 3: those are the classmate's
    finally:
        context.close()
        server.stop()
