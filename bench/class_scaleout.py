"""The class bench through the proxy: one lab replica, then two, behind HAProxy.

    nice -n 10 python -m bench.class_scaleout [--sessions 60] [--rounds 3] [--json out.json]

Runs ``bench.drawing_load``'s class (websocket sessions opening the classifier page, then
drawing digits) against HAProxy configured as ``deploy/haproxy.cfg`` (cookie stickiness),
first with one replica behind it and then with two, the replicas using the queue backend
(a ``redis-server`` on a loopback port; no training runs). Every replica has loaded the
model (one teacher session each, straight to the replica) before the class starts. Each session first GETs the page
to receive the ``SERVERID`` cookie and sends it with its websocket upgrade and media
requests (``bench.ws_session.Session.sticky_cookies``). Reports both runs side by side, the
sessions per replica, each replica's CPU and memory, and the p50/p95 ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drawing_load import load, make_drawings, teacher  # noqa: E402
from bench.ws_session import Session, proc_stats  # noqa: E402
from tests.serve.conftest import Proxy, RedisServer, Replica  # noqa: E402


def run(replicas: int, sessions: int, rounds: int, drawings: list, redis_url: str, seed: int) -> dict:
    """The class through HAProxy with ``replicas`` lab processes; ``load``'s summary plus routing."""
    random.seed(seed)
    home = tempfile.mkdtemp(prefix="nnlab-scaleout-")
    env = {"NNLAB_JOBS": redis_url, "NNLAB_HOME": home, "STREAMLIT_SERVER_COOKIE_SECRET": "bench"}
    labs = {f"lab{i + 1}": Replica(env, home).start() for i in range(replicas)}
    started: list = list(labs.values())
    try:
        for lab in labs.values():
            lab.wait_healthy(timeout=180)
        for lab in labs.values():  # every replica loads the model first, not only the teacher's
            asyncio.run(teacher(lab.url, drawings[-1][1]))
        proxy = Proxy({name: lab.port for name, lab in labs.items()}, home).start()
        started.append(proxy)
        Session.sticky_cookies, Session.routes = True, type(Session.routes)()
        result = load(proxy.url, sessions, rounds, drawings)
        result["sessions_per_replica"] = dict(Session.routes)
        result["replicas"] = {name: proc_stats(lab.proc.pid) for name, lab in labs.items()}
        return result
    finally:
        Session.sticky_cookies = False
        for service in reversed(started):
            service.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    drawings = make_drawings(seed=args.seed)
    redis = RedisServer().start()
    try:
        runs = {n: run(n, args.sessions, args.rounds, drawings, redis.url, args.seed) for n in (1, 2)}
    finally:
        redis.stop()
    one, two = runs[1]["stroke_to_prediction"], runs[2]["stroke_to_prediction"]
    ratio = {k: round(two[k] / one[k], 2) for k in ("p50_ms", "p95_ms") if one.get(k) and two.get(k)}
    result = {"one_replica": runs[1], "two_replicas": runs[2], "two_over_one": ratio}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if all(r["errors"] == 0 for r in runs.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
