"""A finger's tap selects the point it lands on in a clickable plotly chart.

Plotly selects on click from its last *hover* (``gd._hoverdata``). A mouse hovers before it
clicks, so the hover is where the click is; a finger does not: plotly cancels the browser's
emulated mouse events on touch, so a tap selected the point the *previous* tap had hovered,
and a tap on the point already selected took it away again. Half the taps on the
playground's point plane were lost that way (issue 36). This small ``st.components.v2``
component (nothing visible) listens, once per browser page, to ``touchstart`` on the drag
area of any chart whose ``clickmode`` selects, and sends that area a ``mousemove`` at the
finger first: plotly hovers there, and the tap selects what is under the finger.
"""

from __future__ import annotations

import streamlit as st

_JS = r"""
export default function ({ parentElement }) {
  // nothing to see: the element takes no room in the page's column (no gap below the chart)
  const host = parentElement.host || parentElement;
  const box = host.closest ? host.closest("[data-testid='stElementContainer']") : null;
  if (box) box.style.display = "none";
  if (window.__nnlabTapHover) return;  // one listener for every chart on every page
  window.__nnlabTapHover = true;
  document.addEventListener("touchstart", (ev) => {
    if (ev.touches.length !== 1 || !ev.target.closest) return;
    const drag = ev.target.closest(".nsewdrag");
    const chart = drag && drag.closest(".js-plotly-plot");
    const mode = chart && chart._fullLayout ? String(chart._fullLayout.clickmode) : "";
    if (!mode.includes("select")) return;
    const t = ev.touches[0];
    drag.dispatchEvent(new MouseEvent("mousemove", {
      clientX: t.clientX, clientY: t.clientY, bubbles: true, cancelable: true, view: window }));
  }, { capture: true, passive: true });
}
"""

_component = st.components.v2.component("nnlab.plot_taps", js=_JS, html="")


def tap_selects(key: str) -> None:
    """Make taps select the tapped point in clickable charts (mount beside the chart ``key``)."""
    _component(key=f"{key}_taps", data={}, width="content", height="content")
