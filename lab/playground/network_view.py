"""The network drawn as TensorFlow Playground draws it: inputs, hidden units and output as
columns of small maps, joined by edges coloured by the weight's sign and as thick as its size.

No Streamlit here: the network's numbers come from its weights alone (a numpy forward pass,
the same maths Keras runs: ``a = f(a_prev @ W + b)``; dropout only acts while training),
so an edited weight redraws at once without TensorFlow. ``picture`` is one RGB image (what
the page shows while training, several times a second); ``figure`` puts that image in a
plotly chart with invisible markers on every node and edge that carry the hover text and
make a click selectable.

Weights are Keras' list ``[W1, b1, W2, b2, ...]``: ``W`` ``(inputs, units)``, ``b`` ``(units,)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from core.maths.playground import expand, grid
from ui.plots import new_figure

ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0), "linear": lambda z: z,
               "sigmoid": lambda z: 1 / (1 + np.exp(-np.clip(z, -60, 60)))}
PICTURE_LABELS = {"x1": "x1", "x2": "x2", "x1_sq": "x1^2", "x2_sq": "x2^2", "x1x2": "x1·x2",
                  "sin_x1": "sin(pi·x1)", "sin_x2": "sin(pi·x2)"}  # the picture's font has no π or subscripts
BLUE, ORANGE, WHITE = (np.array(c, dtype=np.float32) for c in ([31, 119, 180], [230, 120, 20], [255, 255, 255]))


def output_kind(weights: Sequence[np.ndarray], regression: bool) -> str:
    """``"linear"`` (regression), ``"sigmoid"`` (one output unit) or ``"softmax"`` (three)."""
    return "linear" if regression else "sigmoid" if np.shape(weights[-1])[0] == 1 else "softmax"


def forward(weights: Sequence[np.ndarray], inputs: np.ndarray, activation: str, output: str) -> list[np.ndarray]:
    """Every column's values for ``inputs`` ``(N, F)``: ``[inputs, hidden 1 (N, u1), ..., output (N, k)]``."""
    values = [np.asarray(inputs, dtype=np.float64)]
    pairs = list(zip(weights[0::2], weights[1::2]))
    for i, (w, b) in enumerate(pairs):
        z = values[-1] @ np.asarray(w, dtype=np.float64) + np.asarray(b, dtype=np.float64)
        if i < len(pairs) - 1:
            values.append(ACTIVATIONS[activation](z))
        elif output == "softmax":
            e = np.exp(z - z.max(1, keepdims=True))
            values.append(e / e.sum(1, keepdims=True))
        else:
            values.append(ACTIVATIONS[output](z))
    return values


def maps(weights: Sequence[np.ndarray], features: Sequence[str], activation: str, output: str
         ) -> list[np.ndarray]:
    """Every node's value over the surface grid: per column ``(units, S, S)`` (row ``i`` at x₂ =
    ``axis[i]``, as ``core.maths.playground.grid``)."""
    axis, points = grid()
    steps = len(axis)
    return [v.T.reshape(-1, steps, steps) for v in forward(weights, expand(points, features), activation, output)]


def surface(column_maps: Sequence[np.ndarray], output: str) -> np.ndarray:
    """The output column as the page's surface: ``(S, S)`` (a value or p(class 1)) or ``(S, S, 3)``."""
    out = column_maps[-1]
    return np.moveaxis(out, 0, -1) if output == "softmax" else out[0]


# ---------------------------------------------------------------- geometry
@dataclass(frozen=True)
class Geometry:
    """Where every node sits in the picture (pixels, y down): one column per layer, each centred
    vertically; ``tile`` px maps, ``row`` px apart, columns ``column`` px apart."""

    sizes: tuple[int, ...]  # nodes per column: inputs, hidden layers, outputs
    tile: int = 40
    row: int = 50
    column: int = 130
    left: int = 70  # room for the input labels
    margin: int = 12

    @property
    def width(self) -> int:
        return self.left + (len(self.sizes) - 1) * self.column + self.tile + self.margin

    @property
    def height(self) -> int:
        return max(self.sizes) * self.row + 2 * self.margin

    def centre(self, col: int, j: int) -> tuple[float, float]:
        offset = (max(self.sizes) - self.sizes[col]) / 2
        return (self.left + col * self.column + self.tile / 2,
                self.margin + (j + offset) * self.row + self.row / 2)

    def edges(self) -> list[tuple[int, int, int]]:
        """Every edge as ``(layer, i, j)``: from node ``i`` of column ``layer`` to node ``j`` of the next."""
        return [(c, i, j) for c in range(len(self.sizes) - 1)
                for i in range(self.sizes[c]) for j in range(self.sizes[c + 1])]

    def edge_point(self, layer: int, i: int, j: int) -> tuple[float, float]:
        """Where an edge's hover marker sits: along the edge at a fraction set by its target
        node, so no two edges between the same columns share a place."""
        (x0, y0), (x1, y1) = self.centre(layer, i), self.centre(layer + 1, j)
        x0, x1 = x0 + self.tile / 2, x1 - self.tile / 2
        f = 0.2 + 0.6 * (j + 0.5) / self.sizes[layer + 1]
        return x0 + f * (x1 - x0), y0 + f * (y1 - y0)


