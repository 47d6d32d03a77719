"""A class challenge under load: 30 websocket sessions draw and send while the teacher watches.

    python -m bench.classroom_load [--sessions 30] [--rounds 3] [--seed 0] [--json out.json]

One ``streamlit run`` server (files backend). The teacher's session opens the classroom page,
types the teacher key, opens the Challenge tab and starts "everyone draw a 7"; its live view
then reruns on its own timer (``view_live.LIVE_S``) as the browser would. Each student (as in
``bench.drawing_load``: Streamlit's browser protocol over its own websocket) opens the
classifier page, draws ``rounds`` official MNIST 7s in 1-3 strokes each and presses "Send to the
class" after the last stroke. Reported:

- **stroke -> settled** (the class goal: p95 <= 500 ms) and **send -> settled**, per student;
- **teacher view update**: for the k-th drawing stored, the time from its "Send" leaving the
  student to the teacher's live view showing at least k drawings (conservative: it counts the
  send's own round trip and the timer's wait); and the same from the moment the student's page
  said "Sent" (``teacher_view_update_after_sent``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drawing_load import _stroke, make_drawings, strokes, wait_ready  # noqa: E402
from bench.ws_session import Session, percentiles, proc_stats  # noqa: E402
from tests.e2e.conftest import Server  # noqa: E402

KEY = "bench-teacher-key-1"
TARGET = 7
COUNT = re.compile(r"Drawings for this challenge: (\d+) \(students: (\d+)\)")


class Teacher(Session):
    """A session that also finds text inputs and the page's tabs (the teacher's key, the tabs)."""

    def _element(self, el, fragment_id: str) -> None:
        if el.WhichOneof("type") == "text_input":
            self.widgets[el.text_input.id] = fragment_id
        super()._element(el, fragment_id)

    def _handle(self, fwd) -> None:
        if fwd.WhichOneof("type") == "delta" and fwd.delta.WhichOneof("type") == "add_block":
            block = fwd.delta.add_block
            if block.WhichOneof("type") == "tab_container" and block.tab_container.id:
                self.widgets[block.tab_container.id] = fwd.delta.fragment_id
        super()._handle(fwd)

    def count(self) -> int | None:
        found = [COUNT.search(text) for text in self.texts]
        return next((int(m.group(1)) for m in found if m), None)


async def open_challenge(t: Teacher) -> str:
    """Teacher mode, the Challenge tab, start; the live fragment's id."""
    await t.run({})
    await t.run({t.widget_id("app_teacher_input"): ("string_value", KEY)})
    tabs = t.widget_id("classroom_tab")
    if tabs is None:
        raise RuntimeError("the classroom page showed no tabs: teacher mode is off")
    t.auto_reruns.clear()  # the first tab's live fragment is gone with it
    await t.run({tabs: ("string_value", "Challenge")})
    await t.run({t.widget_id("classroom_start"): True}, trigger=True)
    live = [f for f, every in t.auto_reruns.items() if every < 2]
    if not live:
        raise RuntimeError("the Challenge tab has no live fragment")
    return live[0]


async def watch(t: Teacher, live: str, every: float, out: dict, done: asyncio.Event) -> None:
    """The browser's timer on the live view: a rerun every ``every`` s; (time, count) seen."""
    while not done.is_set() or (out["seen"] and out["seen"][-1][1] < len(out["sends"])):
        t0 = time.perf_counter()
        seen = await t.run({}, fragment=live)
        out["teacher_runs"].append(seen["settled_s"])
        out["errors"] += seen["exceptions"]
        out["seen"].append((time.perf_counter(), t.count() or 0))
        if done.is_set() and time.perf_counter() - out["end"] > 15:
            break
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - t0)))


