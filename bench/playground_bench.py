"""Playground figures: what the defaults a student sees reach, and how often the surface redraws.

    python -m bench.playground_bench --only accuracy   # spiral and circle with the page's defaults
    python -m bench.playground_bench --only lesson     # the lesson's experiments (spiral without features, overfitting, L2)
    python -m bench.playground_bench --only refresh    # a real server + Chromium: surface redraws per second while training
    python -m bench.playground_bench --only network    # the same for the drawn network, largest shape (7 inputs, 4 x 16)
    python -m bench.playground_bench --only regression # reg-plane and reg-gauss: test MSE after 200 epochs, 3 seeds

``accuracy`` and ``lesson`` run the training job in this process (as the server's worker
thread would), three data/initialisation seeds each; ``refresh`` clicks Train on the page and
reads the surface chart's title (it names the epoch) every 50 ms for ``--seconds``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.jobs.context import PrintContext  # noqa: E402
from core.models.playground_config import PlaygroundConfig  # noqa: E402

SEEDS = (0, 1, 2)


class Recorder(PrintContext):
    def __init__(self):
        super().__init__(every=10**9)
        self.extras, self.started = {}, []  # started[k]: when epoch k + 1 began (perf_counter)

    def start_epoch(self, epoch, epochs):
        self.started.append(time.perf_counter())

    def set_extra(self, key, value):
        self.extras[key] = value

    def set_result(self, **values):
        pass


def train(config: PlaygroundConfig) -> tuple[dict, float, list[float]]:
    """History, seconds for the whole job, and seconds from the job's start to the end of each epoch."""
    from core.training import playground

    ctx, t0 = Recorder(), time.perf_counter()
    playground.job(config)(ctx)
    end = time.perf_counter()
    return ctx.extras["live"]["history"], end - t0, [t - t0 for t in ctx.started[1:]] + [end - t0]


def accuracy() -> None:
    for dataset, goal in (("spiral", 0.95), ("circle", 0.99)):
        for seed in SEEDS:
            config = replace(PlaygroundConfig(), dataset=dataset, seed=seed)
            h, seconds, ends = train(config)
            acc = h["test_accuracy"]
            first = next((i + 1 for i, a in enumerate(acc) if a >= goal), None)
            print(f"{dataset:7s} seed {seed}: test accuracy after {len(acc)} epochs {acc[-1]:.1%} "
                  f"(train {h['accuracy'][-1]:.1%}); first ≥ {goal:.0%} at epoch {first}, "
                  f"{ends[first - 1] if first else float('nan'):.1f} s after the job started "
                  f"(model building and graph tracing included); whole run {seconds:.1f} s", flush=True)


def lesson() -> None:
    base = PlaygroundConfig(dataset="spiral")
    for name, config in (("spiral x1,x2 only, 3x8", replace(base, features=("x1", "x2"))),
                         ("spiral x1,x2 only, 1x8", replace(base, features=("x1", "x2"), hidden=(8,)))):
        accs = [train(replace(config, seed=s))[0]["test_accuracy"][-1] for s in SEEDS]
        print(f"{name}: test accuracy after {config.epochs} epochs {', '.join(f'{a:.1%}' for a in accs)}", flush=True)
    over = PlaygroundConfig(dataset="gauss", noise=0.5, points=100, test_ratio=0.5, hidden=(16,) * 4,
                            activation="relu", learning_rate=0.01)
    for name, config in (("overfit", over), ("overfit + L2 0.01", replace(over, regularization="l2", reg_rate=0.01))):
        for seed in SEEDS:
            h = train(replace(config, seed=seed))[0]
            best = min(range(len(h["test_loss"])), key=h["test_loss"].__getitem__)
            print(f"{name} seed {seed}: train loss {h['loss'][-1]:.3f}, test loss lowest {h['test_loss'][best]:.3f} "
                  f"at epoch {best + 1}, final {h['test_loss'][-1]:.3f}; test accuracy {h['test_accuracy'][-1]:.1%}",
                  flush=True)


def regression() -> None:
    """The page's default network on both regression sets, 200 epochs, three seeds: test MSE."""
    for dataset in ("reg-plane", "reg-gauss"):
        for seed in SEEDS:
            h, seconds, _ = train(replace(PlaygroundConfig(), dataset=dataset, seed=seed))
            best = min(range(len(h["test_loss"])), key=h["test_loss"].__getitem__)
            print(f"{dataset} seed {seed}: test MSE epoch 1 {h['test_loss'][0]:.5f} -> epoch {len(h['test_loss'])} "
                  f"{h['test_loss'][-1]:.5f} (lowest {h['test_loss'][best]:.5f} at epoch {best + 1}); "
                  f"train MSE {h['loss'][-1]:.5f}; {seconds:.1f} s", flush=True)


