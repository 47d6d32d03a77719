"""A class drawing at once: real websocket sessions against one ``streamlit run`` server.

    python -m bench.drawing_load [--sessions 30] [--rounds 5] [--gan] [--json out.json]
    python -m bench.drawing_load --cold            # no teacher first: the class meets a fresh server
    python -m bench.drawing_load --explain 10      # opening the occlusion map, fresh and shared
    python -m bench.drawing_load --cnn --sessions 30   # the class opens the CNN view at once
    python -m bench.drawing_load --cost 50         # server CPU per stroke, one session

Each session speaks Streamlit's own browser protocol over its own websocket (no browser:
thirty Chromium instances alone would swamp a 2-core machine and measure the browsers),
and behaves like the page's JavaScript:

- all sessions open the classifier page at once; "open" is the time until the drawing
  canvas arrives (the page is drawable) and until the run finishes;
- a student draws a digit in 1–3 strokes: after each mouse-up the canvas component sends
  its image (a PNG of an official MNIST test digit drawn on the 280×280 canvas, see
  ``bench.synthetic_canvas``, revealed stroke by stroke); the digit must be read right
  after its last stroke;
- the sidebar's ``st.fragment(run_every=...)`` reruns are sent on their timer, and the
  media files (images) a run references are fetched over HTTP, as a browser does.

Per stroke it times **stroke sent → "Prediction" metric** and **stroke sent → run finished
(the page has settled)**. Strokes are staggered within a second, like a class told
"draw now". It reports the server's CPU per stroke and memory (from ``/proc``) and the
load generator's own CPU, so one is not mistaken for the other. ``--gan`` first starts a
DCGAN training job from the DCGAN page and draws while it trains.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_canvas import draw  # noqa: E402
from bench.ws_session import Session, data_url, percentiles, proc_stats, summary  # noqa: E402
from core.storage.mnist import load_mnist  # noqa: E402
from tests.e2e.conftest import Server  # noqa: E402


def make_drawings(n: int = 100, seed: int = 0) -> list[tuple[int, np.ndarray]]:
    """``n`` (label, 280×280 RGBA canvas) pairs drawn from official MNIST test digits."""
    (_, _), (x, y) = load_mnist()
    rng = np.random.default_rng(seed)
    return [(int(y[i]), draw(x[i], "light", rng)) for i in rng.choice(len(x), n, replace=False)]


def strokes(canvas: np.ndarray, n: int) -> list[np.ndarray]:
    """The canvas after each of ``n`` strokes: the ink revealed top to bottom, all of it last."""
    rows = np.flatnonzero(canvas[..., :3].max(axis=(1, 2)) > 0)
    if n <= 1 or len(rows) == 0:
        return [canvas]
    out = []
    for k in range(1, n):
        partial = canvas.copy()
        cut = rows[0] + (rows[-1] - rows[0]) * k // n
        partial[cut:, :, :3] = 0
        out.append(partial)
    return out + [canvas]


def _stroke(image: np.ndarray) -> str:
    """The canvas component's value after a mouse-up: the canvas as a PNG data URL."""
    return json.dumps({"drawing": {"raw": {"objects": [], "background": "#000000"}, "data": data_url(image)}})


async def teacher(base: str, drawing: np.ndarray) -> dict:
    """The teacher opens the page first and draws once (the server loads and compiles the model)."""
    async with Session(base, "classifier") as s:
        opened = await s.run({}, until=lambda: s.canvas_id is not None)
        drawn = await s.run({s.canvas_id: _stroke(drawing)}, fragment=s.canvas_fragment,
                            until=lambda: s.metrics.get("Prediction") is not None)
        return {"first_open_ms": round(1000 * opened["settled_s"]), "first_stroke_ms": round(1000 * drawn["settled_s"])}


