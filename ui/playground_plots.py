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

from ui.plots import PALETTE, _layout_dict

CLASS_COLOURS = (PALETTE[1], PALETTE[0], PALETTE[2])  # red, blue, green as on the XOR surface
SYMBOLS = ("circle", "square", "diamond")
VIEW = 1.2  # axes cover [-1.2, 1.2]², as the surface grid
CLICK_STEP = 0.1  # clickable markers every 0.1 from -1 to 1: 21 × 21 places to add a point
_LIGHT = ("#f4b6b6", "#b3d1ea", "#b6e3b6")  # the classes' colours, light, for a 3-class surface


def _points(fig: go.Figure, x: np.ndarray, y: np.ndarray, names: Sequence[str], outline: str,
            suffix: str = "", size: int = 9) -> None:
    for cls in range(len(names)):
        mask = np.asarray(y) == cls
        if mask.any():
            fig.add_trace(go.Scatter(
                x=x[mask, 0], y=x[mask, 1], mode="markers", name=f"{names[cls]}{suffix}",
                marker=dict(size=size, color=CLASS_COLOURS[cls], symbol=SYMBOLS[cls], line=dict(color=outline, width=1.5)),
                hovertemplate="(%{x:.2f}, %{y:.2f})<extra>%{fullData.name}</extra>"))


def _square_layout(title: str, height: int) -> dict:
    layout = _layout_dict(title, "x₁", "x₂", height, legend=True)
    layout["xaxis"].update(range=[-VIEW, VIEW], zeroline=False, constrain="domain")
    layout["yaxis"].update(range=[-VIEW, VIEW], zeroline=False, scaleanchor="x", constrain="domain")
    return layout


def surface(axis: np.ndarray, values: np.ndarray | None, train: tuple[np.ndarray, np.ndarray],
            test: tuple[np.ndarray, np.ndarray], names: Sequence[str], title: str = "",
            test_suffix: str = " (test)", height: int = 460) -> go.Figure:
    """The network's answer over the plane and the points on top (test points outlined in black).

    ``values``: ``(S, S)`` probability of class 1, or ``(S, S, 3)`` softmax (each cell takes the
    likeliest class's colour); ``values[i, j]`` is at ``(axis[j], axis[i])``. ``None``: points only.
    """
    fig = go.Figure(layout=_square_layout(title, height))
    if values is not None and values.ndim == 2:
        fig.add_trace(go.Heatmap(x=axis, y=axis, z=values, zmin=0, zmax=1, colorscale="RdBu", opacity=0.75,
                                 colorbar=dict(thickness=10, len=0.7), hovertemplate="%{z:.2f}<extra></extra>"))
        fig.add_trace(go.Contour(x=axis, y=axis, z=values, showscale=False, hoverinfo="skip", showlegend=False,
                                 contours=dict(start=0.5, end=0.5, size=1, coloring="none"),
                                 line=dict(color="black", width=2)))
    elif values is not None:
        scale = [[0, _LIGHT[0]], [1 / 3, _LIGHT[0]], [1 / 3, _LIGHT[1]], [2 / 3, _LIGHT[1]],
                 [2 / 3, _LIGHT[2]], [1, _LIGHT[2]]]
        fig.add_trace(go.Heatmap(x=axis, y=axis, z=values.argmax(-1), zmin=-0.5, zmax=2.5, colorscale=scale,
                                 showscale=False, customdata=values.max(-1),
                                 hovertemplate="%{customdata:.2f}<extra></extra>"))
    _points(fig, *train, names, "white")
    _points(fig, *test, names, "black", test_suffix, size=8)
    return fig


def click_plane(points: np.ndarray, labels: np.ndarray, names: Sequence[str], title: str = "",
                hint: str = "", height: int = 460) -> go.Figure:
    """Own points on the plane, over a grid of invisible markers (trace 0) a click selects.

    Plotly sends no selection for a click on empty space, so each place a point may go holds
    an invisible marker; with ``selection_mode="points"`` a click returns its ``x``, ``y``.
    """
    ticks = np.round(np.arange(-1, 1 + CLICK_STEP / 2, CLICK_STEP), 2)
    xx, yy = np.meshgrid(ticks, ticks)
    fig = go.Figure(go.Scatter(x=xx.ravel(), y=yy.ravel(), mode="markers", showlegend=False, name=hint,
                               marker=dict(size=14, symbol="square", color="rgba(0,0,0,0)"),
                               hovertemplate=f"(%{{x:.1f}}, %{{y:.1f}}) {hint}<extra></extra>"),
                    layout=_square_layout(title, height))
    _points(fig, np.asarray(points, dtype=float).reshape(-1, 2), labels, names, "white", size=11)
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


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
