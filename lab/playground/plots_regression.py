"""Regression pictures: the network's value over the plane with the points coloured by their
own value (orange below 0, white at 0, blue above, as TensorFlow Playground colours them).

Pure functions like ``lab.playground.plots``: a plotly chart for the still page (hover shows
the numbers) and an RGB image for the live view while training. Test points have a black
edge, training points a grey one (a white one would vanish where a value is 0).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lab.playground import plots as pp
from lab.playground.network_view import signed_rgb
from ui.plots import new_figure

SCALE = [[0.0, "rgb(230,120,20)"], [0.5, "rgb(255,255,255)"], [1.0, "rgb(31,119,180)"]]


def _points(x: np.ndarray, y: np.ndarray, name: str, outline: str, size: int) -> go.Scatter:
    return go.Scatter(x=x[:, 0], y=x[:, 1], mode="markers", name=name, customdata=y,
                      marker=dict(size=size, color=y, cmin=-1, cmax=1, colorscale=SCALE,
                                  line=dict(color=outline, width=1.5)),
                      hovertemplate="(%{x:.2f}, %{y:.2f}): %{customdata:.2f}<extra>%{fullData.name}</extra>")


def value_surface(axis: np.ndarray, values: np.ndarray | None, train: tuple[np.ndarray, np.ndarray],
                  test: tuple[np.ndarray, np.ndarray], names: tuple[str, str], title: str = "",
                  height: int = 460) -> go.Figure:
    """The network's value ``values`` ``(S, S)`` over the plane (``None``: points only) and the
    training and test points (``names``), each coloured by its value on the same scale."""
    traces: list = []
    if values is not None:
        traces.append(go.Heatmap(x=axis, y=axis, z=values, zmin=-1, zmax=1, colorscale=SCALE, opacity=0.6,
                                 colorbar=dict(thickness=10, len=0.7), hovertemplate="%{z:.2f}<extra></extra>"))
    for (x, y), name, outline, size in ((train, names[0], "#888", 9), (test, names[1], "black", 8)):
        if len(y):
            traces.append(_points(np.asarray(x, dtype=float), np.asarray(y, dtype=float), name, outline, size))
    return new_figure(traces, layout=pp.square_layout(title, height))


def value_surface_image(values: np.ndarray, train: tuple[np.ndarray, np.ndarray],
                        test: tuple[np.ndarray, np.ndarray], size: int = 360) -> np.ndarray:
    """The same as an RGB image ``(size, size, 3)`` uint8 (x₂ grows upwards), for the live view."""
    from PIL import Image, ImageDraw

    rgb = 255 - (255 - signed_rgb(values)) * 0.6  # paler than the points, as on the chart
    image = Image.fromarray(rgb[::-1].round().astype(np.uint8)).resize((size, size), Image.BILINEAR)
    draw = ImageDraw.Draw(image)
    for (x, y), edge in ((train, (136, 136, 136)), (test, "black")):
        x = np.asarray(x, dtype=float).reshape(-1, 2)
        u = (x[:, 0] + pp.VIEW) / (2 * pp.VIEW) * size
        v = (pp.VIEW - x[:, 1]) / (2 * pp.VIEW) * size
        for a, b, colour in zip(u, v, signed_rgb(np.asarray(y, dtype=float)).round().astype(int)):
            draw.ellipse([(a - 4, b - 4), (a + 4, b + 4)], fill=tuple(colour), outline=edge)
    return np.asarray(image)
