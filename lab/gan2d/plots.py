"""The two-dimensional GAN's pictures: the plane (D's map, real and fake points, G's push,
G's manifold, the places a click adds a point) and the curves of the losses and the distance.

Data in, figure out; never Streamlit. Real points are green circles, fake ones purple
diamonds, so the plane reads without colour too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from lab.gan2d.maths import VIEW
from ui.plots import base_layout, new_figure

REAL, FAKE = "#1b9e77", "#7b3294"  # green (real) and purple (fake), as on D's map below
# D's map: purple where D says "fake", white in between, green where it says "real"
MAP_SCALE = [[0, "#c2a5cf"], [0.5, "#f7f7f7"], [1, "#a6dba0"]]
CLICK_STEP = 0.125  # a clickable place every 0.125 over the plane: 33 × 33 places
ARROW_LONGEST = 0.35  # the longest push arrow, in plane units (the others to scale)
LAYERS = ("real", "fake", "map", "arrows", "manifold")  # what the plane can show, each on/off


def _segments(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y arrays drawing one segment per row, separated by NaN (a gap: one trace, many lines)."""
    gap = np.full(len(starts), np.nan)
    return (np.stack([starts[:, 0], ends[:, 0], gap], 1).ravel(),
            np.stack([starts[:, 1], ends[:, 1], gap], 1).ravel())


def _curves(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y arrays drawing each curve ``lines[i]`` ``(points, 2)``, separated by NaN."""
    flat = np.concatenate([lines, np.full((len(lines), 1, 2), np.nan)], 1).reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


def map_range(values: np.ndarray, loss: str) -> tuple[float, float]:
    """The colour range of D's map: [0, 1] for a probability; for a critic, symmetric around
    its middle value, so that white marks where it is undecided between real and fake."""
    if loss == "gan":
        return 0.0, 1.0
    mid = float(np.median(values))
    half = float(np.abs(values - mid).max()) or 1.0
    return mid - half, mid + half


def click_places(hint: str) -> go.Scatter:
    """Invisible markers over the plane: plotly sends no selection for a click on empty space,
    so each place a point may go holds one (with ``selection_mode="points"``, a click returns it)."""
    ticks = np.round(np.arange(-VIEW + CLICK_STEP, VIEW, CLICK_STEP), 3)
    xx, yy = np.meshgrid(ticks, ticks)
    return go.Scatter(x=xx.ravel(), y=yy.ravel(), mode="markers", showlegend=False, name=hint,
                      marker=dict(size=12, symbol="square", color="rgba(0,0,0,0)"),
                      hovertemplate=f"(%{{x:.2f}}, %{{y:.2f}}) {hint}<extra></extra>")


def plane(real: np.ndarray, snap: Mapping | None, show: Sequence[str], names: Mapping[str, str],
          title: str = "", clickable: bool = False, height: int = 520) -> go.Figure:
    """The GAN's plane. ``snap`` is ``Gan2dTrainer.snapshot()`` (``None``: real points only);
    ``show`` names the layers drawn (``LAYERS``); ``names`` gives each layer's legend name
    (and ``"hint"``, ``"map"``'s colour bar title). With ``clickable`` the first trace is
    ``click_places``: a click there gives its ``x``, ``y`` (``clicked_point``)."""
    traces: list = [click_places(names.get("hint", ""))] if clickable else []
    if snap is not None and "map" in show:
        low, high = map_range(snap["map"], snap["loss"])
        traces.append(go.Heatmap(x=snap["axis"], y=snap["axis"], z=snap["map"], zmin=low, zmax=high,
                                 colorscale=MAP_SCALE, name=names["map"], hoverinfo="skip",
                                 colorbar=dict(thickness=10, len=0.6, title=dict(text=names["map_bar"], side="right"))))
    if snap is not None and "manifold" in show:
        xs, ys = _curves(snap["manifold"])
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", name=names["manifold"], hoverinfo="skip",
                                 line=dict(color="rgba(90,90,90,0.55)", width=1)))
    if "real" in show and len(real):
        traces.append(go.Scatter(x=real[:, 0], y=real[:, 1], mode="markers", name=names["real"], hoverinfo="skip",
                                 marker=dict(size=6, color=REAL, symbol="circle", line=dict(color="white", width=0.5))))
    if snap is not None and "arrows" in show:
        push = np.asarray(snap["push"], float)
        longest = float(np.linalg.norm(push, axis=1).max()) or 1.0
        xs, ys = _segments(snap["fake"], snap["fake"] + push * (ARROW_LONGEST / longest))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", name=names["arrows"], hoverinfo="skip",
                                 line=dict(color="#e66101", width=1.2)))
    if snap is not None and "fake" in show:
        traces.append(go.Scatter(x=snap["fake"][:, 0], y=snap["fake"][:, 1], mode="markers", name=names["fake"],
                                 hoverinfo="skip",
                                 marker=dict(size=6, color=FAKE, symbol="diamond", line=dict(color="white", width=0.5))))
    layout = base_layout(title, "x₁", "x₂", height, legend=False)
    # the legend under the plane: on a phone it wraps to several lines, and above it would cover the title
    layout["legend"] = dict(orientation="h", yanchor="top", y=-0.14, x=0)
    layout["xaxis"].update(range=[-VIEW, VIEW], zeroline=False, constrain="domain")
    layout["yaxis"].update(range=[-VIEW, VIEW], zeroline=False, scaleanchor="x", constrain="domain")
    layout.update(uirevision="gan2d", dragmode=False, clickmode="event+select" if clickable else "event")
    return new_figure(traces, layout=layout)


def clicked_point(event) -> tuple[float, float] | None:
    """``(x1, x2)`` of the clicked place in a clickable ``plane``'s selection event, if any."""
    points = [p for p in ((event or {}).get("selection", {}).get("points", []) if event else [])
              if p.get("curve_number", 0) == 0]
    return (float(points[0]["x"]), float(points[0]["y"])) if points else None


def thin(values: Sequence[float], most: int = 300) -> tuple[list[int], list[float]]:
    """Iteration numbers (1-based) and values of a per-iteration series, at most ``most`` of them
    (block means, so that a noisy loss reads as a curve; ``nan`` entries skipped)."""
    v = np.asarray(values, float)
    if not len(v):
        return [], []
    edges = np.unique(np.linspace(0, len(v), min(len(v), most) + 1).round().astype(int))
    xs, ys = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        block = v[lo:hi][~np.isnan(v[lo:hi])]
        if len(block):
            xs.append(int(hi))
            ys.append(float(block.mean()))
    return xs, ys


def losses(history: Mapping[str, Sequence[float]], names: Mapping[str, str], title: str,
           x_title: str, height: int = 300) -> go.Figure:
    """D's and G's losses over the iterations (block means: at most 300 points each)."""
    fig = new_figure()
    for key, colour in (("d_loss", "#1f77b4"), ("g_loss", "#d62728")):
        xs, ys = thin(history.get(key, []))
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=names[key], line=dict(color=colour)))
    fig.update_layout(base_layout(title, x_title, names["loss_axis"], height, legend=True))
    return fig


