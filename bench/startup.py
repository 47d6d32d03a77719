"""Cold start and page-switch times of the real app in headless Chromium.

    python bench/startup.py [--runs 3]

Cold start: from launching ``streamlit run app.py`` to the home page's title painted in
the browser. Page switch: from clicking a sidebar link to the new page's title painted
and the script run finished. Medians over the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, FLAGS, Server  # noqa: E402
from tests.e2e.helpers import wait_idle  # noqa: E402

TARGETS = [("Perceptron (AND / XOR)", "Perceptron"), ("Activation functions", "Activation"),
           ("Convolution & pooling", "Convolution"), ("MNIST classifier", "MNIST"),
           ("DCGAN", "DCGAN"), ("Home", "Neural Network Lab")]


def one_run(browser) -> tuple[float, dict[str, float]]:
    t0 = time.perf_counter()
    server = Server().start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url)
        page.wait_for_selector("h1:has-text('Neural Network Lab')", timeout=120_000)
        cold = time.perf_counter() - t0
        wait_idle(page)
        switches = {}
        for link, heading in TARGETS:
            start = time.perf_counter()
            page.locator("[data-testid='stSidebarNav'] a", has_text=link).click()
            page.wait_for_selector(f"h1:has-text('{heading}')", timeout=120_000)
            wait_idle(page)
            switches[heading] = time.perf_counter() - start
        page.close()
        return cold, switches
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    colds, switch_runs = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(args.runs):
            cold, switches = one_run(browser)
            colds.append(cold)
            switch_runs.append(switches)
        browser.close()
    print(f"cold start to first paint of home: median {statistics.median(colds):.2f} s "
          f"(runs: {', '.join(f'{c:.2f}' for c in colds)})")
    print("page switch (first visit of each page in a fresh server, median over runs):")
    for _, heading in TARGETS:
        values = [r[heading] for r in switch_runs]
        print(f"  -> {heading:20s} {statistics.median(values):.2f} s")


if __name__ == "__main__":
    main()
