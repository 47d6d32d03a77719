"""Browser: add your own points by clicking the plane with the mouse, train a network on them,
watch the live view, and switch the language with the points kept."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, select_option, wait_idle

VIEW = 1.2  # the plane's axes cover [-VIEW, VIEW]² (lab.playground.plots.VIEW)


def click_at(page, x1: float, x2: float) -> None:
    """Click the own-points plane at data coordinates ``(x1, x2)``."""
    area = by_key(page, "playground_plane").locator(".nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    page.mouse.click(box["x"] + (x1 + VIEW) / (2 * VIEW) * box["width"],
                     box["y"] + (VIEW - x2) / (2 * VIEW) * box["height"])
    wait_idle(page)


def chart_title(page, key: str):
    """The plotly title of the chart with ``key`` (SVG text: matched by its text content)."""
    return by_key(page, key).locator(".gtitle").first


def choose_class(page, name: str) -> None:
    by_key(page, "playground_class").get_by_text(name, exact=True).click()
    wait_idle(page)


def test_click_points_train_on_them_and_switch_language(server, page):
    open_page(page, server.url, "playground")
    select_option(page, "playground_dataset", "Your own points")
    expect(chart_title(page, "playground_plane")).to_contain_text("Your points (0)")
    # four points of each class, one class on each diagonal (XOR-like)
    places = {"Class 0": [(-0.5, -0.5), (0.5, 0.5), (-0.7, -0.3), (0.6, 0.8)],
              "Class 1": [(-0.5, 0.5), (0.5, -0.5), (-0.3, 0.7), (0.8, -0.6)]}
    added = 0
    for name, points in places.items():
        choose_class(page, name)
        for x1, x2 in points:
            click_at(page, x1, x2)
            added += 1
            expect(chart_title(page, "playground_plane")).to_contain_text(f"Your points ({added})", timeout=20_000)
    epochs = by_key(page, "playground_epochs").locator("input")
    epochs.fill("30")
    epochs.press("Enter")
    wait_idle(page)
    by_key(page, "playground_train").get_by_role("button").click()
    # the run ends; the still view then draws the interactive surface chart with the final epoch
    expect(chart_title(page, "playground_surface")).to_contain_text("The network's answer after epoch 30",
                                                                    timeout=120_000)
    expect(by_key(page, "playground_train").get_by_role("button")).to_be_visible(timeout=30_000)
    expect(chart_title(page, "playground_network")).to_contain_text("The network after epoch 30")  # the drawn network
    assert exceptions(page) == []

    select_option(page, "app_lang", "Español")
    page.wait_for_url(re.compile(r"lang=es"), timeout=30_000)
    expect(page.locator("h1").first).to_have_text("Banco de pruebas de redes")
    expect(chart_title(page, "playground_plane")).to_contain_text(f"Tus puntos ({added})")  # points kept
    expect(chart_title(page, "playground_surface")).to_contain_text("La respuesta de la red tras la época 30")
    assert exceptions(page) == []
