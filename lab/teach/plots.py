"""The teach page's figure: data in, plotly figure out (no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.plots import PALETTE, new_figure


def probability_bars(ranked: list[tuple[str, float]], title: str, axis: str, percent: list[str],
                     separators: str = ".,") -> go.Figure:
    """Horizontal bars, one per class, most likely on top; ``percent``: each bar's text in the
    session's language (``"97 %"``), in the order of ``ranked``; ``separators``: plotly's decimal
    mark and thousands separator for the axis (``",."`` in Spanish)."""
    names = [name for name, _ in ranked][::-1]  # plotly draws the first bar at the bottom
    values = [p for _, p in ranked][::-1]
    colours = [PALETTE[0] if i == len(values) - 1 else "#9aa5b1" for i in range(len(values))]
    fig = new_figure(go.Bar(x=values, y=names, orientation="h", marker_color=colours, text=percent[::-1],
                           textposition="auto", hoverinfo="skip"))
    fig.update_layout(title=dict(text=title), height=80 + 34 * len(values), margin=dict(l=10, r=10, t=40, b=40),
                      xaxis=dict(range=[0, 1.02], tickvals=[0, 0.25, 0.5, 0.75, 1], tickformat=".0%", title=dict(text=axis)),
                      yaxis=dict(automargin=True), showlegend=False, separators=separators)
    return fig
