"""The toolbox page's figures: data in, plotly figure out (no Streamlit).

Titles and axis names arrive translated; colours and margins follow ``ui.plots``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from ui.plots import PALETTE, grouped_bars, new_figure

__all__ = ["approximation", "bn_lines", "curves_by_variant", "error_by_units", "grouped_bars", "log_lines",
           "race_paths"]


def _frame(fig: go.Figure, title: str, x_title: str, y_title: str, height: int) -> go.Figure:
    # The legend goes below the plot: above it, five or eight names wrap into rows that cover
    # the title on a phone-wide chart.
    legend = sum(tr.showlegend is not False for tr in fig.data) > 1
    fig.update_layout(title=dict(text=title, y=1, yanchor="top", yref="container", pad=dict(t=12)),
                      height=height, margin=dict(l=40, r=20, t=45, b=110 if legend else 40),
                      xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)),
                      legend=dict(orientation="h", yanchor="top", y=-0.22, x=0))
    return fig


def race_paths(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, paths: Mapping[str, np.ndarray],
               minima: Sequence[Sequence[float]], log_contours: bool, title: str, x_title: str,
               y_title: str, marker: int | None = None, height: int = 500) -> go.Figure:
    """Contours of the loss ``z (len(ys), len(xs))`` with one path ``(n + 1, 2)`` per optimiser.

    ``log_contours`` draws ``log(1 + z − min z)`` (Rosenbrock spans four orders of magnitude);
    the lowest points are stars; ``marker`` rings each path's point after that many steps."""
    shown = np.log1p(z - z.min()) if log_contours else z
    fig = new_figure(go.Contour(x=xs, y=ys, z=shown, ncontours=30, colorscale="Greys", reversescale=True,
                               showscale=False, opacity=0.55, line=dict(width=0.5), hoverinfo="skip",
                               contours=dict(coloring="fill"), showlegend=False))
    for i, (name, pts) in enumerate(paths.items()):
        colour = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="lines+markers", name=name,
                                 line=dict(color=colour, width=2), marker=dict(size=4, color=colour)))
        if marker is not None and marker < len(pts):
            fig.add_trace(go.Scatter(x=[pts[marker, 0]], y=[pts[marker, 1]], mode="markers", showlegend=False,
                                     hoverinfo="skip", marker=dict(size=13, color="rgba(0,0,0,0)",
                                                                   line=dict(color=colour, width=2.5))))
    m = np.asarray(minima, dtype=float)
    fig.add_trace(go.Scatter(x=m[:, 0], y=m[:, 1], mode="markers", showlegend=False, hoverinfo="skip",
                             marker=dict(symbol="star", size=15, color="gold", line=dict(color="black", width=1))))
    fig.update_xaxes(range=[xs[0], xs[-1]])
    fig.update_yaxes(range=[ys[0], ys[-1]])
    return _frame(fig, title, x_title, y_title, height)


def log_lines(series: Mapping[str, Sequence[float]], title: str, x_title: str, y_title: str,
              height: int = 260) -> go.Figure:
    """One line per optimiser over steps 0, 1, 2 … on a log y axis written 1e-4, without a legend
    (the colours are the paths chart's, drawn beside it)."""
    fig = new_figure([go.Scatter(x=list(range(len(ys))), y=list(ys), mode="lines", name=name,
                                line=dict(color=PALETTE[i % len(PALETTE)], width=2))
                     for i, (name, ys) in enumerate(series.items())])
    fig.update_yaxes(type="log", exponentformat="e")
    return _frame(fig, title, x_title, y_title, height).update_layout(showlegend=False, margin=dict(b=40))


def curves_by_variant(curves: Mapping[str, Mapping[str, Sequence[float]]], names: Mapping[str, str],
                      metric: str, train_label: str, test_label: str, title: str, x_title: str,
                      y_title: str, height: int = 400) -> go.Figure:
    """Per variant: ``train_<metric>`` dashed and ``test_<metric>`` solid, in the variant's colour.

    The legend names each variant once; hovering a point names its split too."""
    fig = new_figure()
    for i, (variant, c) in enumerate(curves.items()):
        colour, name = PALETTE[i % len(PALETTE)], names.get(variant, variant)
        for split, label, dash in (("test", test_label, "solid"), ("train", train_label, "dash")):
            ys = list(c.get(f"{split}_{metric}", []))
            fig.add_trace(go.Scatter(x=list(range(1, len(ys) + 1)), y=ys, mode="lines+markers", name=name,
                                     legendgroup=variant, showlegend=split == "test",
                                     hovertemplate=f"{name} · {label}: %{{y:.3f}}<extra></extra>",
                                     line=dict(color=colour, dash=dash, width=2), marker=dict(size=5)))
    return _frame(fig, title, x_title, y_title, height)


def bn_lines(z: np.ndarray, out_train: np.ndarray, out_infer: np.ndarray, train_label: str,
             infer_label: str, title: str, x_title: str, y_title: str, height: int = 400) -> go.Figure:
    """One unit's batch: the value batch normalisation receives (x) against what it gives out
    (y), in training mode and in inference mode: two straight lines of different slope and offset."""
    order = np.argsort(z)
    fig = new_figure([go.Scatter(x=z[order], y=out[order], mode="lines+markers", name=name,
                                line=dict(color=PALETTE[i], width=2))
                     for i, (name, out) in enumerate(((train_label, out_train), (infer_label, out_infer)))])
    return _frame(fig, title, x_title, y_title, height)


def approximation(x: np.ndarray, target: np.ndarray, output: np.ndarray, contributions: np.ndarray,
                  target_label: str, output_label: str, unit_label: str, title: str,
                  max_units_drawn: int = 12, height: int = 400) -> go.Figure:
    """The target, the network's output, and (thin, grey) each unit's share ``aᵢ hᵢ(x)``."""
    fig = new_figure()
    for i in range(min(contributions.shape[1], max_units_drawn)):
        fig.add_trace(go.Scatter(x=x, y=contributions[:, i], mode="lines", name=unit_label,
                                 legendgroup="units", showlegend=i == 0,
                                 line=dict(color="#9a9a9a", width=1), opacity=0.7))
    fig.add_trace(go.Scatter(x=x, y=target, mode="lines", name=target_label, line=dict(color=PALETTE[0], width=3)))
    fig.add_trace(go.Scatter(x=x, y=output, mode="lines", name=output_label,
                             line=dict(color=PALETTE[1], width=2.5, dash="dash")))
    lo, hi = float(min(target.min(), output.min())), float(max(target.max(), output.max()))
    pad = 0.25 * (hi - lo + 1e-9)
    fig.update_yaxes(range=[lo - pad, hi + pad])  # units' shares may swing far out: keep the fit in view
    return _frame(fig, title, "x", "", height)


def error_by_units(units: np.ndarray, rmse: np.ndarray, chosen: int, title: str, x_title: str,
                   y_title: str, height: int = 400) -> go.Figure:
    """The fit's error against the number of hidden units (log scale), the chosen one ringed."""
    fig = new_figure(go.Scatter(x=units, y=np.maximum(rmse, 1e-6), mode="lines+markers", showlegend=False,
                               line=dict(color=PALETTE[0])))
    if 1 <= chosen <= len(rmse):
        fig.add_trace(go.Scatter(x=[chosen], y=[max(rmse[chosen - 1], 1e-6)], mode="markers", showlegend=False,
                                 marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(color=PALETTE[1], width=3))))
    fig.update_yaxes(type="log", exponentformat="e", dtick=1)  # one tick per power of ten
    return _frame(fig, title, x_title, y_title, height)
