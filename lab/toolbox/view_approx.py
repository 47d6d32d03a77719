"""Universal approximation: a target, an activation and a number of units in; the fit out."""

from __future__ import annotations

import streamlit as st

from core import i18n
from lab.toolbox import maths_approx as ua
from lab.toolbox import plots
from ui import chrome, display


@st.cache_data(show_spinner=False, max_entries=16)
def _errors(target: str, activation: str) -> tuple[list[int], list[float]]:
    units, rmse = ua.error_by_units(target, activation, ua.MAX_UNITS)  # the same for everyone: cached
    return units.tolist(), rmse.tolist()


def approx_tab(t: i18n.Translator) -> None:
    """The whole universal-approximation tab."""
    st.markdown(t("toolbox.approx.explain"))
    c = st.columns(3)
    target = c[0].selectbox(t("toolbox.approx.target"), list(ua.TARGETS), key="toolbox_approx_target",
                            format_func=lambda n: t(f"toolbox.approx.targets.{n}"))
    activation = c[1].selectbox(t("toolbox.approx.activation"), list(ua.ACTIVATIONS), key="toolbox_approx_activation",
                                format_func=lambda n: t(f"toolbox.approx.activations.{n}"))
    units = c[2].slider(t("toolbox.approx.units"), 1, ua.MAX_UNITS, 5, key="toolbox_approx_units")
    fit = ua.fit(target, int(units), activation)
    left, right = st.columns([3, 2])
    display.show(plots.approximation(fit.x, fit.target, fit.output, fit.contributions,
                                     t("toolbox.approx.target_label"), t("toolbox.approx.output_label"),
                                     t("toolbox.approx.unit_label"), t("toolbox.approx.fit_title", n=int(units))),
                 key="toolbox_approx_fit", where=left,
                 text=t("toolbox.approx.fit_text", rmse=i18n.format_number(fit.rmse, chrome.language(), ".3g")))
    counts, rmse = _errors(target, activation)
    display.show(plots.error_by_units(counts, rmse, int(units), t("toolbox.approx.error_title"),
                                      t("toolbox.approx.units_axis"), t("toolbox.approx.error_axis")),
                 key="toolbox_approx_error", where=right)
