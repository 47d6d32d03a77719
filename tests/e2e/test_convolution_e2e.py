"""The convolution page in a real browser: kernel, stride, padding, stepping, playing, bad uploads."""

import io

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle


def wait_tex(page, *snippets: str) -> None:
    """Wait until a formula on the page contains every snippet (KaTeX keeps the TeX source)."""
    page.wait_for_function(
        "s => s.every(x => [...document.querySelectorAll('annotation')].some(a => a.textContent.includes(x)))",
        arg=list(snippets), timeout=30_000)


def step_value(page) -> str:
    return by_key(page, "convolution_step").locator("input").input_value()


def expect_step(page, value: int) -> None:
    expect(by_key(page, "convolution_step").locator("input")).to_have_value(str(value), timeout=30_000)


def click(page, key: str) -> None:
    by_key(page, key).get_by_role("button").click()
    wait_idle(page)


def test_kernel_stride_padding_and_stepping(server, page):
    open_page(page, server.url, "convolution")
    assert "Convolution" in page.locator("h1").first.inner_text()
    select_option(page, "convolution_kernel", "Sobel (vertical edges)")
    slider = by_key(page, "convolution_stride").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")  # keyboard only: stride 1 → 2
    wait_idle(page)
    select_option(page, "convolution_padding", "1 pixel(s) of zeros")
    wait_tex(page, r"\frac{12 + 2\cdot1 - 3}{2}", "+ 1 = 6")
    expect_step(page, 1)
    click(page, "convolution_next")
    expect_step(page, 2)
    click(page, "convolution_next")
    expect_step(page, 3)
    expect(page.locator("[data-testid='stMain']")).to_contain_text("Output row 1, column 3")
    click(page, "convolution_prev")
    expect_step(page, 2)
    field = by_key(page, "convolution_step").locator("input")
    field.fill("36")
    field.press("Enter")
    expect(page.locator("[data-testid='stMain']")).to_contain_text("Output row 6, column 6", timeout=30_000)
    assert exceptions(page) == []


def test_play_advances_then_pauses(server, page):
    open_page(page, server.url, "convolution")
    click(page, "convolution_play")
    expect(by_key(page, "convolution_play")).to_contain_text("Pause", timeout=30_000)  # the click took
    page.wait_for_function(
        "() => Number(document.querySelector('.st-key-convolution_step input').value) >= 3", timeout=30_000)
    click(page, "convolution_play")  # pause
    paused_at = step_value(page)
    page.wait_for_timeout(2500)
    assert step_value(page) == paused_at
    assert by_key(page, "convolution_play").inner_text().strip().endswith("Play")
    assert exceptions(page) == []


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def test_bad_uploads_show_a_clear_message(server, page):
    digit = np.zeros((64, 64), np.uint8)
    digit[16:48, 28:36] = 255
    good = _png(Image.fromarray(digit))
    files = [("notes.txt", "text/plain", b"not a picture at all\n" * 50, "is not a picture the lab can read"),
             ("broken.png", "image/png", good[: len(good) // 2], "damaged or truncated"),
             ("huge.png", "image/png", _png(Image.new("1", (10_000, 10_000))), "declares an enormous picture")]
    open_page(page, server.url, "convolution")
    by_key(page, "convolution_source").get_by_text("Upload a picture").click()
    wait_idle(page)
    upload = by_key(page, "convolution_upload").locator("input[type='file']")
    for name, mime, data, message in files:
        upload.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
        page.wait_for_function(
            "m => [...document.querySelectorAll('[data-testid=\"stAlert\"]')].some(e => e.innerText.includes(m))",
            arg=message, timeout=60_000)
        alerts = " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())
        assert name in alerts  # the message names the file (as literal text)
        assert exceptions(page) == []
    upload.set_input_files(files=[{"name": "digit.png", "mimeType": "image/png", "buffer": good}])
    page.wait_for_function(
        "() => ![...document.querySelectorAll('[data-testid=\"stAlert\"]')]"
        ".some(e => e.innerText.includes('huge.png'))", timeout=60_000)
    wait_idle(page)
    wait_tex(page, r"\frac{12 + 2\cdot0 - 3}{1}", "= 10")
    assert exceptions(page) == []
