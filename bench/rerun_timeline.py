"""When each message of one rerun reaches the browser: a timeline per rerun, one session.

    python -m bench.rerun_timeline [--repeat 5]

One session opens the classifier page, draws a digit, then opens and closes the occlusion
map's expander ``--repeat`` times (the map is a shared cache hit after the first opening)
and draws again. For each rerun it prints the milliseconds from sending to each message's
arrival. A healthy rerun streams its messages as the script makes them; a gap after the
first message that ends together for all the rest is the network holding them (this is how
the Nagle delay fixed by ``ui.runtime.tcp_nodelay`` was found, see docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drawing_load import _stroke, make_drawings  # noqa: E402
from bench.ws_session import Session  # noqa: E402
from tests.e2e.conftest import Server  # noqa: E402


class TimedSession(Session):
    """A session that notes when each message of the current rerun arrived."""

    def _handle(self, fwd) -> None:
        run = self._current
        if run is not None:
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                kind = fwd.delta.WhichOneof("type")
            run.setdefault("log", []).append((round(1000 * (time.perf_counter() - run["t0"]), 1), kind))
        super()._handle(fwd)


def _line(name: str, run: dict) -> str:
    log = run.get("log", [])
    first = log[0][0] if log else None
    gap = max((b[0] - a[0] for a, b in zip(log, log[1:])), default=0.0)
    return (f"{name:6} settled {1000 * run['settled_s']:6.1f} ms | first message {first} ms | "
            f"largest gap between messages {gap:.1f} ms | {len(log)} messages")


async def timeline(base: str, repeat: int) -> None:
    drawings = make_drawings(n=8)
    async with TimedSession(base, "classifier") as s:
        await s.run({}, until=lambda: s.canvas_id is not None)
        for _, canvas in drawings[:4]:  # warm: model loaded and compiled
            await s.run({s.canvas_id: _stroke(canvas)}, fragment=s.canvas_fragment)
        await asyncio.sleep(5)  # the page's background preparation ends
        value = _stroke(drawings[5][1])
        print(_line("stroke", await s.run({s.canvas_id: value}, fragment=s.canvas_fragment)))
        box = s.expander_id("classifier_occlusion_open")
        for _ in range(repeat):
            print(_line("open", await s.run({s.canvas_id: value, box: True}, fragment=s.fragment_of(box),
                                            until=lambda: s.has_chart("classifier_occlusion"))))
            print(_line("close", await s.run({s.canvas_id: value, box: False}, fragment=s.fragment_of(box))))
        for _, canvas in drawings[:repeat]:
            print(_line("stroke", await s.run({s.canvas_id: _stroke(canvas)}, fragment=s.canvas_fragment)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    server = Server().start(timeout=120)
    try:
        asyncio.run(timeline(server.url, args.repeat))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
