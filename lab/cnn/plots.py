"""Pictures of the CNN view: data in, plotly figure out (never Streamlit).

The overview draws every layer as one column of small maps, all of a layer's maps on one
colour scale. It is one picture (a PNG: a 26×26 map costs a few bytes instead of a few
hundred numbers in the page) under invisible markers, one per unit, that a click selects.
"""

from __future__ import annotations

import base64
import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from lab.cnn import maths
from ui import plots as ui_plots

SIGNED, POSITIVE = "RdBu_r", "Blues"  # 0 is white in both: a dead unit reads as empty
GAP = 4  # pixels between units
ROWS = 16  # at most this many units above each other in a column
ACCENT, TOP = "#d62728", "#2ca02c"  # the selected unit; the predicted class
ZERO_FRAME = (140, 140, 140)  # the outline of an all-zero map: white on white would be invisible


def all_zero(maps: np.ndarray) -> np.ndarray:
    """Per map of ``(N, ...)``: whether every value is 0 (NaN blanks ignored): a unit that gives
    nothing for this input (a dead ReLU, often), drawn white on the white page unless outlined."""
    m = np.nan_to_num(np.abs(np.asarray(maps, dtype=np.float64)))
    return m.reshape(len(m), -1).max(1, initial=0.0) == 0


def _outline(rgb: np.ndarray, top: int, left: int, h: int, w: int, width: int = 1) -> None:
    """Draw a ``ZERO_FRAME`` box ``width`` pixels thick on the edge of ``rgb[top:top+h, left:left+w]``
    (in place)."""
    for k in range(width):
        rgb[top:top + h, [left + k, left + w - 1 - k]] = ZERO_FRAME
        rgb[[top + k, top + h - 1 - k], left:left + w] = ZERO_FRAME


@dataclass(frozen=True)
class Column:
    """One layer in the overview: its units' values and how to label it."""

    title: str  # short name above the column ("Conv 2", "ReLU")
    values: np.ndarray  # (units, H, W), (units,) or (n,) for the flattened vector
    clickable: bool = True
    one_unit: bool = False  # the flattened vector: one picture, one marker
    labels: Sequence[str] | None = None  # written beside each unit (the output digits)


@functools.lru_cache(maxsize=4)
def _lut(scale: str) -> np.ndarray:
    """256 RGB colours of a plotly colour scale, ``(256, 3)`` uint8."""
    colours = sample_colorscale(scale, list(np.linspace(0, 1, 256)), colortype="tuple")
    return (np.asarray(colours) * 255).round().astype(np.uint8)