def distance(history: Mapping[str, Sequence[float]], names: Mapping[str, str], title: str,
             x_title: str, height: int = 300) -> go.Figure:
    """The distance between the real and the fake points, where it was measured."""
    at, values = list(history.get("distance_at", [])), list(history.get("distance", []))
    keep = np.unique(np.linspace(0, len(at) - 1, min(len(at), 300)).round().astype(int)) if at else []
    fig = new_figure(go.Scatter(x=[at[i] for i in keep], y=[values[i] for i in keep],
                               mode="lines+markers", name=names["distance"], marker=dict(size=4),
                               line=dict(color="#2ca02c")))
    fig.update_layout(base_layout(title, x_title, names["distance"], height))
    fig.update_yaxes(rangemode="tozero")
    return fig


def _hex(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _map_colours(values: np.ndarray, loss: str) -> np.ndarray:
    """D's map ``(S, S)`` as RGB ``(S, S, 3)`` with ``MAP_SCALE``: purple, white, green."""
    low, high = map_range(values, loss)
    v = np.clip((values - low) / ((high - low) or 1.0), 0, 1)[..., None]
    purple, white, green = (_hex(c) for _, c in MAP_SCALE)
    return np.where(v < 0.5, purple + (white - purple) * (v / 0.5), white + (green - white) * ((v - 0.5) / 0.5))


def _background(snap: Mapping, with_map: bool, size: int):
    """A PIL image of D's map (row 0 at the top), or a white one."""
    from PIL import Image

    if not with_map:
        return Image.new("RGB", (size, size), "white")
    rgb = _map_colours(np.asarray(snap["map"], float), snap["loss"])[::-1]
    return Image.fromarray(rgb.round().astype(np.uint8)).resize((size, size), Image.BILINEAR)


def plane_image(real: np.ndarray, snap: Mapping, show: Sequence[str], size: int = 440) -> np.ndarray:
    """The plane as an RGB image ``(size, size, 3)`` uint8 (x₂ grows upwards), the same layers
    and colours as ``plane``: what the page shows while the game plays, several times a second
    (a picture costs the browser far less than redrawing a chart of some 2,000 marks)."""
    from PIL import ImageDraw

    image = _background(snap, "map" in show, size)
    draw = ImageDraw.Draw(image)

    def pixels(x: np.ndarray) -> np.ndarray:  # plane coordinates (..., 2) -> pixels, y down
        x = np.asarray(x, float)
        return np.stack([(x[..., 0] + VIEW) / (2 * VIEW) * size, (VIEW - x[..., 1]) / (2 * VIEW) * size], -1)

    if "manifold" in show:
        for line in pixels(snap["manifold"]):
            draw.line([tuple(p) for p in line], fill=(120, 120, 120), width=1)
    if "real" in show:
        for u, v in pixels(real):
            draw.ellipse([u - 3, v - 3, u + 3, v + 3], fill=REAL, outline="white")
    if "arrows" in show:
        push = np.asarray(snap["push"], float)
        longest = float(np.linalg.norm(push, axis=1).max()) or 1.0
        ends = pixels(snap["fake"] + push * (ARROW_LONGEST / longest))
        for (u0, v0), (u1, v1) in zip(pixels(snap["fake"]), ends):
            draw.line([(u0, v0), (u1, v1)], fill="#e66101", width=1)
    if "fake" in show:
        for u, v in pixels(snap["fake"]):
            draw.polygon([(u, v - 4), (u + 4, v), (u, v + 4), (u - 4, v)], fill=FAKE, outline="white")
    return np.asarray(image)