async def student(base: str, drawings: list, opened: asyncio.Barrier, out: dict) -> None:
    async with Session(base, "classifier") as s:
        await opened.wait()
        seen = await s.run({}, until=lambda: s.canvas_id is not None)
        out["errors"] += seen["exceptions"]
        s.start_ticks()
        for _, canvas in drawings:
            await asyncio.sleep(random.random())  # "draw now": strokes start within a second
            for image in strokes(canvas, random.randint(1, 3)):
                seen = await s.run({s.canvas_id: _stroke(image)}, fragment=s.canvas_fragment,
                                   until=lambda: s.metrics.get("Prediction") is not None)
                out["errors"] += seen["exceptions"]
                out["settled"].append(seen["settled_s"])
                await asyncio.sleep(0.2 + 0.3 * random.random())
            send = s.widget_id("classifier_class_send")
            if send is None:
                out["errors"].append("no 'Send to the class' button")
                continue
            seen = await s.run({send: True}, fragment=s.fragment_of(send), trigger=True)
            out["sends"].append((seen["t0"], seen["t0"] + seen["settled_s"]))
            out["send_settled"].append(seen["settled_s"])
            out["errors"] += seen["exceptions"]
            await asyncio.sleep(1 + random.random())
        s.stop_ticks()


def update_delays(sends: list, seen: list, after_sent: bool = False) -> list[float]:
    """Per stored drawing k (sends in the order they finished): first time the teacher's view
    showed >= k drawings, minus that send's start (``after_sent``: minus the moment the student's
    page had settled on "Sent to the class", 0 if the teacher saw it first)."""
    delays = []
    for k, (start, end) in enumerate(sorted(sends, key=lambda s: s[1]), 1):
        shown = next((when for when, n in seen if n >= k and when >= start), None)
        if shown is not None:
            delays.append(max(0.0, shown - end) if after_sent else shown - start)
    return delays


async def _class(base: str, sessions: int, rounds: int, drawings: list, pid: int | None) -> dict:
    out = {"settled": [], "send_settled": [], "sends": [], "seen": [], "teacher_runs": [], "errors": [],
           "end": 0.0}
    async with Session(base, "classifier") as warm:  # the first visit loads and compiles the model
        await warm.run({}, until=lambda: warm.canvas_id is not None)
        await warm.run({warm.canvas_id: _stroke(drawings[0][1])}, fragment=warm.canvas_fragment)
    async with Teacher(base, "classroom") as t:
        live = await open_challenge(t)
        every = t.auto_reruns[live]
        done = asyncio.Event()
        watcher = asyncio.create_task(watch(t, live, every, out, done))
        before, t0 = proc_stats(pid), time.perf_counter()
        opened = asyncio.Barrier(sessions)
        mine = [[drawings[(i * rounds + r) % len(drawings)] for r in range(rounds)] for i in range(sessions)]
        results = await asyncio.gather(*(student(base, mine[i], opened, out) for i in range(sessions)),
                                       return_exceptions=True)
        out["errors"] += [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
        out["end"] = time.perf_counter()
        done.set()
        await asyncio.wait_for(watcher, 60)
        after = proc_stats(pid)
    delays = update_delays(out["sends"], out["seen"])
    return {"sessions": sessions, "rounds": rounds, "strokes": len(out["settled"]), "sends": len(out["sends"]),
            "teacher_live_every_s": every, "stroke_to_settled": percentiles(out["settled"]),
            "send_to_settled": percentiles(out["send_settled"]),
            "teacher_view_update": percentiles(delays),
            "teacher_view_update_after_sent": percentiles(update_delays(out["sends"], out["seen"], after_sent=True)),
            "teacher_rerun": percentiles(out["teacher_runs"]),
            "teacher_saw": out["seen"][-1][1] if out["seen"] else 0,
            "errors": len(out["errors"]), "error_examples": out["errors"][:5],
            "server_cpu_s": round(after["cpu_s"] - before["cpu_s"], 1) if before and after else None,
            "wall_s": round(time.perf_counter() - t0, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="drawings each student sends (at most 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    sevens = [d for d in make_drawings(n=400, seed=args.seed) if d[0] == TARGET]
    server = Server(env={"NNLAB_TEACHER_KEY": KEY}).start(timeout=120)
    try:
        wait_ready(server.url)
        load_before = os.getloadavg()[0]
        result = asyncio.run(_class(server.url, args.sessions, args.rounds, sevens, server.proc.pid))
        result["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    finally:
        server.stop()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["errors"] == 0 and result["teacher_saw"] == result["sends"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
