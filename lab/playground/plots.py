"""The playground's pictures: the decision surface with train and test points, the plane a
student clicks to add points, and a strip of small heatmaps per hidden layer.

Pure functions (data in, figure or image out) like ``ui.plots``, kept apart because
``plots.py`` is near its size limit. Classes have a colour and a symbol each, so the
pictures read without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.plots import PALETTE, base_layout, new_figure

CLASS_COLOURS = (PALETTE[1], PALETTE[0], PALETTE[2])  # red, blue, green as on the XOR surface
SYMBOLS = ("circle", "square", "diamond")
VIEW = 1.2  # axes cover [-1.2, 1.2]², as the surface grid
CLICK_STEP = 0.1  # clickable markers every 0.1 from -1 to 1: 21 × 21 places to add a point
_LIGHT = ("#f4b6b6", "#b3d1ea", "#b6e3b6")  # the classes' colours, light, for a 3-class surface


def _points(x: np.ndarray, y: np.ndarray, names: Sequence[str], outline: str, suffix: str = "",
            size: int = 9) -> list[go.Scatter]:
    traces = []
    for cls in range(len(names)):
        mask = np.asarray(y) == cls
        if mask.any():
            traces.append(go.Scatter(
                x=x[mask, 0], y=x[mask, 1], mode="markers", name=f"{names[cls]}{suffix}",
                marker=dict(size=size, color=CLASS_COLOURS[cls], symbol=SYMBOLS[cls], line=dict(color=outline, width=1.5)),
                hovertemplate="(%{x:.2f}, %{y:.2f})<extra>%{fullData.name}</extra>"))
    return traces


def square_layout(title: str, height: int) -> dict:
    """The lab's layout (``ui.plots.base_layout``) for the playground's square plane, ±``VIEW``."""
    layout = base_layout(title, "x₁", "x₂", height, legend=True)
    layout["xaxis"].update(range=[-VIEW, VIEW], zeroline=False, constrain="domain")
    layout["yaxis"].update(range=[-VIEW, VIEW], zeroline=False, scaleanchor="x", constrain="domain")
    # the legend below the plot: above it, its four names wrapped into four rows on a phone
    # (the square plot is narrower than the chart) and covered the title
    layout["legend"].update(yanchor="top", y=-0.16)
    layout["margin"].update(t=45 if title else 20, b=120)
    return layout


def surface(axis: np.ndarray, values: np.ndarray | None, train: tuple[np.ndarray, np.ndarray],
            test: tuple[np.ndarray, np.ndarray], names: Sequence[str], title: str = "",
            test_suffix: str = " (test)", height: int = 460) -> go.Figure:
    """The network's answer over the plane and the points on top (test points outlined in black).

    ``values``: ``(S, S)`` probability of class 1, or ``(S, S, 3)`` softmax (each cell takes the
    likeliest class's colour); ``values[i, j]`` is at ``(axis[j], axis[i])``. ``None``: points only.
    """
    traces: list = []  # one Figure call at the end: every add_trace would validate the figure again
    if values is not None and values.ndim == 2:
        traces.append(go.Heatmap(x=axis, y=axis, z=values, zmin=0, zmax=1, colorscale="RdBu", opacity=0.5,
                                 colorbar=dict(thickness=10, len=0.7), hovertemplate="%{z:.2f}<extra></extra>"))
        traces.append(go.Contour(x=axis, y=axis, z=values, showscale=False, hoverinfo="skip", showlegend=False,
                                 contours=dict(start=0.5, end=0.5, size=1, coloring="none"),
                                 line=dict(color="black", width=2)))
    elif values is not None:
        scale = [[0, _LIGHT[0]], [1 / 3, _LIGHT[0]], [1 / 3, _LIGHT[1]], [2 / 3, _LIGHT[1]],
                 [2 / 3, _LIGHT[2]], [1, _LIGHT[2]]]
        traces.append(go.Heatmap(x=axis, y=axis, z=values.argmax(-1), zmin=-0.5, zmax=2.5, colorscale=scale,
                                 showscale=False, customdata=values.max(-1),
                                 hovertemplate="%{customdata:.2f}<extra></extra>"))
    traces += _points(*train, names, "white") + _points(*test, names, "black", test_suffix, size=8)
    return new_figure(traces, layout=square_layout(title, height))


def click_plane(points: np.ndarray, labels: np.ndarray, names: Sequence[str], title: str = "",
                hint: str = "", height: int = 460) -> go.Figure:
    """Own points on the plane, over a grid of invisible markers (trace 0) a click selects.

    Plotly sends no selection for a click on empty space, so each place a point may go holds
    an invisible marker; with ``selection_mode="points"`` a click returns its ``x``, ``y``.
    """
    ticks = np.round(np.arange(-1, 1 + CLICK_STEP / 2, CLICK_STEP), 2)
    xx, yy = np.meshgrid(ticks, ticks)
    places = go.Scatter(x=xx.ravel(), y=yy.ravel(), mode="markers", showlegend=False, name=hint,
                        marker=dict(size=14, symbol="square", color="rgba(0,0,0,0)"),
                        hovertemplate=f"(%{{x:.1f}}, %{{y:.1f}}) {hint}<extra></extra>")
    layout = square_layout(title, height)
    layout.update(clickmode="event+select", dragmode=False)
    return new_figure([places, *_points(np.asarray(points, dtype=float).reshape(-1, 2), labels, names, "white", size=11)],
                     layout=layout)


def thin(values: Sequence[float], most: int = 300) -> tuple[list[int], list[float]]:
    """Epoch numbers (1-based) and values of a per-epoch series, at most ``most`` of them
    (evenly spaced, the last one always kept): long curves cost the browser, not the eye."""
    n = len(values)
    keep = np.unique(np.linspace(0, n - 1, min(n, most)).round().astype(int)) if n else np.array([], int)
    return [int(i) + 1 for i in keep], [float(values[i]) for i in keep]


def clicked_point(event) -> tuple[float, float] | None:
    """``(x1, x2)`` of the clicked place in a ``click_plane`` chart's selection event, if any."""
    points = [p for p in ((event or {}).get("selection", {}).get("points", []) if event else [])
              if p.get("curve_number", 0) == 0]
    return (float(points[0]["x"]), float(points[0]["y"])) if points else None


def _diverging(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] ``(...)`` as RGB ``(..., 3)`` uint8: orange below 0, white at 0, blue above."""
    v = np.clip(values, -1, 1)[..., None]
    white, blue, orange = np.array([255, 255, 255]), np.array([31, 119, 180]), np.array([230, 120, 20])
    rgb = np.where(v >= 0, white + v * (blue - white), white - v * (orange - white))
    return rgb.round().astype(np.uint8)


def neuron_picture(layers: Sequence[np.ndarray], scale: int = 2, pad: int = 3) -> np.ndarray:
    """Every hidden layer's strip (``neuron_strip``) in one RGB image, a row per layer, first
    layer on top (one picture: one media request per refresh, not one per layer)."""
    strips = [neuron_strip(units, scale, pad) for units in layers]
    width = max(s.shape[1] for s in strips)
    rows = [np.pad(s, ((0, 2 * pad), (0, width - s.shape[1]), (0, 0)), constant_values=255) for s in strips]
    return np.concatenate(rows)[: -2 * pad]


def neuron_strip(neurons: np.ndarray, scale: int = 2, pad: int = 3) -> np.ndarray:
    """One hidden layer's units ``(units, S, S)`` side by side as an RGB image ``(S*scale,
    units*(S*scale+pad)-pad, 3)``; each unit's map is scaled by the layer's largest |value|,
    and flipped so that x₂ grows upwards as on the surface."""
    neurons = np.asarray(neurons, dtype=np.float32)
    peak = float(np.abs(neurons).max()) or 1.0
    tiles = _diverging(neurons[:, ::-1, :] / peak).repeat(scale, 1).repeat(scale, 2)
    units, h, w, _ = tiles.shape
    strip = np.full((h, units * (w + pad) - pad, 3), 255, dtype=np.uint8)
    for i, tile in enumerate(tiles):
        strip[:, i * (w + pad): i * (w + pad) + w] = tile
    return strip


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def surface_image(values: np.ndarray, train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray],
                  size: int = 360) -> np.ndarray:
    """The surface and the points as an RGB image ``(size, size, 3)`` uint8 (x₂ grows upwards):
    what the page shows while a network trains, a few times a second (a picture costs the
    browser far less than redrawing a chart with hundreds of markers).

    Colours as in ``surface``: red to white to blue for the probability of class 1, or the
    likeliest class's light colour; training points with a white edge, test points a black one.
    """
    from PIL import Image, ImageDraw

    if values.ndim == 2:  # p(class 1): red (0) -> white (0.5) -> blue (1)
        p = values[..., None]
        red, blue, white = _rgb("#d6604d"), _rgb("#4393c3"), np.full(3, 247.0)
        rgb = np.where(p < 0.5, red + (white - red) * (p / 0.5), white + (blue - white) * ((p - 0.5) / 0.5))
        rgb = 255 - (255 - rgb) * 0.6  # paler, so that the points stand out as on the chart
    else:
        light = np.stack([_rgb(c) for c in _LIGHT])
        rgb = light[values.argmax(-1)] * values.max(-1, keepdims=True) + 255 * (1 - values.max(-1, keepdims=True))
    image = Image.fromarray(rgb[::-1].round().astype(np.uint8)).resize((size, size), Image.BILINEAR)
    draw = ImageDraw.Draw(image)

    def pixel(x: np.ndarray) -> np.ndarray:  # data coordinates -> pixels, row 0 at the top
        return np.stack([(x[:, 0] + VIEW) / (2 * VIEW) * size, (VIEW - x[:, 1]) / (2 * VIEW) * size], 1)

    for (x, y), edge in ((train, "white"), (test, "black")):
        for (u, v), cls in zip(pixel(np.asarray(x, dtype=float)), np.asarray(y)):
            r = 4
            shape = [(u - r, v - r), (u + r, v + r)]
            if cls == 0:
                draw.ellipse(shape, fill=CLASS_COLOURS[0], outline=edge)
            elif cls == 1:
                draw.rectangle(shape, fill=CLASS_COLOURS[1], outline=edge)
            else:
                draw.polygon([(u, v - r - 1), (u + r + 1, v), (u, v + r + 1), (u - r - 1, v)], fill=CLASS_COLOURS[2],
                             outline=edge)
    return np.asarray(image)
