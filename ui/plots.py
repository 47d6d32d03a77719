"""Shared plotly figure builders. Pure functions: data in, ``go.Figure`` out.

Pages draw every chart through these so that fonts, colours and sizes match across
the lab. Titles and axis labels arrive already translated. Putting a figure on the
page (accessibly: a title, no mode bar, a text equivalent) is ``ui.display``'s job.

The lab's look is one template, ``TEMPLATE``, that every figure carries from its
construction: ``new_figure`` (or a layout from ``base_layout``) gives it, ``style`` adds
the title, margins and axis titles. Importing this module changes no plotly default:
a figure built with a bare ``go.Figure()`` gets plotly's own look, not the lab's.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]

# Plotly copies and validates a figure's template when the figure is built. Plotly's
# "plotly_white" is a large object (colour scales for every trace type): building it was ~80 %
# of a 20 ms bar chart, paid on every stroke by every student. This compact template keeps its
# look (white plot area, light grid) for what the lab draws, at ~1 ms a figure. Given at
# construction (``new_figure``), plotly's default template is never copied at all.
_GRID = "#EBF0F8"
TEMPLATE_NAME = "nnlab"  # what the lab calls its look (docs, tests); the template is not registered in plotly
TEMPLATE = go.layout.Template(layout=dict(
    colorway=PALETTE, font=dict(color="#2a3f5f"), paper_bgcolor="white", plot_bgcolor="white",
    hovermode="closest", hoverlabel=dict(align="left"),
    xaxis=dict(gridcolor=_GRID, linecolor=_GRID, zerolinecolor=_GRID, zerolinewidth=2, automargin=True,
               ticks="", title=dict(standoff=15)),
    yaxis=dict(gridcolor=_GRID, linecolor=_GRID, zerolinecolor=_GRID, zerolinewidth=2, automargin=True,
               ticks="", title=dict(standoff=15))))


def new_figure(data: Any = None, layout: Mapping | None = None) -> go.Figure:
    """A figure in the lab's look: ``go.Figure(data, layout)`` with ``TEMPLATE`` as its template.

    ``layout`` may be ``base_layout(...)`` or any layout dict (a ``template`` in it is replaced)."""
    # An empty template stops plotly copying its default; TEMPLATE, validated once when built
    # above, is then set unvalidated, as plotly sets its default (0.3 ms a figure instead of 0.8).
    fig = go.Figure(data, layout={**(layout or {}), "template": {}})
    fig.layout._validate = False
    try:
        fig.layout.template = TEMPLATE
    finally:
        fig.layout._validate = fig._validate
    return fig


def base_layout(title: str = "", x_title: str = "", y_title: str = "", height: int = 360,
                legend: bool = False) -> dict:
    """The lab's layout as a fresh dict (the caller may change it): the title at the top,
    margins, axis titles and a horizontal legend above the plot (room made for it when
    ``legend``). Build a figure with it (``new_figure(data, base_layout(...))``) or apply it
    to one built with ``new_figure`` (``fig.update_layout(base_layout(...))``)."""
    # A horizontal legend sits just above the plot area; the title goes above it, so a figure
    # with both needs a taller top margin (else the title and the legend overlap).
    top = (45 if title else 0) + (30 if legend else 0) or 20
    return dict(title=dict(text=title, y=1, yanchor="top", yref="container", pad=dict(t=12)),
                height=height, margin=dict(l=40, r=20, t=top, b=40),
                xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)),
                legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))


def style(fig: go.Figure, title: str = "", x_title: str = "", y_title: str = "",
          height: int = 360) -> go.Figure:
    """``fig`` (built with ``new_figure``) in the lab's layout (``base_layout``), with room for a
    legend when it has several traces in one; returns ``fig``."""
    legend = any(getattr(tr, "showlegend", None) is not False for tr in fig.data) and len(fig.data) > 1
    fig.update_layout(base_layout(title, x_title, y_title, height, legend))
    return fig


def template_json() -> dict:
    """``TEMPLATE`` as plotly writes it into a figure: a fresh copy, for figures built without
    validation (``go.Figure(dict(...), _validate=False)`` skips the template too)."""
    return copy.deepcopy(_expanded_template())


def lines(series: Mapping[str, Sequence[float]], title: str = "", x_title: str = "",
          y_title: str = "", x: Sequence[float] | None = None,
          band: tuple[float, float, str] | None = None, height: int = 360, log_y: bool = False) -> go.Figure:
    """One line per named series; ``band=(low, high, label)`` shades a horizontal band; ``log_y``
    draws the y axis on a log scale (values spanning many orders of magnitude)."""
    fig = new_figure()
    for i, (name, ys) in enumerate(series.items()):
        xs = list(x) if x is not None else list(range(1, len(ys) + 1))
        fig.add_trace(go.Scatter(x=xs, y=list(ys), mode="lines", name=name,
                                 line=dict(color=PALETTE[i % len(PALETTE)])))
    if band is not None:
        low, high, label = band
        fig.add_hrect(y0=low, y1=high, fillcolor="green", opacity=0.1, line_width=0,
                      annotation_text=label, annotation_position="top left")
    # a log axis in powers of ten (10⁻⁹), never plotly's SI prefixes (1n, 10p) students misread
    return style(fig, title, x_title, y_title, height).update_yaxes(
        type="log" if log_y else "-", exponentformat="power" if log_y else "B")


def heatmap(z: np.ndarray, title: str = "", colorscale: str = "Greys", zmin: float | None = None,
            zmax: float | None = None, text: np.ndarray | None = None, x_title: str = "",
            y_title: str = "", height: int = 360, show_scale: bool = True,
            x_labels: Sequence | None = None, y_labels: Sequence | None = None,
            square: bool = True) -> go.Figure:
    """A matrix as a heatmap with row 0 at the top (like an image); ``text`` annotates cells;
    ``square=False`` lets a wide matrix fill the height (28 rows × 128 units: else a thin strip)."""
    z = np.asarray(z, dtype=float)
    layout = base_layout(title, x_title, y_title, height)  # one constructor call: no re-validation
    layout["yaxis"].update(autorange="reversed", **({"scaleanchor": "x", "constrain": "domain"} if square else {}))
    layout["xaxis"]["constrain"] = "domain"
    return new_figure(go.Heatmap(
        z=z, x=list(x_labels) if x_labels is not None else None,
        y=list(y_labels) if y_labels is not None else None, colorscale=colorscale,
        zmin=zmin, zmax=zmax, showscale=show_scale,
        text=None if text is None else np.asarray(text).astype(str),
        texttemplate="%{text}" if text is not None else None, hovertemplate="%{y}, %{x}: %{z}<extra></extra>"), layout=layout)


def bars(labels: Sequence, values: Sequence[float], title: str = "", x_title: str = "",
         y_title: str = "", highlight: int | None = None, height: int = 300,
         y_range: tuple[float, float] | None = None) -> go.Figure:
    """A bar chart; bar number ``highlight`` is drawn in the accent colour.

    The Draw tab redraws it on every stroke of every student, so it is built without
    plotly's validation (three quarters of its cost): every value is ours, the template
    comes expanded, and ``tests/unit/test_plots.py`` checks the result equals the
    validated figure.
    """
    colors = [PALETTE[1] if i == highlight else PALETTE[0] for i in range(len(values))]
    layout = base_layout(title, x_title, y_title, height)
    layout["xaxis"]["type"] = "category"  # every label shown, digits not read as numbers
    if y_range:
        layout["yaxis"]["range"] = list(y_range)
    layout["template"] = template_json()  # a copy: the figure may change its own
    trace = dict(type="bar", x=[str(label) for label in labels], y=[float(v) for v in values],
                 marker=dict(color=colors))
    return go.Figure(dict(data=[trace], layout=layout), _validate=False)


@functools.lru_cache(maxsize=1)
def _expanded_template() -> dict:
    """``TEMPLATE`` as plotly writes it into a figure (computed once)."""
    return new_figure().to_plotly_json()["layout"]["template"]


def tile(images: np.ndarray, cols: int, pad: int = 2, value: float = 1.0) -> np.ndarray:
    """Arrange ``(N, H, W)`` images in a grid ``(rows*(H+pad)-pad, cols*(W+pad)-pad)``."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4:
        images = images[..., 0]
    n, h, w = images.shape
    rows = -(-n // cols)
    grid = np.full((rows * (h + pad) - pad, cols * (w + pad) - pad), value, dtype=np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        grid[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = img
    return grid


def to_png_array(image: np.ndarray, scale: int = 1, invert: bool = False) -> np.ndarray:
    """A float image in [0, 1] as ``uint8`` for ``st.image``, enlarged by ``scale`` (nearest)."""
    img = np.clip(np.asarray(image, dtype=np.float32), 0, 1)
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if invert:
        img = 1 - img
    if scale > 1:
        img = img.repeat(scale, axis=0).repeat(scale, axis=1)
    return (img * 255).round().astype(np.uint8)


def training_curves(batch_x: Sequence[float], batch_series: Mapping[str, Sequence[float]],
                    epoch_series: Mapping[str, Sequence[float]], title: str = "",
                    x_title: str = "", y_title: str = "", height: int = 320) -> go.Figure:
    """Live training curves: thin per-batch lines at fractional epochs, dots per finished epoch.

    ``batch_x`` are fractional epochs for every per-batch value; epoch series are drawn
    at x = 1, 2, ... (classifier page).
    """
    fig = new_figure()
    for i, (name, ys) in enumerate(batch_series.items()):
        fig.add_trace(go.Scatter(x=list(batch_x)[-len(ys):] if len(ys) else [], y=list(ys), mode="lines",
                                 name=name, line=dict(color=PALETTE[i % len(PALETTE)], width=1), opacity=0.6))
    for i, (name, ys) in enumerate(epoch_series.items()):
        fig.add_trace(go.Scatter(x=list(range(1, len(ys) + 1)), y=list(ys), mode="lines+markers", name=name,
                                 line=dict(color=PALETTE[(i + 2) % len(PALETTE)], width=2)))
    return style(fig, title, x_title, y_title, height)


def grouped_bars(labels: Sequence, series: Mapping[str, Sequence[float]], title: str = "",
                 x_title: str = "", y_title: str = "", height: int = 300,
                 y_range: tuple[float, float] | None = None) -> go.Figure:
    """Bars side by side, one colour per named series (classifier page: precision/recall)."""
    fig = new_figure([go.Bar(x=[str(label) for label in labels], y=list(values), name=name,
                            marker_color=PALETTE[i % len(PALETTE)])
                     for i, (name, values) in enumerate(series.items())])
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")  # every label shown, digits not read as numbers
    if y_range:
        fig.update_yaxes(range=list(y_range))
    return style(fig, title, x_title, y_title, height)


def confusion_matrix(cm: np.ndarray, labels: Sequence, title: str = "", x_title: str = "",
                     y_title: str = "", height: int = 460) -> go.Figure:
    """``cm[true, predicted]`` as an annotated heatmap whose cells can be clicked.

    Plotly's heatmaps send no selection when clicked, so an invisible marker sits on every
    cell: a click selects it (trace 1, point ``x``, ``y``) with ``selection_mode="points"``.
    """
    cm = np.asarray(cm)
    fig = heatmap(cm, colorscale="Blues", text=cm, x_labels=labels, y_labels=labels, height=height,
                  x_title=x_title, y_title=y_title, title=title)
    xs, ys = np.meshgrid(np.arange(len(labels)), np.arange(len(labels)))
    fig.add_trace(go.Scatter(x=[labels[i] for i in xs.ravel()], y=[labels[i] for i in ys.ravel()], mode="markers",
                             marker=dict(size=36, symbol="square", color="rgba(0,0,0,0)"),
                             customdata=cm.ravel(), hovertemplate="%{y} → %{x}: %{customdata}<extra></extra>",
                             showlegend=False))
    fig.update_layout(clickmode="event+select", dragmode=False)
    for axis in (fig.update_xaxes, fig.update_yaxes):  # one tick per class (digits: not 0, 5, 10)
        axis(tickmode="array", tickvals=list(labels), ticktext=[str(v) for v in labels])
    return fig


def heatmap_panels(panels: Sequence[Mapping], height: int = 360) -> go.Figure:
    """Several heatmaps side by side in one figure (cheaper to draw than one chart each).

    Each panel is a mapping with ``z`` and optional ``title``, ``zmin``, ``zmax``,
    ``colorscale``, ``text`` (cell labels) and ``boxes`` (``(top, left, h, w, colour)``).
    Rows and columns are numbered from 1 on the axes, as people count cells (boxes stay
    0-based); row 1 is at the top; each panel keeps square cells and its own colour bar.
    """
    from plotly.subplots import make_subplots

    n = len(panels)
    fig = make_subplots(rows=1, cols=n, subplot_titles=[p.get("title", "") for p in panels],
                        horizontal_spacing=0.3 / n, figure=new_figure())
    for i, p in enumerate(panels, start=1):
        z = np.asarray(p["z"], dtype=float)
        text = p.get("text")
        fig.add_trace(go.Heatmap(
            z=z, x=np.arange(1, z.shape[1] + 1), y=np.arange(1, z.shape[0] + 1), colorscale=p.get("colorscale", "gray"), zmin=p.get("zmin"), zmax=p.get("zmax"),
            text=None if text is None else np.asarray(text).astype(str),
            texttemplate="%{text}" if text is not None else None,
            hovertemplate="%{y}, %{x}: %{z}<extra></extra>",
            colorbar=dict(thickness=10, len=0.8, x=fig.layout[f"xaxis{i if i > 1 else ''}"].domain[1] + 0.005)),
            row=1, col=i)
        suffix = i if i > 1 else ""
        dtick = 1 if max(z.shape) <= 10 else None  # whole cell numbers on small grids
        fig.update_layout({f"yaxis{suffix}": dict(autorange="reversed", scaleanchor=f"x{suffix}",
                                                  constrain="domain", dtick=dtick),
                           f"xaxis{suffix}": dict(constrain="domain", dtick=dtick)})
        for top, left, h, w, colour in p.get("boxes", ()):
            fig.add_shape(type="rect", x0=left + 0.5, x1=left + w + 0.5, y0=top + 0.5, y1=top + h + 0.5,
                          line=dict(color=colour, width=3), row=1, col=i)
    fig.update_annotations(font_size=14)
    return style(fig, height=height)


def function_curves(x: np.ndarray, curves: Mapping[str, np.ndarray], dashed: Sequence[str] = (),
                    shade: Sequence[tuple[float, float, str]] = (), title: str = "", x_title: str = "x",
                    y_title: str = "", y_range: tuple[float, float] | None = None,
                    height: int = 420) -> go.Figure:
    """Curves over ``x``; names in ``dashed`` are drawn dashed; ``shade`` = (x0, x1, label) zones,
    or (x0, x1, label, position) where zones overlap ("bottom right": plotly's annotation place)."""
    fig = new_figure()
    for i, (name, ys) in enumerate(curves.items()):
        fig.add_trace(go.Scatter(x=x, y=ys, mode="lines", name=name,
                                 line=dict(color=PALETTE[(i // 2 if dashed else i) % len(PALETTE)],
                                           dash="dash" if name in dashed else "solid", width=2.5)))
    for x0, x1, label, *where in shade:
        fig.add_vrect(x0=x0, x1=x1, fillcolor="grey", opacity=0.12, line_width=0,
                      annotation_text=label, annotation_position=where[0] if where else "top left")
    if y_range:
        fig.update_yaxes(range=list(y_range))
    return style(fig, title, x_title, y_title, height)


# ---------------------------------------------------------------- drawing accessibly (Streamlit)
# The plotly mode bar adds eight tab stops per chart and nothing a student needs.


def scatter_groups(points: np.ndarray, labels: Sequence[int], names: Sequence[str], title: str = "",
                   x_title: str = "", y_title: str = "") -> go.Figure:
    """2-D points ``(N, 2)`` coloured by group (``labels`` index ``names``), one trace per name."""
    p, lab = np.asarray(points, dtype=float), np.asarray(labels)
    return style(new_figure([go.Scatter(x=p[lab == i, 0], y=p[lab == i, 1], mode="markers", name=n, marker=dict(
        color=PALETTE[i % len(PALETTE)], size=8, opacity=0.8)) for i, n in enumerate(names)]), title, x_title, y_title, 380)
