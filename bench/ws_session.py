"""A browser-like Streamlit session over one websocket, for load benches (no browser needed).

It sends what the page's JavaScript sends (``BackMsg`` protobufs: reruns with every widget's
current state, fragment reruns, the auto-reruns of ``st.fragment(run_every=...)`` on their
timers) and reads what the server sends back (``ForwardMsg``: elements, fragments, finished
runs), fetching the media files a run references over HTTP as a browser does.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import io
import os
import statistics
import time
import urllib.request
from collections.abc import Callable
from http.cookies import SimpleCookie

import numpy as np
import websockets
from PIL import Image
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = (ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
            ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
WAIT_S = 180  # longest wait for any one answer from the server


def data_url(canvas: np.ndarray) -> str:
    """A canvas image ``(280, 280, 4) uint8`` as the PNG data URL the canvas component sends."""
    buf = io.BytesIO()
    Image.fromarray(canvas, "RGBA").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class Session:
    """One student's browser tab on ``page`` of the server at ``base`` (``http://host:port``).

    Behind a cookie-sticky proxy (``deploy/haproxy.cfg``) set ``Session.sticky_cookies = True``:
    each session then first GETs the page, as a browser does, keeps the cookies it receives
    (HAProxy's ``SERVERID``) and sends them with the websocket upgrade and every media request,
    so all of its traffic reaches one replica. ``Session.routes`` counts sessions per
    ``SERVERID``.
    """

    sticky_cookies = False
    routes: collections.Counter = collections.Counter()

    def __init__(self, base: str, page: str, lang: str = "en"):
        self.base, self.page, self.lang = base, page, lang
        self.canvas_id: str | None = None
        self.canvas_fragment = ""  # the canvas's fragment: a stroke reruns only it, as in a browser
        self.metrics: dict[str, str] = {}
        self.texts: list[str] = []  # markdown and captions of the last run
        self.widgets: dict[str, str] = {}  # widget id -> the fragment it is drawn in ("" = none)
        self.states: dict[str, tuple[str, object]] = {}  # what the browser would send back
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval (s)
        self._charts: set[str] = set()
        self._finished = asyncio.Event()
        self._current: dict | None = None
        self._until: Callable[[], bool] | None = None
        self._lock = asyncio.Lock()  # one request at a time, like one tab
        self._tickers: list[asyncio.Task] = []
        self.cookie = ""  # the Cookie header this tab sends (sticky_cookies)

    async def __aenter__(self) -> Session:
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        headers = {}
        if self.sticky_cookies:
            self.cookie = await asyncio.to_thread(_cookies, f"{self.base}/{self.page}?lang={self.lang}")
            headers["Cookie"] = self.cookie
            jar = SimpleCookie(self.cookie)
            Session.routes[jar["SERVERID"].value if "SERVERID" in jar else "none"] += 1
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=WAIT_S,
                                           additional_headers=headers)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        self.stop_ticks()
        self._reader.cancel()
        await self.ws.close()

    # ------------------------------------------------------------ what the server says
    async def _read(self) -> None:
        with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                self._handle(fwd)

    def _handle(self, fwd: ForwardMsg) -> None:
        kind, run = fwd.WhichOneof("type"), self._current
        if kind == "auto_rerun":
            self.auto_reruns[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            self._element(fwd.delta.new_element, fwd.delta.fragment_id)
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
            block = fwd.delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self.widgets[block.expandable.id] = fwd.delta.fragment_id
        elif kind == "script_finished" and run is not None and fwd.script_finished in FINISHED:
            run["fragment"] = fwd.script_finished == FINISHED[1]
            if run["marker_s"] is not None or self._until is None:
                self._finished.set()
        if run is not None and run["marker_s"] is None and self._until is not None and self._until():
            run["marker_s"] = time.perf_counter() - run["t0"]

    def _element(self, el, fragment_id: str) -> None:
        which, run = el.WhichOneof("type"), self._current
        if which == "bidi_component" and "classifier_canvas_" in el.bidi_component.id:
            self.canvas_id, self.canvas_fragment = el.bidi_component.id, fragment_id
        elif which == "markdown":
            self.texts.append(el.markdown.body)
        elif which == "metric":
            self.metrics[el.metric.label] = el.metric.body
        elif which == "plotly_chart":
            self._charts.add(el.plotly_chart.id)
        elif which in ("button", "radio", "selectbox", "number_input"):
            self.widgets[getattr(el, which).id] = fragment_id
        elif which == "imgs" and run is not None:
            run["media"] += [img.url for img in el.imgs.imgs if img.url.startswith("/")]
        elif which == "exception" and run is not None:
            run["exceptions"].append(f"{el.exception.type}: {el.exception.message}")

    def widget_id(self, key: str) -> str | None:
        """The id of the widget (or stateful expander) whose user key is ``key``."""
        return next((w for w in self.widgets if w.endswith(f"-{key}") or w.endswith(key)), None)

    expander_id = widget_id

    def fragment_of(self, widget: str) -> str:
        """The fragment a widget is drawn in: its change reruns that fragment alone."""
        return self.widgets.get(widget, "")

    def has_chart(self, key: str) -> bool:
        return any(key in c for c in self._charts)

    # ------------------------------------------------------------ what the browser sends
    async def _send(self, fragment: str = "", auto: bool = False, trigger: dict | None = None) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name = f"lang={self.lang}", self.page
        state.fragment_id, state.is_auto_rerun = fragment, auto
        for wid, (field, value) in {**self.states, **(trigger or {})}.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            setattr(w, field, value)
        await self.ws.send(msg.SerializeToString())

    async def run(self, values: dict, fragment: str = "", until: Callable[[], bool] | None = None,
                  trigger: bool = False) -> dict:
        """Set widget ``values`` (JSON strings, booleans for expanders and buttons, or
        ``(field, value)`` pairs such as ``("string_value", label)`` for radios and selectboxes), rerun
        (``fragment`` only, if given) and wait until ``until()`` holds and the run finished;
        then fetch its media. Times in seconds from sending."""
        async with self._lock:
            trig = {}
            for wid, value in values.items():
                if trigger:
                    trig[wid] = ("trigger_value", bool(value))
                elif isinstance(value, tuple):  # (field, value): ("string_value", "A test image")
                    self.states[wid] = value
                else:
                    self.states[wid] = ("bool_value" if isinstance(value, bool) else "json_value", value)
            self.metrics, self._charts, self.texts = {}, set(), []
            run = {"t0": time.perf_counter(), "marker_s": None, "settled_s": None, "fragment": False,
                   "exceptions": [], "media": []}
            self._current, self._until = run, until
            self._finished.clear()
            await self._send(fragment, trigger=trig)
            await asyncio.wait_for(self._finished.wait(), WAIT_S)
            await asyncio.gather(*(asyncio.to_thread(_fetch, self.base + url, self.cookie) for url in run["media"]))
            run["settled_s"] = time.perf_counter() - run["t0"]
            self._current = self._until = None
            return run

    def start_ticks(self) -> None:
        """Send the auto-reruns of ``run_every`` fragments on their timers, like the browser."""
        async def tick(fragment: str, interval: float) -> None:
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                while True:
                    await asyncio.sleep(interval)
                    if not self._lock.locked():  # the browser's timer; skip while this tab waits
                        await self._send(fragment, auto=True)
        self._tickers = [asyncio.create_task(tick(f, i)) for f, i in self.auto_reruns.items() if i > 0]

    def stop_ticks(self) -> None:
        for task in self._tickers:
            task.cancel()
        self._tickers = []


def _fetch(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=WAIT_S) as r:
        return len(r.read())


def _cookies(url: str) -> str:
    """GET ``url`` and return the cookies it set, as a ``Cookie`` request header."""
    with urllib.request.urlopen(url, timeout=WAIT_S) as r:
        r.read()
        jar = SimpleCookie()
        for header in r.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def proc_stats(pid: int | None) -> dict | None:
    """CPU seconds (all threads, user + system) and resident memory of process ``pid``."""
    if pid is None:
        return None
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        rss_kb = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS"))
    except (OSError, StopIteration):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return {"cpu_s": (int(fields[11]) + int(fields[12])) / ticks, "rss_mb": round(rss_kb / 1024, 1)}


def percentiles(values: list[float]) -> dict:
    """p50, p95 and max of ``values`` (seconds) in milliseconds."""
    if not values:
        return {"n": 0}
    ms = sorted(1000 * v for v in values)
    pick = lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 1)  # noqa: E731
    return {"n": len(ms), "p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": round(ms[-1], 1),
            "mean_ms": round(statistics.fmean(ms), 1)}


def summary(out: dict, seconds: float) -> dict:
    """The JSON-able report of a class run (``out`` as filled by ``bench.drawing_load``)."""
    return {"digits": out["digits"], "correct": out["correct"], "strokes": len(out["prediction"]),
            "answered_by_fragment_rerun": out["fragment_runs"], "errors": len(out["errors"]),
            "error_examples": out["errors"][:5],
            "open_to_canvas": percentiles(out["open_canvas"]), "open_settled": percentiles(out["open_settled"]),
            "stroke_to_prediction": percentiles(out["prediction"]),
            "stroke_to_settled": percentiles(out["settled"]), "wall_s": round(seconds, 1)}
