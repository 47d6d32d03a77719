"""Classroom mode in a real browser, three contexts: the teacher starts a challenge, two students
draw and send, and answer a lesson question; the teacher's view shows both drawings and the
answer counts within 2 s; a student sees nothing of the teacher's page. axe on both sides.

The steps are functions: ``tests/serve/test_classroom_replicas.py`` runs the same class across
two replicas behind HAProxy.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle
from tests.e2e.test_accessibility_e2e import AXE, violations
from tests.e2e.test_classifier_e2e import stroke

pytest.importorskip("keras")

KEY = "class-key-2026"
SEVEN = [(70, 60), (210, 60), (130, 235)]
ONE = [(150, 40), (140, 240)]
RIGHT = "About 0.67, 0.24 and 0.09"  # classifier question 1, its right option
WRONG = "1, 0 and 0: the largest score takes everything"
LIVE_MS = 2000  # the teacher's view must show a change within this


def teacher_logs_in(page: Page, url: str) -> None:
    open_page(page, url, "classroom")
    key = by_key(page, "app_teacher_input").locator("input")
    key.fill(KEY)
    key.press("Enter")
    expect(page.get_by_role("tab", name="Challenge")).to_be_visible(timeout=60_000)
    wait_idle(page)


def teacher_starts_challenge(page: Page, digit: int = 7) -> None:
    page.get_by_role("tab", name="Challenge").click()
    wait_idle(page)
    select_option(page, "classroom_target", str(digit))
    by_key(page, "classroom_start").locator("button").click()
    expect(page.get_by_text(f"everyone draws a {digit}")).to_be_visible(timeout=30_000)


def student_sends(page: Page, url: str, points) -> float:
    """Open the classifier, draw ``points``, send it to the class; the time the send showed."""
    open_page(page, url, "classifier")
    expect(page.get_by_text("Class challenge: everyone draws a 7")).to_be_visible(timeout=30_000)
    canvas = by_key(page, "classifier_canvas_0").locator("canvas").last
    canvas.wait_for(state="visible", timeout=90_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # let the canvas attach its mouse handlers
    stroke(page, canvas.bounding_box(), points)
    send = by_key(page, "classifier_class_send").locator("button")
    send.wait_for(timeout=90_000)
    wait_idle(page)
    send.click()
    expect(page.get_by_text("Sent to the class.")).to_be_visible(timeout=30_000)
    return time.monotonic()


def student_answers(page: Page, option: str) -> float:
    """Open the lesson, choose ``option`` for the first question; the time the explanation showed."""
    page.get_by_text("Lesson", exact=True).first.click()
    by_key(page, "classifier_lesson_choice_0").get_by_text(option, exact=True).click()
    expect(page.get_by_text("e² : e¹ : e⁰").first).to_be_visible(timeout=30_000)
    return time.monotonic()


def teacher_sees(page: Page, text: str, since: float) -> float:
    """Wait (at most ``LIVE_MS`` after ``since``) until the teacher's view shows ``text``."""
    left_ms = max(1, LIVE_MS - (time.monotonic() - since) * 1000)
    expect(page.get_by_text(text).first).to_be_visible(timeout=left_ms)
    return time.monotonic() - since


def answer_counts(page: Page) -> dict[str, str]:
    """The first question's table on the teacher's Questions tab: option -> count."""
    rows = page.locator("[data-testid='stTable']").first.locator("tbody tr")
    return {r.locator("td").nth(0).inner_text(): r.locator("td").nth(1).inner_text() for r in rows.all()}


def axe_clean(teacher: Page, student: Page) -> None:
    """No serious or critical axe violation: the teacher's tabs, the student's page as a phone shows it."""
    found = {}
    for tab in ("Questions", "Challenge", "Who is here", "Results"):
        teacher.get_by_role("tab", name=tab).click()
        wait_idle(teacher)
        teacher.wait_for_timeout(800)  # images and tables draw after the run
        found[f"teacher: {tab}"] = violations(teacher)
    found["student (lesson open)"] = violations(student)
    # at phone width, with the lesson closed: its display formula is wider than a phone and
    # KaTeX makes it a scroll box without a focusable element (the lesson's, not the class's)
    student.get_by_text("Lesson", exact=True).first.click()
    student.set_viewport_size({"width": 390, "height": 844})
    wait_idle(student)
    found["student (390 px)"] = violations(student)
    bad = {where: v for where, v in found.items() if v}
    assert not bad, bad


def run_class(browser, url: str, replicas: tuple = (None, None, None), check_axe: bool = False) -> dict[str, float]:
    """The whole lesson at ``url``; the teacher's delays (s) after each student's action.
    ``replicas``: the HAProxy replica (its SERVERID) of the teacher and each student, if any."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(3)]
    for context, replica in zip(contexts, replicas, strict=True):
        if replica:
            context.add_cookies([{"name": "SERVERID", "value": replica, "url": url}])
    teacher, *students = [c.new_page() for c in contexts]
    delays = {}
    try:
        teacher_logs_in(teacher, url)
        teacher_starts_challenge(teacher)
        sent = student_sends(students[0], url, SEVEN)
        delays["first drawing"] = teacher_sees(teacher, "Drawings for this challenge: 1 (students: 1)", sent)
        sent = student_sends(students[1], url, ONE)
        delays["second drawing"] = teacher_sees(teacher, "Drawings for this challenge: 2 (students: 2)", sent)
        expect(teacher.locator("[data-testid='stImage']")).to_have_count(3)  # 2 drawings + the wrong one
        teacher.get_by_role("tab", name="Questions").click()
        wait_idle(teacher)
        answered = student_answers(students[0], RIGHT)
        delays["first answer"] = teacher_sees(teacher, "1 answer", answered)
        answered = student_answers(students[1], WRONG)
        delays["second answer"] = teacher_sees(teacher, "2 answers", answered)
        counts = answer_counts(teacher)
        assert counts["✓ " + RIGHT] == "1" and counts[WRONG] == "1", counts
        if check_axe and AXE.exists():
            axe_clean(teacher, students[0])
        # a student sees nothing of the teacher's page
        open_page(students[1], url, "classroom")
        expect(students[1].get_by_text("This page is for the teacher")).to_be_visible()
        assert students[1].get_by_role("tab").count() == 0
        assert by_key(students[1], "classroom_start").count() == 0
        for page in (teacher, *students):
            assert exceptions(page) == []
        for context, replica in zip(contexts, replicas, strict=True):
            if replica:  # each stayed on its replica
                assert {c["value"] for c in context.cookies() if c["name"] == "SERVERID"} == {replica}
    finally:
        for c in contexts:
            c.close()
    return delays


def test_a_class_challenge_and_question_reach_the_teacher_live(browser):
    server = Server(env={"NNLAB_TEACHER_KEY": KEY}).start()
    try:
        delays = run_class(browser, server.url, check_axe=True)
        print("teacher view delays (s):", {k: round(v, 2) for k, v in delays.items()})
        assert all(v <= LIVE_MS / 1000 for v in delays.values()), delays
    finally:
        server.stop()
