"""Plotly figures of the DCGAN page's latent map (``ui.plots``' style: data in, figure out)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ui.plots import PALETTE, _layout

GAP = 2  # white pixels between cells
UNSURE = 0.5  # cells the classifier reads with less confidence are drawn in grey
GREY = (0.55, 0.55, 0.55)


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0


def map_picture(images: np.ndarray, labels: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """The grid as one RGB ``uint8`` picture: each cell's digit in the colour of what the
    classifier reads (grey when unsure), on white. ``images`` ``(R, C, 28, 28)``."""
    rows, cols = labels.shape
    colours = np.stack([_rgb(c) for c in PALETTE])[labels]  # (R, C, 3)
    colours[confidence < UNSURE] = GREY
    ink = np.asarray(images, dtype=np.float32)[..., None]  # (R, C, 28, 28, 1)
    tiles = 1.0 - ink * (1.0 - colours[:, :, None, None, :])  # white paper, coloured ink
    side = 28 + GAP
    picture = np.ones((rows * side - GAP, cols * side - GAP, 3), np.float32)
    for r in range(rows):
        for c in range(cols):
            picture[r * side:r * side + 28, c * side:c * side + 28] = tiles[r, c]
    return (picture * 255).round().astype(np.uint8)


def latent_map(images: np.ndarray, labels: np.ndarray, confidence: np.ndarray, coords: Sequence[float],
               title: str, x_title: str, y_title: str, reads: str, marks: Sequence[tuple[int, int]] = (),
               height: int = 620) -> go.Figure:
    """The latent map: generated digits coloured by the classifier's reading, clickable cells.

    Plotly images send no selection when clicked, so an invisible marker sits on every cell
    (trace 1, ``point_index = row * cols + col``). ``coords`` label the axes (``u`` left to
    right, ``v`` top to bottom from ``+span``); ``marks`` outlines cells ``(row, col)``;
    ``reads`` is the hover's word for the reading ("reads"). Trace 2.. are the legend.
    """
    rows, cols = labels.shape
    side = 28 + GAP
    fig = go.Figure(go.Image(z=map_picture(images, labels, confidence), hoverinfo="skip"))
    r, c = np.divmod(np.arange(rows * cols), cols)
    coords = np.asarray(coords, dtype=float)
    data = np.stack([coords[c], coords[::-1][r], labels.ravel(), confidence.ravel()], axis=1)
    fig.add_trace(go.Scatter(x=c * side + 14, y=r * side + 14, mode="markers", customdata=data, showlegend=False,
                             marker=dict(size=int(0.8 * (height - 120) / rows), symbol="square",
                                         color="rgba(0,0,0,0)"),
                             hovertemplate=f"u = %{{customdata[0]:.2f}} · v = %{{customdata[1]:.2f}}<br>{reads} "
                                           "%{customdata[2]} (%{customdata[3]:.0%})<extra></extra>"))
    for d in range(10):  # legend entries only
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=str(d),
                                 marker=dict(color=PALETTE[d], symbol="square", size=12)))
    for row, col in marks:
        fig.add_shape(type="rect", x0=col * side - 1.5, x1=col * side + 28.5, y0=row * side - 1.5,
                      y1=row * side + 28.5, line=dict(color="black", width=3))
    ticks = np.arange(0, rows, max(1, (rows - 1) // 4))  # five labels per axis
    fig.update_xaxes(tickvals=ticks * side + 14, ticktext=[f"{coords[i]:.2g}" for i in ticks], showgrid=False,
                     zeroline=False)
    fig.update_yaxes(tickvals=ticks * side + 14, ticktext=[f"{coords[::-1][i]:.2g}" for i in ticks],
                     showgrid=False, zeroline=False, scaleanchor="x")
    fig = _layout(fig, title, x_title, y_title, height)
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig
