"""A drawing canvas that sends the drawing the moment the pen lifts.

The lab's canvases need one thing: free-hand white ink on black, sent to the server after
each stroke. The ``streamlit-drawable-canvas`` component sent it 200 ms after the mouse-up
(a fixed debounce in its JavaScript), which was most of the time between a student's stroke
and the prediction on screen (issue 35). This small ``st.components.v2`` component draws with
pointer events (mouse, pen and finger alike; the page does not scroll under a finger) and
calls ``setStateValue`` on pointer-up, once per stroke.

The state it sends keeps the shape the earlier component used, ``{"drawing": {"raw": {...},
"data": "data:image/png;base64,..."}}``, so the class benchmark (``bench/ws_session.py``)
speaks to both.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import streamlit as st

_JS = r"""
const CANVASES = new WeakMap();  // parentElement -> its canvas state, kept across reruns

function paint(s) {
  const ctx = s.ctx;
  ctx.fillStyle = s.data.backgroundColor;
  ctx.fillRect(0, 0, s.canvas.width, s.canvas.height);
}

function point(s, ev) {
  const r = s.canvas.getBoundingClientRect();  // the canvas may be shown smaller (a phone)
  return [(ev.clientX - r.left) * s.canvas.width / r.width, (ev.clientY - r.top) * s.canvas.height / r.height];
}

function line(s, from, to) {
  const ctx = s.ctx;
  ctx.strokeStyle = s.data.strokeColor;
  ctx.lineWidth = s.data.strokeWidth;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(from[0], from[1]);
  ctx.lineTo(to[0], to[1]);
  ctx.stroke();
}

function make(parentElement) {
  const canvas = document.createElement("canvas");
  canvas.className = "sketch";
  canvas.style.touchAction = "none";  // a finger draws; it does not scroll the page
  parentElement.appendChild(canvas);
  const s = { canvas, ctx: canvas.getContext("2d"), last: null, strokes: 0, data: null, send: null };
  canvas.addEventListener("pointerdown", (ev) => {
    if (s.data.disabled) return;
    canvas.setPointerCapture(ev.pointerId);
    s.last = point(s, ev);
    line(s, s.last, s.last);  // a tap leaves a dot
    ev.preventDefault();
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (s.last === null) return;
    const events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    for (const e of (events.length ? events : [ev])) {
      const p = point(s, e);
      line(s, s.last, p);
      s.last = p;
    }
    ev.preventDefault();
  });
  const lift = (ev) => {
    if (s.last === null) return;
    s.last = null;
    s.strokes += 1;
    // at once, not debounced: the prediction is what the student waits for
    s.send("drawing", { raw: { strokes: s.strokes }, data: canvas.toDataURL("image/png") });
    ev.preventDefault();
  };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  return s;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let s = CANVASES.get(parentElement);
  if (!s) {
    s = make(parentElement);
    CANVASES.set(parentElement, s);
  }
  const resized = s.canvas.width !== data.width || s.canvas.height !== data.height;
  s.data = data;
  s.send = setStateValue;
  s.canvas.setAttribute("role", "img");
  s.canvas.setAttribute("aria-label", data.label);
  if (resized) {
    s.canvas.width = data.width;
    s.canvas.height = data.height;
    s.canvas.style.width = data.width + "px";
    paint(s);
  }
  return () => {
    s.canvas.remove();
    CANVASES.delete(parentElement);
  };
}
"""

_CSS = """
.sketch { display: block; max-width: 100%; height: auto; cursor: crosshair;
          border: 1px solid rgba(128, 128, 128, 0.5); border-radius: 4px; }
"""

_component = st.components.v2.component("nnlab.sketch", js=_JS, css=_CSS, html="")


def sketch(key: str, label: str, stroke: int = 20, size: int = 280,
           ink: str = "#FFFFFF", paper: str = "#000000") -> np.ndarray | None:
    """Draw a ``size``×``size`` canvas; the drawing as ``(size, size, 4)`` RGBA ``uint8`` after
    the first stroke, else ``None``. ``label`` names it for screen readers (``aria-label``)."""
    data = {"width": size, "height": size, "strokeWidth": int(stroke), "strokeColor": ink,
            "backgroundColor": paper, "label": label, "disabled": False}
    result = _component(key=key, data=data, default={"drawing": {"raw": {"strokes": 0}, "data": None}},
                        on_drawing_change=lambda: None, width="content", height="content")
    drawing = result.get("drawing") or {}
    return decode(drawing.get("data"), size)


MAX_URL_CHARS = 2_000_000  # a 280×280 PNG is a few kB; anything far larger is not our canvas


def decode(url: str | None, size: int = 280) -> np.ndarray | None:
    """A ``data:image/png;base64,...`` URL as a ``(size, size, 4)`` RGBA ``uint8`` array; ``None``
    for no URL or for anything that is not a PNG of exactly that size (checked from its header,
    before decoding: the browser's message is not trusted)."""
    if not isinstance(url, str) or not url.startswith("data:image/png;base64,") or len(url) > MAX_URL_CHARS:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1], validate=True))) as img:
            if img.format != "PNG" or img.size != (size, size):
                return None
            return np.asarray(img.convert("RGBA"))
    except (ValueError, OSError, UnidentifiedImageError):
        return None