def coloured(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``values`` as RGB on the layer's scale (signed: blue − white 0 − red; else white → blue)."""
    scale = SIGNED if lo < 0 else POSITIVE
    index = np.clip((np.asarray(values, dtype=np.float64) - lo) / (hi - lo), 0, 1) * 255
    rgb = _lut(scale)[np.nan_to_num(index).round().astype(int)]
    rgb[np.isnan(values)] = 255
    return rgb


def _unit_maps(col: Column) -> np.ndarray:
    """The column's units as ``(units, h, w)`` maps (a vector's units are 1×1 maps)."""
    v = np.asarray(col.values, dtype=np.float32)
    if col.one_unit:  # n values in reading order, in a square with blank cells at the end
        side = math.ceil(math.sqrt(v.size))
        square = np.full(side * side, np.nan, np.float32)
        square[:v.size] = v.ravel()
        return square.reshape(1, side, side)
    return v.reshape(len(v), 1, 1) if v.ndim == 1 else v


def _cell(h: int) -> int:
    """Pixels a unit's map takes: small maps enlarged, so every unit is easy to see and click."""
    return h * max(1, 26 // h) if h > 1 else 14


def _layout_column(col: Column) -> tuple[np.ndarray, list[tuple[float, float]], int]:
    """The column's picture, each unit's centre in it, and the cell size."""
    maps = _unit_maps(col)
    n, h, w = maps.shape
    lo, hi = maths.shared_range(maps[~np.isnan(maps)])
    cell = _cell(h)
    zoom = max(1, cell // h)
    cols = max(1, math.ceil(n / ROWS))
    rows = math.ceil(n / cols)
    picture = np.full((rows * (cell + GAP), cols * (cell + GAP), 3), 255, np.uint8)
    centres = []
    rgb = coloured(maps, lo, hi).repeat(zoom, 1).repeat(zoom, 2)  # (n, h·zoom, w·zoom, 3), one call per layer
    for i in np.flatnonzero(all_zero(maps)) if not col.one_unit else ():
        _outline(rgb[i], 0, 0, rgb.shape[1], rgb.shape[2], width=2)  # the overview is shown shrunk: 1 px got lost
    for i, big in enumerate(rgb):
        r, c = divmod(i, cols)
        top, left = r * (cell + GAP), c * (cell + GAP)
        picture[top:top + big.shape[0], left:left + big.shape[1]] = big
        centres.append((left + big.shape[1] / 2, top + big.shape[0] / 2))
    return picture, centres, cell


def _png(rgb: np.ndarray) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", compress_level=3)  # a third of the time of level 6, a few % larger
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@dataclass(frozen=True)
class Picture:
    """The overview's picture and where its units are (cached: the same for every session)."""

    png: str
    width: int
    height: int
    points: list[tuple[float, float, int, int]]  # (x, y, column, unit) of every clickable unit
    boxes: list[tuple[float, float, float, float]]  # per column and unit: (x0, y0, x1, y1)
    titles: list[tuple[float, str]]  # (x of the column's centre, title)
    labels: list[tuple[float, float, str]]  # (x, y, text) written beside units


def overview_picture(columns: Sequence[Column]) -> Picture:
    """Lay the columns side by side, each centred vertically; one PNG for all."""
    parts = [_layout_column(col) for col in columns]
    label_room = 14
    height = max(p[0].shape[0] for p in parts)
    widths = [max(p[0].shape[1] + (label_room if col.labels else 0), 46)  # room for the title above
              for p, col in zip(parts, columns)]
    canvas = np.full((height, sum(widths) + GAP * 3 * len(parts), 3), 255, np.uint8)
    points, boxes, titles, labels, x = [], [], [], [], 0
    for i, ((picture, centres, cell), col, width) in enumerate(zip(parts, columns, widths)):
        left = x + (label_room if col.labels else 0) + (width - picture.shape[1] - (label_room if col.labels else 0)) // 2
        top = (height - picture.shape[0]) // 2
        canvas[top:top + picture.shape[0], left:left + picture.shape[1]] = picture
        for u, (cx, cy) in enumerate(centres):
            half = (cell if not col.one_unit else picture.shape[0] - GAP) / 2
            boxes.append((left + cx - half, top + cy - half, left + cx + half, top + cy + half))
            if col.clickable:
                points.append((left + cx, top + cy, i, u))
            if col.labels:
                labels.append((left - label_room / 2, top + cy, str(col.labels[u])))
        titles.append((x + width / 2, col.title))
        x += width + GAP * 3
    return Picture(_png(canvas), canvas.shape[1], height, points, boxes, titles, labels)


def overview_figure(pic: Picture, title: str, hover: Sequence[str], selected: int | None,
                    top: Sequence[int] = (), height: int | None = None) -> go.Figure:
    """The overview: ``pic`` with a marker per clickable unit (``hover[i]`` its text), point
    ``selected`` outlined, and points ``top`` (the predicted class) outlined in green.

    Built as one dict without plotly's validation: adding ~550 markers' worth of annotations
    and shapes one by one re-validated the whole list each time (half a second); every value
    here is ours, and ``tests/unit/test_cnn_explain.py`` checks plotly accepts the result.
    """
    xs, ys, cols, units = zip(*pic.points) if pic.points else ((), (), (), ())
    data = [dict(type="image", source=pic.png, x0=0, y0=0, dx=1, dy=1, hoverinfo="skip"),
            dict(type="scatter", x=list(xs), y=list(ys), mode="markers", customdata=list(zip(cols, units)),
                 marker=dict(size=14, symbol="square", color="rgba(0,0,0,0)"), hovertext=list(hover),
                 hovertemplate="%{hovertext}<extra></extra>", showlegend=False)]
    shapes = [dict(type="rect", x0=pic.points[i][0] - 9, x1=pic.points[i][0] + 9, y0=pic.points[i][1] - 9,
                   y1=pic.points[i][1] + 9, line=dict(color=colour, width=3))
              for i, colour in [(p, TOP) for p in top] + ([(selected, ACCENT)] if selected is not None else [])]
    # slanted above nine columns or more: level, their names ran into each other on a phone (ES)
    angle = -35 if len(pic.titles) > 8 else 0
    notes = [dict(x=x, y=-6, text=text, showarrow=False, yanchor="bottom", font=dict(size=11), textangle=angle)
             for x, text in pic.titles]
    notes += [dict(x=x, y=y, text=text, showarrow=False, font=dict(size=10)) for x, y, text in pic.labels]
    layout = dict(template=ui_plots.template_json(), title=dict(text=title), height=height or 470, margin=dict(l=5, r=5, t=40, b=5),
                  clickmode="event+select", dragmode=False, hovermode="closest", shapes=shapes, annotations=notes,
                  xaxis=dict(visible=False, range=[-2, pic.width + 2], constrain="domain"),
                  yaxis=dict(visible=False, range=[pic.height + 2, -60], scaleanchor="x", constrain="domain"))
    return go.Figure(dict(data=data, layout=layout), _validate=False)


# ---------------------------------------------------------------- one unit
def _range(zs: Sequence[np.ndarray]) -> tuple[float, float]:
    finite = np.concatenate([z[np.isfinite(z)].ravel() for z in zs]) if zs else np.zeros(1)
    return maths.shared_range(finite)


@functools.lru_cache(maxsize=4)
def _scale(name: str) -> list:
    """A named plotly colour scale as the list plotly.js reads (``_validate=False`` skips naming)."""
    from plotly.colors import get_colorscale

    return [[float(p), c] for p, c in get_colorscale(name)]


def maps(items: Sequence[tuple[str, np.ndarray]], shared: bool = True, numbers: bool = False,
         boxes: Sequence[Sequence[tuple]] | None = None, height: int = 300, zero_text: str = "") -> list[go.Figure]:
    """One figure per map ``(title, z)`` (side by side on a wide screen, stacked on a phone);
    ``shared``: all on one colour scale, else each its own (0 white in the middle when values
    are negative); ``numbers`` writes each cell's value (small maps); ``boxes[i]`` outlines
    cells ``(top, left, h, w, colour)`` (0-based) of map ``i``. Rows and columns count from 1.
    A map that is all zero gets an outline and ``zero_text`` across it (white on white otherwise).

    Built without plotly's validation (a unit's six maps were half its opening time); the
    tests check plotly accepts them.
    """
    zs = [np.round(np.asarray(z, dtype=np.float64), 4) for _, z in items]  # 4 decimals: half the JSON
    figs = []
    for i, ((title, _), z) in enumerate(zip(items, zs)):
        lo, hi = _range(zs if shared else [z])
        trace = dict(type="heatmap", z=z, x=list(range(1, z.shape[1] + 1)), y=list(range(1, z.shape[0] + 1)),
                     colorscale=_scale(SIGNED if lo < 0 else POSITIVE), zmin=lo, zmax=hi,
                     hovertemplate="%{y}, %{x}: %{z}<extra></extra>", colorbar=dict(thickness=10))
        if numbers:
            trace.update(text=np.vectorize(lambda v: f"{v:.2f}")(np.nan_to_num(z)), texttemplate="%{text}")
        shapes = [dict(type="rect", x0=left + 0.5, x1=left + w + 0.5, y0=top + 0.5, y1=top + h + 0.5,
                       line=dict(color=colour, width=3)) for top, left, h, w, colour in (boxes[i] if boxes else ())]
        layout = dict(template=ui_plots.template_json(), title=dict(text=title), height=height, margin=dict(l=30, r=10, t=45, b=30), shapes=shapes,
                      xaxis=dict(constrain="domain", dtick=1 if z.shape[1] <= 10 else None),
                      yaxis=dict(autorange="reversed", scaleanchor="x", constrain="domain",
                                 dtick=1 if z.shape[0] <= 10 else None),
                      plot_bgcolor="white", paper_bgcolor="white")
        if z.size and all_zero(z[None])[0]:
            _zero_marks(layout, zero_text)
        figs.append(go.Figure(dict(data=[trace], layout=layout), _validate=False))
    return figs


def _zero_marks(layout: dict, text: str) -> None:
    """An all-zero map's outline (the plot area's edges) and, when given, ``text`` over its middle."""
    line = "rgb({}, {}, {})".format(*ZERO_FRAME)
    for axis in ("xaxis", "yaxis"):
        layout[axis].update(showline=True, mirror=True, linecolor=line, linewidth=1)
    if text:
        layout["annotations"] = [dict(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                                      font=dict(size=12, color="#444444"), bgcolor="rgba(255,255,255,0.85)")]


def tile_picture(maps: np.ndarray, size: int = 300) -> tuple[np.ndarray, tuple[float, float]]:
    """``(N, H, W)`` maps as one RGB picture about ``size`` pixels wide (every map on one colour
    scale, white gaps), and that scale's ``(low, high)``: a picture, not numbers, because
    sixty-four 28×28 maps are 50,000 numbers to send and the cell-by-cell numbers come below."""
    maps = np.asarray(maps, np.float32)
    grid = tiles(maps)
    lo, hi = maths.shared_range(grid[np.isfinite(grid)])
    zoom = max(1, size // grid.shape[1])
    rgb = coloured(grid, lo, hi).repeat(zoom, 0).repeat(zoom, 1)
    n, h, w = maps.shape
    cols = max(1, math.ceil(math.sqrt(n)))  # as ``tiles`` lays them out, a 1-cell gap between
    for i in np.flatnonzero(all_zero(maps)):
        r, c = divmod(int(i), cols)
        _outline(rgb, r * (h + 1) * zoom, c * (w + 1) * zoom, h * zoom, w * zoom)
    return rgb, (lo, hi)


def tiles(maps: np.ndarray, cols: int | None = None) -> np.ndarray:
    """``(N, H, W)`` maps in one grid with blank (NaN) gaps, about square."""
    n = len(maps)
    cols = cols or max(1, math.ceil(math.sqrt(n)))
    return ui_plots.tile(np.asarray(maps, np.float32), cols=cols, pad=1, value=np.nan)