def geometry(weights: Sequence[np.ndarray]) -> Geometry:
    """The layout of the network with these weights."""
    kernels = weights[0::2]
    return Geometry(tuple([np.shape(kernels[0])[0], *[np.shape(w)[1] for w in kernels]]))


# ---------------------------------------------------------------- colours
def signed_rgb(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] ``(...)`` as RGB ``(..., 3)``: orange below 0, white at 0, blue above."""
    v = np.clip(np.asarray(values, dtype=np.float32), -1, 1)[..., None]
    return WHITE + np.where(v >= 0, v * (BLUE - WHITE), -v * (ORANGE - WHITE))  # float32: redrawn live


def tile_rgb(column: np.ndarray, last: bool, output: str) -> np.ndarray:
    """One column's maps ``(units, S, S)`` as RGB tiles: hidden and input columns scaled by the
    column's largest |value|; the output as the surface is (p(class 1) from red 0 to blue 1,
    a value from -1 to 1, or each of three classes' probability in that class's colour)."""
    if not last or output == "linear":
        peak = 1.0 if last else float(np.abs(column).max()) or 1.0
        return signed_rgb(column / peak)
    if output == "sigmoid":  # red (class 0) to white to blue (class 1), as the surface picture
        v = np.clip(2 * np.asarray(column, dtype=np.float32) - 1, -1, 1)[..., None]
        red, blue = np.array([214, 96, 77], np.float32), np.array([67, 147, 195], np.float32)
        return WHITE + np.where(v >= 0, v * (blue - WHITE), -v * (red - WHITE))
    colours = np.array([[214, 96, 77], [67, 147, 195], [90, 174, 97]], dtype=np.float32)  # the classes' colours
    share = np.asarray(column, dtype=np.float32)[..., None]  # (3, S, S, 1): each output unit its class's probability
    return colours[:, None, None, :] * share + WHITE * (1 - share)


def edge_style(w: float, peak: float) -> tuple[tuple[int, int, int], int]:
    """An edge's colour (blue: positive, orange: negative; paler when small) and width 1–7 px."""
    share = min(1.0, abs(w) / peak) if peak > 0 else 0.0
    colour = WHITE + (0.25 + 0.75 * share) * ((BLUE if w >= 0 else ORANGE) - WHITE)
    return tuple(int(c) for c in colour.round()), 1 + round(6 * share)


# ---------------------------------------------------------------- the picture
@lru_cache(maxsize=1)
def _font():
    from PIL import ImageFont

    return ImageFont.load_default(12)


def picture(weights: Sequence[np.ndarray], column_maps: Sequence[np.ndarray], features: Sequence[str],
            output: str, selected: tuple | None = None) -> np.ndarray:
    """The network as an RGB image ``(height, width, 3)`` uint8: edges (weakest first), then a
    map per node; ``selected`` (``("edge", layer, i, j)`` or ``("node", col, j)``) is outlined."""
    from PIL import Image, ImageDraw

    geo = geometry(weights)
    image = Image.new("RGB", (geo.width, geo.height), "white")
    draw = ImageDraw.Draw(image)
    kernels = weights[0::2]
    peak = max(float(np.abs(w).max()) for w in kernels)
    edges = geo.edges()
    values = np.array([kernels[c][i, j] for c, i, j in edges], dtype=np.float32)
    share = np.minimum(1.0, np.abs(values) / peak) if peak > 0 else np.zeros_like(values)
    colours = WHITE + (0.25 + 0.75 * share)[:, None] * (np.where(values[:, None] >= 0, BLUE, ORANGE) - WHITE)
    colours, widths = colours.round().astype(int).tolist(), (1 + np.round(6 * share)).astype(int).tolist()
    half = geo.tile / 2
    for k in np.argsort(share, kind="stable"):  # weakest first: strong edges on top (as edge_style colours them)
        layer, i, j = edges[k]
        (x0, y0), (x1, y1) = geo.centre(layer, i), geo.centre(layer + 1, j)
        draw.line([(x0 + half, y0), (x1 - half, y1)], fill=tuple(colours[k]), width=widths[k])
    if selected and selected[0] == "edge":  # on top of every other edge, outlined in black
        k = edges.index(tuple(selected[1:]))
        (x0, y0), (x1, y1) = geo.centre(selected[1], selected[2]), geo.centre(selected[1] + 1, selected[3])
        draw.line([(x0 + half, y0), (x1 - half, y1)], fill=(0, 0, 0), width=widths[k] + 5)
        draw.line([(x0 + half, y0), (x1 - half, y1)], fill=tuple(colours[k]), width=widths[k] + 1)
    for col, column in enumerate(column_maps):
        tiles = tile_rgb(column, col == len(column_maps) - 1, output)[:, ::-1]  # x₂ grows upwards
        for j, tile in enumerate(tiles):
            x, y = geo.centre(col, j)
            box = (int(x - half), int(y - half))
            image.paste(Image.fromarray(tile.round().astype(np.uint8)).resize((geo.tile, geo.tile)), box)
            outline = (0, 0, 0) if selected == ("node", col, j) else (150, 150, 150)
            draw.rectangle([box[0] - 1, box[1] - 1, box[0] + geo.tile, box[1] + geo.tile], outline=outline,
                           width=3 if outline == (0, 0, 0) else 1)
    font = _font()
    for j, name in enumerate(features):
        x, y = geo.centre(0, j)
        draw.text((x - half - 4, y), PICTURE_LABELS.get(name, name), fill=(40, 40, 40), font=font, anchor="rm")
    return np.asarray(image)


