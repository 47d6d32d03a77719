"""Task links in a real browser: the teacher (teacher key typed) builds a link for the perceptron
with two controls locked and an instruction full of markup; a student context opens it and sees
the instruction as plain text and the locked controls disabled, the open ones free; the student
sees no teacher controls. ``NNLAB_SHOTS=dir`` also saves screenshots at 1400 and 390 px, EN/ES."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle
from tests.e2e.test_accessibility_e2e import AXE, violations

KEY = "task-key-2026-long"
INSTRUCTION = "Make OR with <b>w1</b> and **w2** only: [no link](http://x.y)"
TAB = {"en": "Task links", "es": "Enlaces de tarea"}
PAGE = {"en": "Perceptron (AND / XOR)", "es": "Perceptrón (AND / XOR)"}
SHOTS = os.environ.get("NNLAB_SHOTS", "")


@pytest.fixture(scope="module")
def teacher_server():
    server = Server(env={"NNLAB_TEACHER_KEY": KEY}).start()
    yield server
    server.stop()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def teacher_builds_link(page: Page, url: str, lang: str = "en") -> str:
    open_page(page, url, "classroom", lang=lang)
    key = by_key(page, "app_teacher_input").locator("input")
    key.fill(KEY)
    key.press("Enter")
    page.get_by_role("tab", name=TAB[lang]).click(timeout=60_000)
    wait_idle(page)
    select_option(page, "classroom_task_page", PAGE[lang])
    address = by_key(page, "classroom_task_address").locator("input")
    address.fill(f"{url}/perceptron?perceptron_gate=OR&perceptron_lr=0.55&lang={lang}")
    address.press("Enter")
    wait_idle(page)
    text = by_key(page, "classroom_task_instruction").locator("textarea")
    text.fill(INSTRUCTION)
    text.press("Tab")
    wait_idle(page)
    by_key(page, "classroom_task_make").locator("button").click()
    wait_idle(page)
    code = page.locator("[data-testid='stCode'] code").first
    expect(code).to_contain_text("/perceptron?", timeout=30_000)
    expect(page.locator("[data-testid='stImage'] img").first).to_be_visible()
    assert not exceptions(page)
    return code.inner_text().strip().replace("\n", "")


def student_opens(page: Page, link: str) -> None:
    page.goto(link)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
    wait_idle(page)


def test_a_teachers_task_link_locks_controls_and_shows_the_instruction_as_text(browser: Browser, teacher_server):
    url = teacher_server.url
    teacher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    student = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        link = teacher_builds_link(teacher, url)
        _shot(teacher, "task-builder-1400-en")
        assert "task=" in link and "perceptron_gate=OR" in link
        student_opens(student, link)
        box = by_key(student, "app_task_box")
        expect(box).to_contain_text(INSTRUCTION)  # every character as typed: nothing rendered
        assert box.locator("b, a, em").count() == 0, box.inner_html()  # no tag from the instruction
        assert box.locator("strong").all_inner_texts() == ["Your task"]
        assert box.locator("[data-testid='stText']").inner_text() == INSTRUCTION
        expect(by_key(student, "perceptron_lr").locator("input")).to_be_disabled()
        expect(by_key(student, "perceptron_lr").locator("input")).to_have_value("0.55")
        assert by_key(student, "perceptron_gate").locator("button").first.is_disabled()
        expect(by_key(student, "perceptron_epochs").locator("input")).to_be_enabled()  # open by default
        _shot(student, "task-student-1400-en")
        if AXE.exists():  # locked (disabled) controls keep readable labels; the task box is clean
            assert not violations(student), violations(student)
            assert not violations(teacher), violations(teacher)
        student.set_viewport_size({"width": 390, "height": 900})
        wait_idle(student)
        expect(by_key(student, "app_task_box")).to_be_visible()
        _shot(student, "task-student-390-en")
        # the student sees no teacher controls, on the teacher's page either
        open_page(student, url, "classroom")
        assert by_key(student, "classroom_task_page").count() == 0
        assert by_key(student, "classroom_task_make").count() == 0
        assert not exceptions(student)
        # the same link without the task: the page as usual
        student_opens(student, link.split("&task=")[0])
        expect(by_key(student, "perceptron_lr").locator("input")).to_be_enabled()
        assert by_key(student, "app_task_box").count() == 0
    finally:
        teacher.context.close()
        student.context.close()


def test_spanish_task_on_a_phone(browser: Browser, teacher_server):
    teacher = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    student = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    try:
        link = teacher_builds_link(teacher, teacher_server.url, lang="es")
        _shot(teacher, "task-builder-390-es")
        student_opens(student, link)
        expect(by_key(student, "app_task_box")).to_contain_text("Tu tarea")
        expect(by_key(student, "perceptron_lr").locator("input")).to_be_disabled()
        _shot(student, "task-student-390-es")
        student.set_viewport_size({"width": 1400, "height": 1000})
        wait_idle(student)
        _shot(student, "task-student-1400-es")
        teacher.set_viewport_size({"width": 1400, "height": 1000})
        wait_idle(teacher)
        _shot(teacher, "task-builder-1400-es")
    finally:
        teacher.context.close()
        student.context.close()
