"""The Draw tab's views of one digit: the prediction, and the explanations behind it.

A stroke redraws only ``prediction`` (one model call, one metric, one figure of bars). Each
explanation sits in an expander whose body runs only while it is open. They are not a
fragment of their own: a nested fragment deep-copies Streamlit's container stack on every
stroke, and a stroke is what sixty students do at once (issue 35); opening or closing one
reruns the Draw tab's fragment, one more prediction, which is rarer and as cheap as a stroke.
Their results come from ``core.models.explain``'s cache shared by every session: thirty
students opening the teacher's demo drawing compute it once.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import Translator
from core.maths.preprocess import Stages
from core.models import classifier, explain
from ui import chrome, display, plots

DIGITS = list(range(10))


def prediction(t: Translator, lang: str, model, digit: np.ndarray) -> int:
    """Prediction, confidence and the ten probabilities for ``digit`` ``(28, 28)``; the top digit.

    The bars are one HTML figure (``display.bars_html``) whose caption writes the answer out and
    says it to screen readers: two elements in all, as a stroke of every student redraws them.
    """
    probs = classifier.predict_proba(model, digit)[0]
    top = int(probs.argmax())
    # one metric (the confidence as its grey note) and one figure: each element is a message
    st.metric(t("classifier.draw.prediction"), str(top), delta_color="off", delta_arrow="off",
              delta=t("classifier.draw.confidence_note", conf=i18n.format_number(float(probs[top]), lang, ".1%")))
    st.markdown(display.bars_html(DIGITS, probs, top, t("classifier.draw.probs_title"),
                                  t("classifier.draw.probs_text", top=display.top_text(DIGITS, probs, lang)),
                                  t("classifier.draw.announce", digit=top, conf=float(probs[top])), lang),
                unsafe_allow_html=True)
    return top


def _lazy(t: Translator, title_key: str, key: str, icon: str):
    """An expander that reruns the Draw tab when toggled; ``.open`` says whether to draw."""
    return st.expander(t(title_key), icon=icon, key=key, on_change="rerun")


def explanations(t: Translator, found: Stages, model, shipped_cnn, top: int) -> None:
    """The three explanations of the drawing ``found`` read as ``top`` by ``model``."""
    with chrome.guard(t):  # one failing explanation says why; the correction box below still shows
        stages(t, found)
        feature_maps(t, model, shipped_cnn, found.digit)
        occlusion(t, model, found.digit, top)


def stages(t: Translator, found: Stages) -> None:
    """From the drawing to the 28×28 input, in four pictures (only while open)."""
    box = _lazy(t, "classifier.draw.stages_title", "classifier_stages_open", ":material/filter_frames:")
    with box:
        if not box.open:
            return
        cols = st.columns(4)
        for col, (name, img) in zip(cols, [("drawn", found.drawn), ("cropped", found.cropped),
                                           ("boxed", found.boxed), ("digit", found.digit)]):
            scale = max(1, 112 // max(img.shape))
            stage = t(f"classifier.draw.stage_{name}")
            col.image(plots.to_png_array(img, scale=scale), caption=stage, width=112,
                      alt=t("classifier.draw.stage_alt", stage=stage))


def layer_names(t: Translator, names: list[str]) -> list[str]:
    """Keras layer names ("improved_1_b1a_relu") as names for students ("Convolution 1 after
    ReLU", "Max pooling 1"), numbered per kind in order."""
    out, seen = [], {}
    for name in names:
        low = name.lower()
        kind = "pool" if "pool" in low else "relu" if "relu" in low or "act" in low else "conv"
        seen[kind] = seen.get(kind, 0) + 1
        out.append(t(f"classifier.draw.layer_{kind}", n=seen[kind]))
    return out


def feature_maps(t: Translator, model, shipped_cnn, digit: np.ndarray) -> None:
    """The conv and pooling layers' outputs (the shipped CNN's when ``model`` is an MLP)."""
    box = _lazy(t, "classifier.draw.maps_title", "classifier_maps_open", ":material/layers:")
    with box:
        if not box.open:
            return
        net = model if explain.conv_model(model) is not None else shipped_cnn()
        if net is None:
            st.info(t("classifier.draw.maps_none"))
            return
        st.caption(t("classifier.draw.maps_help", model=net.name))
        found = explain.cached_feature_maps(net, digit, max_maps=16)
        # one screen pixel size for every layer (the input's): a pooled map is drawn smaller
        scale = max(1, 224 // plots.tile(found[0][1], cols=8, value=0.0).shape[0]) if found else 1
        for name, maps in zip(layer_names(t, [n for n, _ in found]), (m for _, m in found)):
            grid = plots.tile(maps, cols=8, value=0.0)
            st.image(plots.to_png_array(grid, scale=scale),
                     caption=t("classifier.draw.maps_layer", layer=name, h=maps.shape[1], w=maps.shape[2]),
                     alt=t("classifier.draw.maps_alt", layer=name, h=maps.shape[1], w=maps.shape[2]))


def occlusion(t: Translator, model, digit: np.ndarray, top: int) -> None:
    """Which strokes the answer depends on; one member of an ensemble unless asked for all."""
    box = _lazy(t, "classifier.draw.occlusion_title", "classifier_occlusion_open", ":material/visibility:")
    with box:
        if not box.open:
            return
        n = len(explain.members(model))
        whole = n > 1 and st.toggle(t("classifier.draw.occlusion_all", n=n), key="classifier_occlusion_all",
                                    help=t("classifier.draw.occlusion_all_help", n=n))
        heat = explain.cached_occlusion(model, digit, one_member=not whole)
        c1, c2 = st.columns(2)
        c1.image(plots.to_png_array(digit, scale=6), caption=t("classifier.draw.stage_digit"),
                 alt=t("classifier.draw.stage_alt", stage=t("classifier.draw.stage_digit")))
        display.show(plots.heatmap(heat, colorscale="Reds", height=260,
                                 title=t("classifier.draw.occlusion_chart", digit=top)),
                   key="classifier_occlusion", where=c2)
        st.caption(t("classifier.draw.occlusion_help"))
        if n > 1 and not whole:
            st.caption(t("classifier.draw.occlusion_member", n=n))