LARGEST = ("playground?data=spiral&feat=x1,x2,x1_sq,x2_sq,x1x2,sin_x1,sin_x2&layers=4&u1=16&u2=16&u3=16&u4=16"
           "&epochs=2000")


def render_cost(repeats: int = 20) -> None:
    """What one live redraw of the largest network costs the server: every node's map (numpy),
    the picture and its JPEG, as ``lab.playground.view_network`` makes them."""
    from io import BytesIO

    import numpy as np
    from PIL import Image

    from lab.playground import network_view as nv

    features = ("x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2")
    sizes, rng, weights = (7, 16, 16, 16, 16, 1), np.random.default_rng(0), []
    for a, b in zip(sizes, sizes[1:]):
        weights += [rng.normal(0, 1, (a, b)).astype(np.float32), rng.normal(0, 0.3, b).astype(np.float32)]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        maps = nv.maps(weights, features, "tanh", "sigmoid")
        Image.fromarray(nv.picture(weights, maps, features, "sigmoid")).save(BytesIO(), format="JPEG", quality=85)
        times.append(time.perf_counter() - start)
    print(f"one redraw of the 7-16-16-16-16-1 network (maps + picture + JPEG): median {statistics.median(times) * 1000:.0f} ms, "
          f"slowest {max(times) * 1000:.0f} ms of {repeats}", flush=True)


def network(seconds: float) -> None:
    """Redraws per second of the network picture while the largest network trains (a real server
    and Chromium; the picture's address changes with every new image)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, FLAGS, Server
    from tests.e2e.helpers import by_key, open_page

    render_cost()
    srv = Server().start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_page(page, srv.url, LARGEST)
            by_key(page, "playground_train").get_by_role("button").click()
            picture = page.locator("img[alt^='The network drawn']")
            picture.first.wait_for(timeout=180_000)
            heading = page.get_by_text("The network after epoch")
            changes, last, t0 = [], None, time.perf_counter()
            while time.perf_counter() - t0 < seconds:
                try:
                    now = (picture.first.get_attribute("src", timeout=5000), heading.first.text_content(timeout=5000))
                except Exception:  # noqa: BLE001 - replaced between the two reads: try again
                    continue
                if now != last:
                    changes.append(time.perf_counter() - t0)
                    last = now
                page.wait_for_timeout(50)
            gaps = [b - a for a, b in zip(changes, changes[1:])]
            print(f"network picture (7-16-16-16-16-1) redraws in {seconds:.0f} s of training: {len(changes) - 1} "
                  f"({(len(changes) - 1) / seconds:.2f} Hz); median gap {statistics.median(gaps):.2f} s, "
                  f"90th percentile {sorted(gaps)[int(0.9 * (len(gaps) - 1))]:.2f} s; last {last[1]!r}", flush=True)
            by_key(page, "playground_pause").get_by_role("button").click()
            browser.close()
    finally:
        srv.stop()


def refresh(seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, FLAGS, Server
    from tests.e2e.helpers import by_key, open_page

    srv = Server().start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_page(page, srv.url, "playground")
            epochs = by_key(page, "playground_epochs").locator("input")
            epochs.fill("2000")
            epochs.press("Enter")
            page.wait_for_timeout(1500)
            by_key(page, "playground_train").get_by_role("button").click()
            title = page.get_by_text("answer after epoch")  # the live picture's heading
            title.first.wait_for(timeout=120_000)
            changes, last, t0 = [], None, time.perf_counter()
            while time.perf_counter() - t0 < seconds:
                text = title.first.text_content(timeout=5000) if title.count() else None  # + the picture's URL
                text = (text, page.locator("[data-testid='stImage'] img").first.get_attribute("src", timeout=5000))
                if text != last:
                    changes.append((time.perf_counter() - t0, text))
                    last = text
                page.wait_for_timeout(50)
            gaps = [b[0] - a[0] for a, b in zip(changes, changes[1:])]
            print(f"surface redraws in {seconds:.0f} s of training: {len(changes) - 1} "
                  f"({(len(changes) - 1) / seconds:.2f} Hz); median gap {statistics.median(gaps):.2f} s; "
                  f"last title {last!r}", flush=True)
            by_key(page, "playground_pause").get_by_role("button").click()
            browser.close()
    finally:
        srv.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["accuracy", "lesson", "refresh", "network", "regression"], action="append")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    parts = args.only or ["accuracy", "lesson", "refresh", "network", "regression"]
    if "accuracy" in parts:
        accuracy()
    if "lesson" in parts:
        lesson()
    if "refresh" in parts:
        refresh(args.seconds)
    if "network" in parts:
        network(args.seconds)
    if "regression" in parts:
        regression()


if __name__ == "__main__":
    main()
