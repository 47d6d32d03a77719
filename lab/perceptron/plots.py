"""Figures on the 2-D input plane of the perceptron page: points, a unit's line, a surface.

Pure figures (no Streamlit), in the lab's shared look (``ui.plots``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.plots import PALETTE, new_figure, style


def points_and_line(points: np.ndarray, labels: Sequence[int], line: tuple[float, float, float] | None,
                    title: str = "", x_title: str = "x₁", y_title: str = "x₂",
                    highlight: int | None = None, class_names: Sequence[str] = ("0", "1"),
                    line_name: str = "", height: int = 380) -> go.Figure:
    """Points coloured by class and the line ``b + w1*x + w2*y = 0`` with its positive side shaded.

    ``line=(b, w1, w2)``; ``highlight`` rings one point (the example being shown).
    """
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels)
    lo, hi = points.min() - 0.6, points.max() + 0.6
    fig = new_figure()
    if line is not None:
        b, w1, w2 = line
        xs = np.linspace(lo - 3, hi + 3, 181)  # wider than the view: plotly may widen the axes
        xx, yy = np.meshgrid(xs, xs)
        side = (b + w1 * xx + w2 * yy >= 0).astype(float)  # where the unit answers 1
        fig.add_trace(go.Heatmap(x=xs, y=xs, z=side, showscale=False, hoverinfo="skip", opacity=0.25,
                                 colorscale=[[0, "#ffffff"], [1, PALETTE[0]]], zmin=0, zmax=1))
        if abs(w2) > 1e-12:
            fig.add_trace(go.Scatter(x=xs, y=-(b + w1 * xs) / w2, mode="lines", name=line_name,
                                     line=dict(color="black", width=2)))
        elif abs(w1) > 1e-12:
            fig.add_trace(go.Scatter(x=[-b / w1] * 2, y=[lo, hi], mode="lines", name=line_name,
                                     line=dict(color="black", width=2)))
    for cls, color, symbol in ((0, PALETTE[1], "circle"), (1, PALETTE[0], "square")):
        mask = labels == cls
        fig.add_trace(go.Scatter(x=points[mask, 0], y=points[mask, 1], mode="markers", name=class_names[cls],
                                 marker=dict(size=16, color=color, symbol=symbol,
                                             line=dict(color="white", width=2))))
    if highlight is not None:
        fig.add_trace(go.Scatter(x=[points[highlight, 0]], y=[points[highlight, 1]], mode="markers",
                                 showlegend=False, hoverinfo="skip",
                                 marker=dict(size=30, color="rgba(0,0,0,0)", line=dict(color="orange", width=4))))
    fig.update_xaxes(range=[lo, hi], zeroline=False)
    fig.update_yaxes(range=[lo, hi], zeroline=False)
    return style(fig, title, x_title, y_title, height)


def decision_surface(axis: np.ndarray, probs: np.ndarray, points: np.ndarray, labels: Sequence[int],
                     title: str = "", class_names: Sequence[str] = ("0", "1"), height: int = 380) -> go.Figure:
    """A model's output over a grid (``probs[i, j]`` at ``(axis[j], axis[i])``) with the data on top."""
    fig = new_figure(go.Heatmap(x=axis, y=axis, z=probs, zmin=0, zmax=1, colorscale="RdBu",
                               reversescale=False, colorbar=dict(thickness=12)))
    fig.add_trace(go.Contour(x=axis, y=axis, z=probs, showscale=False, contours=dict(
        start=0.5, end=0.5, size=1, coloring="none"), line=dict(color="black", width=2), hoverinfo="skip",
        name="ŷ = 0.5"))  # the boundary's legend entry (unnamed, plotly called it "trace 1")
    points, labels = np.asarray(points), np.asarray(labels)
    for cls, color, symbol in ((0, PALETTE[1], "circle"), (1, PALETTE[0], "square")):
        mask = labels == cls
        fig.add_trace(go.Scatter(x=points[mask, 0], y=points[mask, 1], mode="markers", name=class_names[cls],
                                 marker=dict(size=14, color=color, symbol=symbol,
                                             line=dict(color="white", width=2))))
    fig.update_yaxes(scaleanchor="x")
    return style(fig, title, "x₁", "x₂", height)
