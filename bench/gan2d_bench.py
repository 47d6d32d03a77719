"""GAN Lab in two dimensions (issue 33): modes covered per loss over five seeds within 60 s, and
how many times a second the page can redraw while the game plays.

    python -m bench.gan2d_bench                 # both parts, server side
    python -m bench.gan2d_bench --browser       # also count redraws in Chromium on a real server
    python -m bench.gan2d_bench --part redraw   # only the redraw cost

Modes: the ring of 8 Gaussians (512 points, data seed 0), the page's default networks and
settings, each loss, seeds 0-4; training stops at the default budget (``DEFAULT_STEPS``
iterations) or after 60 s, whichever comes first; modes are counted on 1,000 fresh samples
(``lab.gan2d.maths.mode_coverage``). Redraw: one tick of the page's live view on the server
(``PER_TICK`` iterations, the snapshot, the plane as a JPEG picture), median and 90th percentile.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from lab.gan2d import maths, plots
from lab.gan2d.model import Gan2dSettings
from lab.gan2d.training import DEFAULT_STEPS, Gan2dTrainer
from lab.gan2d.view import PER_TICK, TICK

LIMIT_S = 60.0
CENTRES = maths.mode_centres("ring")


def modes_run(loss: str, seed: int, real: np.ndarray) -> dict:
    """Train until the default budget or 60 s; modes covered at the end, when 7 were first reached."""
    started = time.perf_counter()
    run = Gan2dTrainer(Gan2dSettings(loss=loss), seed)
    first7 = None
    while run.iteration < DEFAULT_STEPS and time.perf_counter() - started < LIMIT_S:
        run.run(real, 50)
        covered = int(maths.mode_coverage(run.sample(1000, seed=999), CENTRES).sum())
        if covered >= 7 and first7 is None:
            first7 = (run.iteration, time.perf_counter() - started)
    return {"loss": loss, "seed": seed, "modes": covered, "iterations": run.iteration,
            "seconds": time.perf_counter() - started, "first7": first7}


def modes_part(seeds: range) -> None:
    real = maths.real_points("ring", 512, seed=0)
    print(f"modes covered of 8 (ring), budget {DEFAULT_STEPS} iterations or {LIMIT_S:.0f} s")
    for loss in ("gan", "wgan-gp"):
        rows = [modes_run(loss, seed, real) for seed in seeds]
        for r in rows:
            seen = f"7+ at iteration {r['first7'][0]} ({r['first7'][1]:.1f} s)" if r["first7"] else "never 7+"
            print(f"  {loss:8s} seed {r['seed']}: {r['modes']}/8 after {r['iterations']} iterations "
                  f"in {r['seconds']:.1f} s; {seen}")
        modes = [r["modes"] for r in rows]
        print(f"  {loss:8s} modes per seed {modes}, median {np.median(modes):.0f}, "
              f">=7 on {sum(m >= 7 for m in modes)} of {len(modes)} seeds")


def _jpeg(image: np.ndarray) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(image).save(out, format="JPEG")  # as st.image(..., output_format="JPEG")
    return out.getvalue()


def redraw_part(ticks: int = 40) -> None:
    real = maths.real_points("ring", 256, seed=0)
    for loss in ("gan", "wgan-gp"):
        run = Gan2dTrainer(Gan2dSettings(loss=loss), 0)
        run.run(real, 1)
        run.snapshot(real)  # traced once: not counted
        costs, cpu = [], []
        for _ in range(ticks):
            started, cpu_started = time.perf_counter(), time.process_time()
            run.run(real, PER_TICK)
            snap = run.snapshot(real)
            _jpeg(plots.plane_image(real, snap, list(plots.LAYERS)))  # what the page sends while playing
            maths.mode_coverage(snap["more"], CENTRES)
            costs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        ms, cpu_ms = 1000 * np.array(costs), 1000 * np.array(cpu)
        print(f"redraw tick ({loss}, {PER_TICK} iterations + snapshot + plane JPEG): median {np.median(ms):.0f} ms, "
              f"p90 {np.percentile(ms, 90):.0f} ms -> at most {1000 / np.median(ms):.1f} ticks/s on the server "
              f"(the page asks for one every {TICK} s); CPU time per tick: median {np.median(cpu_ms):.0f} ms, "
              f"p90 {np.percentile(cpu_ms, 90):.0f} ms (what it costs without other work waiting for the cores)")


def browser_part(seconds: float = 10.0) -> None:
    """Press Play on a real server in Chromium and count the iteration counter's changes."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, FLAGS, Server
    from tests.e2e.helpers import by_key, open_page, wait_idle

    server = Server().start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_page(page, server.url)
            open_page(page, server.url, "gan-lab")
            page.wait_for_selector(".st-key-gan2d_plane .js-plotly-plot", timeout=120_000)
            by_key(page, "gan2d_step").get_by_role("button").click()
            wait_idle(page)
            metric = page.locator("[data-testid='stMetricValue']").first
            by_key(page, "gan2d_play").get_by_role("button").click()
            page.wait_for_timeout(2000)  # warm up
            values, last = [], None
            end = time.time() + seconds
            while time.time() < end:
                text = metric.inner_text()
                if text != last:
                    values.append((time.time(), text))
                    last = text
                page.wait_for_timeout(20)
            by_key(page, "gan2d_pause").get_by_role("button").click()
            browser.close()
    finally:
        server.stop()
    print(f"browser: {len(values)} redraws seen in {seconds:.0f} s = {len(values) / seconds:.1f} a second "
          f"(iteration {values[0][1]} -> {values[-1][1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("all", "modes", "redraw", "none"), default="all")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also count redraws in Chromium")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.part in ("all", "redraw"):
        redraw_part()
    if args.browser:
        browser_part()
    if args.part in ("all", "modes"):
        modes_part(range(args.seeds))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
