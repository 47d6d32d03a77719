"""Streamlit pieces of the convolution page: an editable grid of numbers and a row of heatmaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui import display, plots


def edit_grid(a: np.ndarray, key: str) -> np.ndarray:
    """A small editable grid of numbers (keyboard: arrows, type, Enter); the edited ``(n, m)`` values."""
    frame = pd.DataFrame(a, columns=[str(i + 1) for i in range(a.shape[1])])
    columns = {str(i + 1): st.column_config.NumberColumn(width=64) for i in range(a.shape[1])}
    return st.data_editor(frame, key=key, hide_index=True, column_config=columns,
                          width="content").to_numpy(dtype=float)


def draw(key: str, *panels: dict, height: int = 360) -> None:
    """Panels (``lab.convolution.plots.panel``) side by side in one chart, keyed ``convolution_chart_<key>``."""
    display.show(plots.heatmap_panels(panels, height), width="stretch", key=f"convolution_chart_{key}")
