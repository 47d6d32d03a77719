"""The convolution lesson's heatmap panels: data in, a panel spec for ``ui.plots.heatmap_panels`` out.

No Streamlit here: the page and its views draw the panels (``view.draw``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lab.convolution import maths as conv

TEXT_UP_TO = 9  # write the values in the cells of grids up to this side
WINDOW, CELL, BORDER = "#ff7f0e", "#2ca02c", "#7f7f7f"  # the sliding window, the output cell it fills, the real image


def panel(z: np.ndarray, title: str, rng: tuple[float, float], boxes: Sequence[tuple] = (),
          text: np.ndarray | None = None) -> dict:
    """One heatmap of a row: grey for images, red-blue when values have both signs."""
    low, high = rng
    return dict(z=z, title=title, zmin=low, zmax=high, boxes=boxes, text=text,
                colorscale="RdBu" if low < 0 else "gray")


def cell_text(z: np.ndarray) -> np.ndarray | None:
    """The values to write in the cells of a small grid (``None`` above ``TEXT_UP_TO`` cells a side)."""
    return conv.cell_text(z) if z.shape[0] <= TEXT_UP_TO else None
