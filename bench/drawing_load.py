"""Thirty students drawing at once: real websocket sessions against one ``streamlit run`` server.

    python -m bench.drawing_load [--sessions 30] [--rounds 3] [--json out.json]

Each session speaks Streamlit's own browser protocol over its own websocket (no browser:
thirty Chromium instances alone would swamp a 2-core machine and measure the browsers). A
session opens the classifier page, finds the drawing canvas among the elements the server
sends, and then "draws": it sends the canvas state a browser sends after a stroke, a PNG
of a digit on the 280×280 canvas (MNIST test digits drawn as on the canvas, see
``bench.synthetic_canvas``). The latency is from sending that state to receiving the
"Prediction" metric; the run also counts wrong readings, exception boxes and timeouts.
Drawings are staggered randomly over a second, like a class told "draw now", and every
wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import websockets
from PIL import Image
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_canvas import draw  # noqa: E402
from core.data import load_mnist  # noqa: E402
from tests.e2e.conftest import Server  # noqa: E402

FINISHED = (ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
            ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
WAIT_S = 180  # longest wait for any one answer from the server


def data_url(canvas: np.ndarray) -> str:
    """A canvas image ``(280, 280, 4) uint8`` as the PNG data URL the canvas component sends."""
    buf = io.BytesIO()
    Image.fromarray(canvas, "RGBA").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class Session:
    """One browser-like websocket session (Streamlit's protobuf messages)."""

    def __init__(self, ws):
        self.ws = ws
        self.canvas_id: str | None = None
        self.fragment_id = ""  # the canvas's fragment: a stroke reruns only it, as in a browser

    async def rerun(self, widget_states: dict[str, str] | None = None) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name = "lang=en", "classifier"
        if widget_states:
            state.fragment_id = self.fragment_id
        for wid, value in (widget_states or {}).items():
            w = state.widget_states.widgets.add()
            w.id, w.json_value = wid, value
        await self.ws.send(msg.SerializeToString())

    async def until_finished(self, t0: float) -> dict:
        """Read messages until a full run finishes: prediction, its latency, exception texts."""
        seen: dict = {"prediction": None, "latency": None, "exceptions": [], "fragment": False}
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), WAIT_S))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "bidi_component" and "classifier_canvas_" in el.bidi_component.id:
                    self.canvas_id, self.fragment_id = el.bidi_component.id, fwd.delta.fragment_id
                elif which == "metric" and el.metric.label == "Prediction" and seen["prediction"] is None:
                    seen["prediction"], seen["latency"] = el.metric.body, time.perf_counter() - t0
                elif which == "exception":
                    seen["exceptions"].append(f"{el.exception.type}: {el.exception.message}")
            elif kind == "script_finished" and fwd.script_finished in FINISHED:
                seen["fragment"] = fwd.script_finished == FINISHED[1]
                return seen


async def student(url: str, drawings: list, rounds: int, ready: asyncio.Barrier, out: dict) -> None:
    """One student: open the page, wait for the class, then draw ``rounds`` of ``drawings`` in turn."""
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=WAIT_S) as ws:
        s = Session(ws)
        await s.rerun()
        first = await s.until_finished(time.perf_counter())
        out["errors"] += first["exceptions"]
        if s.canvas_id is None:
            raise RuntimeError("the classifier page sent no drawing canvas")
        await ready.wait()
        for label, canvas in drawings[:rounds]:
            await asyncio.sleep(random.random())  # "draw now": strokes end within a second
            value = json.dumps({"drawing": {"raw": {"objects": [], "background": "#000000"},
                                            "data": data_url(canvas)}})
            t0 = time.perf_counter()
            await s.rerun({s.canvas_id: value})
            seen = await s.until_finished(t0)
            out["errors"] += seen["exceptions"]
            if seen["latency"] is None:
                out["errors"].append("a drawing got no prediction")
                continue
            out["latencies"].append(seen["latency"])
            out["fragment_runs"] += seen["fragment"]
            out["correct"] += seen["prediction"] == str(label)
            await asyncio.sleep(1 + random.random())  # looking at the answer before the next digit


async def _run(url: str, sessions: int, rounds: int, drawings: list) -> dict:
    out = {"latencies": [], "errors": [], "correct": 0, "fragment_runs": 0}
    ready = asyncio.Barrier(sessions)
    # session i draws drawings i*rounds ... i*rounds + rounds - 1 (cycling): a fixed set per run
    mine = [[drawings[(i * rounds + r) % len(drawings)] for r in range(rounds)] for i in range(sessions)]
    results = await asyncio.gather(*(student(url, mine[i], rounds, ready, out) for i in range(sessions)),
                                   return_exceptions=True)
    out["errors"] += [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
    return out


def make_drawings(n: int = 100, seed: int = 0) -> list[tuple[int, np.ndarray]]:
    """``n`` (label, 280×280 RGBA canvas) pairs drawn from official MNIST test digits."""
    (_, _), (x, y) = load_mnist()
    rng = np.random.default_rng(seed)
    return [(int(y[i]), draw(x[i], "light", rng)) for i in rng.choice(len(x), n, replace=False)]


def load(base_url: str, sessions: int, rounds: int, drawings: list) -> dict:
    """Run the class against a server at ``base_url`` (``http://host:port``); the summary dict."""
    url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    t0 = time.perf_counter()
    out = asyncio.run(_run(url, sessions, rounds, drawings))
    return summary(out, sessions, rounds, time.perf_counter() - t0)


def summary(out: dict, sessions: int, rounds: int, seconds: float) -> dict:
    lat = sorted(1000 * v for v in out["latencies"])
    pct = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 1)) if lat else (lambda q: None)
    return {"sessions": sessions, "rounds": rounds, "drawings_sent": sessions * rounds,
            "predictions": len(lat), "answered_by_fragment_rerun": out["fragment_runs"],
            "correct": out["correct"], "errors": len(out["errors"]),
            "error_examples": out["errors"][:5], "p50_ms": pct(0.5), "p95_ms": pct(0.95),
            "max_ms": round(lat[-1], 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None, "wall_s": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    drawings = make_drawings(seed=args.seed)
    server = Server().start(timeout=120)
    try:
        result = load(server.url, args.sessions, args.rounds, drawings)
    finally:
        server.stop()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