async def student(base: str, drawings: list, opened: asyncio.Barrier, drawing: asyncio.Barrier,
                  out: dict) -> None:
    """One student: open the page with the class, then draw each digit in 1–3 strokes."""
    async with Session(base, "classifier") as s:
        await opened.wait()  # the whole class opens the page at once
        seen = await s.run({}, until=lambda: s.canvas_id is not None)
        out["open_canvas"].append(seen["marker_s"])
        out["open_settled"].append(seen["settled_s"])
        out["errors"] += seen["exceptions"]
        if s.canvas_id is None:
            raise RuntimeError("the classifier page sent no drawing canvas")
        s.start_ticks()
        if await drawing.wait() == 0:  # everyone is in: count the server's CPU from here
            out["cpu_before"], out["start"] = proc_stats(out["pid"]), time.perf_counter()
        for r, (label, canvas) in enumerate(drawings):
            await asyncio.sleep(random.random())  # "draw now": strokes end within a second
            for image in strokes(canvas, random.randint(1, 3)):
                seen = await s.run({s.canvas_id: _stroke(image)}, fragment=s.canvas_fragment,
                                   until=lambda: s.metrics.get("Prediction") is not None)
                out["errors"] += seen["exceptions"]
                if seen["marker_s"] is None:
                    out["errors"].append("a stroke got no prediction")
                    continue
                out["prediction"].append(seen["marker_s"])
                out["settled"].append(seen["settled_s"])
                out["by_round"].setdefault(r, []).append(seen["settled_s"])
                out["when"].append((round(seen["t0"] - out["start"], 2), round(1000 * seen["settled_s"])))
                out["fragment_runs"] += seen["fragment"]
                await asyncio.sleep(0.2 + 0.3 * random.random())  # the next stroke
            out["digits"] += 1
            out["correct"] += s.metrics.get("Prediction") == str(label)
            await asyncio.sleep(1 + random.random())  # looking at the answer before the next digit
        s.stop_ticks()


async def start_gan(base: str) -> float:
    """Start a DCGAN training job from the DCGAN page's Train button, as a teacher would, and
    wait until it runs its batches (past loading data and tracing its step); the seconds that took."""
    async with Session(base, "gan") as s:
        await s.run({})
        button = s.widget_id("gan_start")
        if button is None:
            raise RuntimeError("the DCGAN page sent no gan_start button")
        t0 = time.perf_counter()
        await s.run({button: True}, trigger=True)
        sidebar = next(iter(s.auto_reruns), "")
        while time.perf_counter() - t0 < 300:
            await asyncio.sleep(1)
            await s.run({}, fragment=sidebar)
            if any(re.search(r"batch [1-9]\d*/", text) for text in s.texts):
                return time.perf_counter() - t0
        raise RuntimeError("the DCGAN job did not start its batches within 5 minutes")