# ---------------------------------------------------------------- the chart
def figure(image: np.ndarray, weights: Sequence[np.ndarray], node_text: Sequence[Sequence[str]],
           edge_text: Sequence[str], title: str) -> go.Figure:
    """``image`` (from ``picture``) as a chart: trace 0 invisible markers on the nodes (hover
    ``node_text[col][j]``), trace 1 on the edges in ``Geometry.edges`` order (``edge_text``).
    A click selects one marker (``selected``)."""
    from PIL import Image

    geo = geometry(weights)
    nodes = [(col, j) for col, n in enumerate(geo.sizes) for j in range(n)]
    nx, ny = zip(*(geo.centre(c, j) for c, j in nodes))
    ex, ey = zip(*(geo.edge_point(*e) for e in geo.edges()))
    clear = "rgba(0,0,0,0)"
    traces = [
        go.Scatter(x=nx, y=ny, mode="markers", hoverinfo="text", showlegend=False, name="nodes",
                   hovertext=[node_text[c][j] for c, j in nodes],
                   marker=dict(size=26, symbol="square", color=clear)),
        go.Scatter(x=ex, y=ey, mode="markers", hoverinfo="text", showlegend=False, name="edges",
                   hovertext=list(edge_text), marker=dict(size=9, color=clear)),
    ]
    fig = new_figure(traces)
    fig.add_layout_image(source=Image.fromarray(image), xref="x", yref="y", x=0, y=0, sizex=geo.width,
                         sizey=geo.height, xanchor="left", yanchor="top", sizing="stretch", layer="below")
    axis = dict(visible=False, showgrid=False, zeroline=False, fixedrange=True)
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=int(geo.height * 0.85) + 50,
                      margin=dict(l=0, r=0, t=40, b=0), plot_bgcolor="white", paper_bgcolor="white",
                      xaxis=dict(range=[0, geo.width], constrain="domain", **axis),
                      yaxis=dict(range=[geo.height, 0], scaleanchor="x", constrain="domain", **axis),
                      clickmode="event+select", dragmode=False, hovermode="closest")
    return fig


def selection(event, weights: Sequence[np.ndarray]) -> tuple | None:
    """What a click on ``figure`` chose: ``("node", col, j)``, ``("edge", layer, i, j)`` or ``None``."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if not points:
        return None
    point, geo = points[0], geometry(weights)
    index = int(point.get("point_index", point.get("point_number", -1)))
    if point.get("curve_number") == 0:
        nodes = [(col, j) for col, n in enumerate(geo.sizes) for j in range(n)]
        return ("node", *nodes[index]) if 0 <= index < len(nodes) else None
    edges = geo.edges()
    return ("edge", *edges[index]) if point.get("curve_number") == 1 and 0 <= index < len(edges) else None


def with_weight(weights: Sequence[np.ndarray], layer: int, i: int, j: int, value: float) -> list[np.ndarray]:
    """A copy of ``weights`` with the edge from node ``i`` of column ``layer`` to node ``j`` set to ``value``."""
    out = [np.array(w, dtype=np.float32, copy=True) for w in weights]
    out[2 * layer][i, j] = value
    return out


def node_sum(weights: Sequence[np.ndarray], features: Sequence[str], activation: str, output: str,
             col: int, j: int, point: tuple[float, float]) -> dict:
    """The maths of node ``j`` of column ``col`` (≥ 1) at the plane's ``point``: its inputs'
    values ``inputs`` and weights ``weights`` (``(k,)``), ``bias``, the sum ``z`` and the node's
    value ``a`` (for a softmax output, ``a`` is its share of the exponentials), and ``function``."""
    values = forward(weights, expand(np.array([point], dtype=np.float32), features), activation, output)
    w, b = np.asarray(weights[2 * (col - 1)])[:, j], float(np.asarray(weights[2 * col - 1])[j])
    last = col == len(values) - 1
    return {"inputs": values[col - 1][0], "weights": w.astype(np.float64), "bias": b,
            "z": float(values[col - 1][0] @ w + b), "a": float(values[col][0, j]),
            "function": output if last else activation}
