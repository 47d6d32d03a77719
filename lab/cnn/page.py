"""The whole CNN on your drawing: every layer's units as small maps, and any unit opened down
to its sum (CNN Explainer's view, for the lab's own CNNs and the student's own digit)."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("cnn.title"))
st.markdown(t("cnn.intro"))
chrome.lesson(t, "cnn")

from lab.cnn import view_input, view_overview, view_unit  # noqa: E402  (Keras loads after the title)
from ui import plots  # noqa: E402

left, right = st.columns([3, 2])
with left:
    entry = view_input.choose_model(t)
    with chrome.guard(t):
        digit = None
        digit = view_input.choose_digit(t)
if entry is None or digit is None:
    st.stop()

model = None
with right, chrome.guard(t):
    model = view_input.load(entry)
    right.image(plots.to_png_array(digit, scale=5), caption=t("cnn.source.seen"), width=140,
                alt=t("cnn.source.seen_alt"))
if model is None:
    st.stop()



@st.fragment
def explained(model, digit) -> None:
    """The overview and the opened unit. A fragment: a click on a unit reruns this part alone,
    not the canvas and the controls above."""
    chosen = None
    with chrome.guard(t):
        chosen = view_overview.overview(t, model, digit)
    if chosen is not None:
        with chrome.guard(t):
            view_unit.unit(t, model, digit, *chosen)


explained(model, digit)