async def _class(base: str, sessions: int, rounds: int, drawings: list, gan: bool, pid: int | None,
                 cold: bool = False) -> dict:
    out = {"open_canvas": [], "open_settled": [], "prediction": [], "settled": [], "errors": [],
           "digits": 0, "correct": 0, "fragment_runs": 0, "pid": pid, "cpu_before": None, "when": [],
           "start": time.perf_counter(), "by_round": {}}
    out["rss_before_class"] = proc_stats(pid)
    # cold: the class is the first to open the page (no teacher warms the model before them)
    out["teacher"] = None if cold else await teacher(base, drawings[-1][1])
    out["rss_after_teacher"] = proc_stats(pid)
    if gan:
        out["gan_start_s"] = round(await start_gan(base), 1)
    opened, drawing = asyncio.Barrier(sessions), asyncio.Barrier(sessions)
    # session i draws drawings i*rounds ... i*rounds + rounds - 1 (cycling): a fixed set per run
    mine = [[drawings[(i * rounds + r) % len(drawings)] for r in range(rounds)] for i in range(sessions)]
    results = await asyncio.gather(*(student(base, mine[i], opened, drawing, out) for i in range(sessions)),
                                   return_exceptions=True)
    out["errors"] += [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
    return out


def load(base_url: str, sessions: int, rounds: int, drawings: list, gan: bool = False,
         server_pid: int | None = None, cold: bool = False) -> dict:
    """Run the class against a server at ``base_url`` (``http://host:port``); the summary dict."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    out = asyncio.run(_class(base_url, sessions, rounds, drawings, gan, server_pid, cold))
    after, before = proc_stats(server_pid), out["cpu_before"]
    result = summary(out, time.perf_counter() - t0)
    result.update(sessions=sessions, rounds=rounds, teacher=out["teacher"],
                  gan_start_s=out.get("gan_start_s"), slowest_strokes_at_s_ms=sorted(out["when"], key=lambda w: -w[1])[:8],
                  generator_cpu_s=round(time.process_time() - cpu0, 1),
                  settled_p95_ms_by_round=[round(1000 * float(np.percentile(v, 95)))
                                           for _, v in sorted(out["by_round"].items())])
    if before and after:  # the drawing phase only (strokes, sidebar ticks, media), not the page opens
        strokes_sent = max(len(out["prediction"]), 1)
        result.update(server_cpu_s_drawing=round(after["cpu_s"] - before["cpu_s"], 1),
                      server_cpu_ms_per_stroke=round(1000 * (after["cpu_s"] - before["cpu_s"]) / strokes_sent, 1),
                      server_rss_mb_one_session=out["rss_after_teacher"]["rss_mb"],
                      server_rss_mb_no_session=out["rss_before_class"]["rss_mb"],
                      server_rss_mb_all_sessions=after["rss_mb"],
                      server_rss_mb_per_session=round((after["rss_mb"] - out["rss_before_class"]["rss_mb"])
                                                      / sessions, 2))
    return result


async def _explain(base: str, drawings: list) -> dict:
    """Per drawing: student A draws and opens the occlusion map; then student B does the same.
    Opening reruns the explanations' fragment, as the browser does; timed until it has settled."""
    fresh, shared = [], []
    for _, canvas in drawings:
        for times in (fresh, shared):
            async with Session(base, "classifier") as s:
                await s.run({}, until=lambda s=s: s.canvas_id is not None)
                value = _stroke(canvas)
                await s.run({s.canvas_id: value}, fragment=s.canvas_fragment)
                expander = s.expander_id("classifier_occlusion_open")
                seen = await s.run({s.canvas_id: value, expander: True}, fragment=s.fragment_of(expander),
                                   until=lambda s=s: s.has_chart("classifier_occlusion"))
                times.append(seen["settled_s"])
    ms = lambda v: round(1000 * float(np.median(v)), 1)  # noqa: E731
    return {"drawings": len(drawings), "open_fresh_median_ms": ms(fresh), "open_fresh_max_ms": ms([max(fresh)]),
            "open_shared_median_ms": ms(shared), "open_shared_max_ms": ms([max(shared)])}


async def _cnn_student(base: str, example: int, opened: asyncio.Barrier, out: dict) -> None:
    """One student on the CNN view: open the page, choose test image ``example`` (the overview
    draws), then open a unit of the second convolution (its sum draws)."""
    async with Session(base, "cnn-explainer") as s:
        await s.run({}, until=lambda: s.widget_id("cnn_source") is not None)
        source, index = s.widget_id("cnn_source"), s.widget_id("cnn_example")
        await opened.wait()  # the class opens it at once
        seen = await s.run({source: ("string_value", "A test image")}, until=lambda: s.has_chart("cnn_overview"))
        index = s.widget_id("cnn_example")
        if example:  # a digit of one's own: every student a different test image
            seen = await s.run({index: ("double_value", float(example))}, until=lambda: s.has_chart("cnn_overview"))
        out["overview"].append(seen["settled_s"])
        out["errors"] += seen["exceptions"]
        step = s.widget_id("cnn_step")
        if step is None:
            raise RuntimeError("the CNN view drew no layer selector")
        seen = await s.run({step: ("string_value", "Convolution 2")}, fragment=s.fragment_of(step),
                           until=lambda: s.has_chart("cnn_conv_sum"))  # as the browser: the view's fragment
        out["unit"].append(seen["settled_s"])
        out["errors"] += seen["exceptions"]
        if not s.has_chart("cnn_conv_sum"):
            out["errors"].append("a unit opened without its sum")


async def _cnn_class(base: str, sessions: int, pid: int | None) -> dict:
    """A class opening the CNN view at once: all on the teacher's test image (one computation,
    shared), then each on a test image of its own. A first session loads the model."""
    async with Session(base, "cnn-explainer") as s:  # the teacher's first visit: loads the model
        await s.run({}, until=lambda: s.widget_id("cnn_source") is not None)
        await s.run({s.widget_id("cnn_source"): ("string_value", "A test image")},
                    until=lambda: s.has_chart("cnn_overview"))
    result = {"sessions": sessions}
    for name, examples in (("same_digit", [0] * sessions), ("own_digit", list(range(1, sessions + 1)))):
        out = {"overview": [], "unit": [], "errors": []}
        before, t0 = proc_stats(pid), time.perf_counter()
        opened = asyncio.Barrier(sessions)
        done = await asyncio.gather(*(_cnn_student(base, k, opened, out) for k in examples), return_exceptions=True)
        out["errors"] += [f"{type(r).__name__}: {r}" for r in done if isinstance(r, BaseException)]
        after = proc_stats(pid)
        result[name] = {"open_overview": percentiles(out["overview"]), "open_unit": percentiles(out["unit"]),
                        "wall_s": round(time.perf_counter() - t0, 1), "errors": out["errors"][:5]}
        if before and after:
            result[name]["server_cpu_s"] = round(after["cpu_s"] - before["cpu_s"], 1)
            result[name]["server_rss_mb"] = after["rss_mb"]
    result["errors"] = sum(len(result[n]["errors"]) for n in ("same_digit", "own_digit"))
    return result


async def _cost(base: str, drawings: list, pid: int, n: int) -> dict:
    """One session: server CPU per stroke (strokes back to back, nothing else happening), and
    per rerun of the sidebar's job list (its timer: 10 s without a job of its own, 2 s with one)."""
    async with Session(base, "classifier") as s:
        await s.run({}, until=lambda: s.canvas_id is not None)
        for _, canvas in drawings[:5]:  # warm: the model is loaded and compiled
            await s.run({s.canvas_id: _stroke(canvas)}, fragment=s.canvas_fragment)
        await asyncio.sleep(5)  # the page's background preparation (explanation graphs) ends
        strokes = [_stroke(canvas) for _, canvas in (drawings * (1 + n // len(drawings)))[:n]]  # n, cycling
        before = proc_stats(pid)
        for value in strokes:
            await s.run({s.canvas_id: value}, fragment=s.canvas_fragment)
        middle = proc_stats(pid)
        sidebar = next(iter(s.auto_reruns), "")
        for _ in range(n):
            await s.run({}, fragment=sidebar)
        after = proc_stats(pid)
    per = lambda a, b: round(1000 * (b["cpu_s"] - a["cpu_s"]) / n, 1)  # noqa: E731
    return {"strokes": n, "server_cpu_ms_per_stroke": per(before, middle),
            "server_cpu_ms_per_sidebar_rerun": per(middle, after)}


def wait_ready(url: str, timeout: float = 180) -> float:
    """Seconds from now until the server's ``/api/ready`` answers 200 (its start-up warm-up)."""
    import urllib.error
    import urllib.request

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        try:
            with urllib.request.urlopen(f"{url}/api/ready", timeout=5) as r:
                if r.status == 200:
                    return round(time.perf_counter() - t0, 1)
        except (urllib.error.HTTPError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} was not ready within {timeout} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--gan", action="store_true", help="draw while a DCGAN trains in the server")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="instead: time opening the occlusion map for N drawings, fresh and shared")
    parser.add_argument("--cnn", action="store_true",
                        help="instead: the class opens the CNN view at once (a test image, then a Conv 2 unit), "
                             "first all on one digit, then each on its own (with --sessions)")
    parser.add_argument("--cost", type=int, default=0, metavar="N",
                        help="instead: server CPU per stroke of one session, N strokes back to back")
    parser.add_argument("--cold", action="store_true",
                        help="no teacher first: the class opens the page of a server the bench just started")
    parser.add_argument("--arrive", choices=["ready", "health"], default="ready",
                        help="with --cold: the class arrives when /api/ready says ready (as a proxy "
                             "routes), or at the first /_stcore/health (before the warm-up ends)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    drawings = make_drawings(seed=args.seed)
    server = Server().start(timeout=120)
    ready_s = wait_ready(server.url) if args.cold and args.arrive == "ready" else None
    try:
        if args.cnn:
            result = asyncio.run(_cnn_class(server.url, args.sessions, server.proc.pid))
        elif args.explain:
            result = asyncio.run(_explain(server.url, drawings[:args.explain]))
        elif args.cost:
            result = asyncio.run(_cost(server.url, drawings, server.proc.pid, args.cost))
        else:
            result = load(server.url, args.sessions, args.rounds, drawings, args.gan, server.proc.pid,
                          cold=args.cold)
            result.update(cold=args.cold, arrive=args.arrive if args.cold else None,
                          ready_after_health_s=ready_s)
    finally:
        server.stop()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result.get("errors", 0) == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
