"""Plotly figures of the DCGAN page's latent map (``ui.plots``' style: data in, figure out)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.plots import new_figure, style

GAP = 2  # white pixels between cells
UNSURE = 0.5  # cells the classifier reads with less confidence are drawn in grey
GREY = "#9a9a9a"  # "unsure" only: no digit's colour is a grey
# One colour per digit, none of them grey (the shared palette's 7 is the grey of "unsure"),
# neighbours in hue kept apart; every cell also carries its digit as a label.
MAP_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
               "#000000", "#bcbd22", "#17becf"]


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0


def map_picture(images: np.ndarray, labels: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """The grid as one RGB ``uint8`` picture: each cell's digit in the colour of what the
    classifier reads (grey when unsure), on white. ``images`` ``(R, C, 28, 28)``."""
    rows, cols = labels.shape
    colours = np.stack([_rgb(c) for c in MAP_COLOURS])[labels]  # (R, C, 3)
    colours[confidence < UNSURE] = _rgb(GREY)
    ink = np.asarray(images, dtype=np.float32)[..., None]  # (R, C, 28, 28, 1)
    tiles = 1.0 - ink * (1.0 - colours[:, :, None, None, :])  # white paper, coloured ink
    side = 28 + GAP
    picture = np.ones((rows * side - GAP, cols * side - GAP, 3), np.float32)
    for r in range(rows):
        for c in range(cols):
            picture[r * side:r * side + 28, c * side:c * side + 28] = tiles[r, c]
    return (picture * 255).round().astype(np.uint8)


def legend_html(unsure: str) -> str:
    """The map's legend as HTML that wraps on a narrow screen: a coloured square per digit and a
    grey one for ``unsure``."""
    items = [(MAP_COLOURS[d], str(d)) for d in range(10)] + [(GREY, html.escape(unsure))]
    return "<div style='display:flex;flex-wrap:wrap;gap:0.25rem 0.9rem;font-size:0.9rem'>" + "".join(
        f"<span><span aria-hidden='true' style='color:{colour}'>■</span> {text}</span>"
        for colour, text in items) + "</div>"


def cell_labels(labels: np.ndarray, confidence: np.ndarray) -> list[str]:
    """Each cell's label, row by row: the digit read, or ``?`` when the reading is unsure."""
    return [str(d) if c >= UNSURE else "?" for d, c in zip(labels.ravel(), confidence.ravel())]


def latent_map(images: np.ndarray, labels: np.ndarray, confidence: np.ndarray, coords: Sequence[float],
               title: str, x_title: str, y_title: str, reads: str, marks: Sequence[tuple[int, int]] = (),
               height: int = 620) -> go.Figure:
    """The latent map: generated digits coloured by the classifier's reading, clickable cells.

    Plotly images send no selection when clicked, so an invisible marker sits on every cell
    (trace 1, ``point_index = row * cols + col``). ``coords`` label the axes (``u`` left to
    right, ``v`` top to bottom from ``+span``); ``marks`` outlines cells ``(row, col)``;
    ``reads`` is the hover's word for the reading ("reads"). Trace 2 labels every cell with its
    digit (``?`` when unsure) in a corner, so a colour is never the only cue. The legend is
    ``legend_html`` (plotly's legend, wrapped on a phone, covered the title).
    """
    rows, cols = labels.shape
    side = 28 + GAP
    fig = new_figure(go.Image(z=map_picture(images, labels, confidence), hoverinfo="skip"))
    r, c = np.divmod(np.arange(rows * cols), cols)
    coords = np.asarray(coords, dtype=float)
    data = np.stack([coords[c], coords[::-1][r], labels.ravel(), confidence.ravel()], axis=1)
    fig.add_trace(go.Scatter(x=c * side + 14, y=r * side + 14, mode="markers", customdata=data, showlegend=False,
                             marker=dict(size=int(0.8 * (height - 120) / rows), symbol="square",
                                         color="rgba(0,0,0,0)"),
                             hovertemplate=f"u = %{{customdata[0]:.2f}} · v = %{{customdata[1]:.2f}}<br>{reads} "
                                           "%{customdata[2]} (%{customdata[3]:.0%})<extra></extra>"))
    text = cell_labels(labels, confidence)
    fig.add_trace(go.Scatter(x=c * side + 1, y=r * side + 1, mode="text", text=text, showlegend=False,
                             textposition="bottom right", hoverinfo="skip",
                             textfont=dict(size=max(8, min(12, int(0.25 * (height - 120) / rows))),
                                           color=[MAP_COLOURS[int(d)] if t != "?" else "#555555"
                                                  for d, t in zip(labels.ravel(), text)])))
    for row, col in marks:
        fig.add_shape(type="rect", x0=col * side - 1.5, x1=col * side + 28.5, y0=row * side - 1.5,
                      y1=row * side + 28.5, line=dict(color="black", width=3))
    ticks = np.arange(0, rows, max(1, (rows - 1) // 4))  # five labels per axis
    fig.update_xaxes(tickvals=ticks * side + 14, ticktext=[f"{coords[i]:.2g}" for i in ticks], showgrid=False,
                     zeroline=False)
    fig.update_yaxes(tickvals=ticks * side + 14, ticktext=[f"{coords[::-1][i]:.2g}" for i in ticks],
                     showgrid=False, zeroline=False, scaleanchor="x")
    fig = style(fig, title, x_title, y_title, height)
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig
