"""Browser: the playground's regression and its network view (issue 31) in a real Chromium.

Regression on ``reg-gauss`` lowers the test loss; clicking one edge of the drawn network and
typing a new weight changes the surface; clicking a node shows its weighted sum.
"""

import re
from urllib.parse import quote_plus

from playwright.sync_api import expect

from tests.e2e.helpers import by_key, exceptions, open_page, wait_idle

# A link's choices hold their label in the page's language (Streamlit's bind="query-params")
DATA = {"en": "Regression: six bumps", "es": "Regresión: seis montículos"}
SMALL = ("playground?playground_dataset={data}&playground_points=200&playground_layers=2&playground_units_0=6"
         "&playground_units_1=4&playground_epochs=40")


def metric(page, label: str) -> float:
    value = page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")
    return float(value.first.inner_text().replace(",", "."))


def chart_title(page, key: str):
    return by_key(page, key).locator(".gtitle").first


def open_small(page, server, lang: str = "en") -> None:
    """The playground on a small regression network, from a link (its values in the controls)."""
    open_page(page, server.url, SMALL.format(data=quote_plus(DATA[lang])), lang=lang)
    expect(by_key(page, "playground_layers").locator("input")).to_have_value("2", timeout=30_000)
    expect(by_key(page, "playground_epochs").locator("input")).to_have_value("40")
    wait_idle(page)


def step_once(page) -> None:
    by_key(page, "playground_step").get_by_role("button").click()
    expect(chart_title(page, "playground_surface")).to_contain_text("after epoch 1", timeout=120_000)
    expect(by_key(page, "playground_network").locator(".js-plotly-plot")).to_be_visible(timeout=60_000)
    wait_idle(page)


def click_marker(page, trace: int, index: int) -> None:
    """Move the mouse onto point ``index`` of trace ``trace`` of the network chart and click it
    (the markers are invisible: plotly finds the nearest one, as for a student)."""
    chart = by_key(page, "playground_network")
    chart.scroll_into_view_if_needed()
    x, y = chart.locator(".js-plotly-plot").evaluate(
        """(gd, [trace, index]) => {
            const fl = gd._fullLayout, box = gd.querySelector('.nsewdrag').getBoundingClientRect();
            return [box.left + fl.xaxis.l2p(gd.data[trace].x[index]), box.top + fl.yaxis.l2p(gd.data[trace].y[index])];
        }""", [trace, index])
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    wait_idle(page)


def surface_sum(page) -> float:
    return by_key(page, "playground_surface").locator(".js-plotly-plot").evaluate(
        """gd => {  // the heatmap's values as plotly holds them (rows of numbers or a typed array)
            let total = 0;
            for (const row of gd._fullData[0].z) {
                if (typeof row === 'number') { total += Math.abs(row); continue; }
                for (const v of row) total += Math.abs(v);
            }
            return total;
        }""")


def test_regression_on_the_six_bumps_lowers_the_test_loss(server, page):
    open_small(page, server)
    step_once(page)
    first = metric(page, "Test loss")
    by_key(page, "playground_train").get_by_role("button").click()
    expect(chart_title(page, "playground_surface")).to_contain_text("after epoch 41", timeout=180_000)
    wait_idle(page)
    last = metric(page, "Test loss")
    assert last < 0.8 * first, (first, last)
    expect(page.get_by_text("Loss (mean squared error)").first).to_be_attached()
    delta = page.locator("[data-testid='stMetric']").filter(has_text="Test loss").locator("[data-testid='stMetricDelta']")
    expect(delta.first).to_contain_text("since epoch 1")
    assert exceptions(page) == []


def test_editing_one_weight_changes_the_surface(server, page):
    open_small(page, server)
    step_once(page)
    before = surface_sum(page)
    click_marker(page, 1, 27)  # an edge from the first hidden layer (6 units) into the second (4)
    number = page.locator("[class*='st-key-playground_edge_']").first.locator("input")
    expect(number).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"Weight from h1\.\d to h2\.\d"))).to_be_visible()
    number.fill("4")
    number.press("Enter")
    wait_idle(page)
    by_key(page, "playground_edge_apply").get_by_role("button").click()
    wait_idle(page)
    expect(by_key(page, "playground_edits_undo")).to_be_visible(timeout=30_000)
    after = surface_sum(page)
    assert abs(after - before) > 1.0, (before, after)  # the surface over 1,600 places moved
    table = page.get_by_text("Every weight as a table")
    expect(table).to_be_visible()
    assert exceptions(page) == []


def test_clicking_a_node_shows_its_sum(server, page):
    open_small(page, server, lang="es")
    by_key(page, "playground_step").get_by_role("button").click()
    expect(chart_title(page, "playground_surface")).to_contain_text("tras la época 1", timeout=120_000)
    wait_idle(page)
    click_marker(page, 0, 5)  # 4 inputs, then unit 2 of the first hidden layer
    code = page.locator("[data-testid='stCode']").filter(has_text="z = ")
    expect(code.first).to_be_visible(timeout=30_000)
    text = code.first.inner_text()
    assert "w1·x₁ + w2·x₂" in text and "tanh(z) =" in text, text
    assert re.search(r"= -?\d+,\d{3}\n", text + "\n"), text  # Spanish decimal commas
    expect(page.get_by_text(re.compile(r"h1\.2.*en el punto"))).to_be_visible()
    assert exceptions(page) == []
