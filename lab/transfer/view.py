"""The transfer page's tabs: keep symbol drawings, train three ways, see the features, try them.

Training is a background job (``transfer``) that saves one model per way; the "try it" tab
and the results table read those models and their cards, so they survive a restart.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import streamlit as st

from core import i18n
from core.jobs.registry import ACTIVE
from core.models import transfer as tr
from core.paths import read_json
from core.storage import store, symbols
from core.training import transfer as training
from ui import canvas, chrome, display, jobs_panel, links, plots

NAMES = list(symbols.SYMBOLS)


def glyph_name(t: i18n.Translator, name: str) -> str:
    return f"{symbols.GLYPHS[name]}  {t(f'transfer.symbols.names.{name}')}"


# ---------------------------------------------------------------- 1. the symbols
def symbols_tab(t: i18n.Translator) -> None:
    st.markdown(t("transfer.symbols.explain"))
    left, right = st.columns([1, 1])
    with left:
        drawing = canvas.digit_canvas("transfer_canvas", t("transfer.symbols.clear"), stroke=18)
    with right:
        name = st.selectbox(t("transfer.symbols.which"), NAMES, key="transfer_symbol", bind=links.URL,
                            format_func=lambda s: glyph_name(t, s))
        if drawing is not None:
            st.image(plots.to_png_array(drawing, scale=4), width=112, alt=t("transfer.symbols.preview_alt"))
        if st.button(t("transfer.symbols.keep"), key="transfer_keep", icon=":material/save:",
                     disabled=drawing is None, type="primary"):
            with chrome.guard(t):
                symbols.save_symbol(drawing, name, owner=chrome.session_label())
                st.session_state["transfer_canvas_n"] = st.session_state.get("transfer_canvas_n", 0) + 1
                st.session_state["transfer_kept_msg"] = glyph_name(t, name)
                st.rerun()
        if st.session_state.get("transfer_kept_msg"):
            st.success(t("transfer.symbols.kept", name=st.session_state.pop("transfer_kept_msg")))
    kept = symbols.list_symbols()
    x, y = symbols.starter_set()
    counts = {t("transfer.symbols.col_symbol"): [glyph_name(t, s) for s in NAMES],
              t("transfer.symbols.col_starter"): [int(np.sum(y == i)) for i in range(len(NAMES))],
              t("transfer.symbols.col_kept"): [sum(d.label == i for d in kept) for i in range(len(NAMES))]}
    st.dataframe(counts, hide_index=True, key="transfer_counts")
    card = read_json(symbols.STARTER.with_suffix(".json"), {})
    st.caption(t("transfer.symbols.starter_card", n=card.get("images", len(x)), seed=card.get("seed", "?"),
                 command=card.get("command", "")))
    st.image(plots.to_png_array(plots.tile(x[::8] / 255.0, cols=13, value=0.3), scale=2),
             alt=t("transfer.symbols.starter_alt"))
    _kept_gallery(t, kept)


GALLERY_NOTE = "transfer_gallery_note"  # what the last delete did, shown on the next run


def _delete(path) -> None:
    """A delete from a callback (outside any guard): already gone (another tab) is done, with a
    note; a refusal (not yours) is a note too."""
    t = chrome.translator()
    try:
        done = symbols.delete_symbol(path, owner=chrome.session_label(), teacher=jobs_panel.is_teacher())
        st.session_state[GALLERY_NOTE] = None if done else ("info", t("transfer.symbols.gone"))
    except ValueError as exc:  # InputError included
        st.session_state[GALLERY_NOTE] = ("warning", chrome.error_text(t, exc))


def _kept_gallery(t: i18n.Translator, kept: list) -> None:
    """This student's kept drawings, newest first (the teacher: the class's), each with Delete."""
    teacher = jobs_panel.is_teacher()
    me = symbols.owned.file_owner(chrome.session_label())
    shown = kept if teacher else [d for d in kept if me and d.owner == me]
    box = st.expander(t("transfer.symbols.gallery", n=len(shown)), key="transfer_gallery_open", on_change="rerun")
    with box:
        note = st.session_state.pop(GALLERY_NOTE, None)
        if note:
            getattr(st, note[0])(note[1])
        if not box.open or not shown:
            return
        cols = st.columns(8)
        for i, d in enumerate(shown[:48]):
            with cols[i % 8]:
                st.image(d.image, width=48, caption=glyph_name(t, NAMES[d.label]), alt=glyph_name(t, NAMES[d.label]))
                st.button(t("transfer.symbols.delete"), key=f"transfer_delete_{d.path.stem}",
                          on_click=_delete, args=(d.path,))


# ---------------------------------------------------------------- 2. three ways
def ways_tab(t: i18n.Translator) -> None:
    st.markdown(t("transfer.ways.explain"))
    c1, c2, c3 = st.columns(3)
    per = c1.slider(t("transfer.ways.per_symbol"), 3, 30, 10, key="transfer_per_symbol", bind=links.URL)
    epochs = c2.number_input(t("transfer.ways.epochs"), 1, 30, 5, key="transfer_epochs", bind=links.URL)
    use_kept = c3.checkbox(t("transfer.ways.use_kept", n=symbols.count_symbols()), True, key="transfer_use_kept",
                           bind=links.URL)
    if st.button(t("transfer.ways.start"), key="transfer_start", icon=":material/play_arrow:", type="primary",
                 **chrome.start_button(t)):
        with chrome.guard(t):
            config = training.TransferConfig(per_symbol=int(per), epochs=int(epochs), use_kept=bool(use_kept)).validate()
            job = chrome.registry().submit("transfer", t("transfer.ways.job_title"), asdict(config),
                                           owner=chrome.session_label())
            st.session_state["transfer_job_id"] = job.id
    job = chrome.latest_job("transfer", "transfer_job_id")
    st.fragment(run_every=1 if job is not None and job.status in ACTIVE else None)(_ways_view)(t)


def _ways_view(t: i18n.Translator) -> None:
    job = chrome.latest_job("transfer", "transfer_job_id")
    if job is not None:
        chrome.job_panel(job, t, key="transfer_job")
    results = job.snapshot().extras.get("transfer") if job is not None else None
    if not results:  # no job in this server's memory: the saved models' cards
        results = {way: e.card for way, e in tr.latest_models().items()}
    if not results:
        st.caption(t("transfer.ways.none"))
        return
    lang = chrome.language()
    ways = [w for w in tr.WAYS if w in results]
    curves = {t(f"transfer.ways.names.{w}"): results[w]["history"].get("val_accuracy", []) for w in ways}
    display.show(plots.lines(curves, t("transfer.ways.curve_title"), t("transfer.ways.epoch_axis"),
                             t("transfer.ways.accuracy"), height=300), key="transfer_curves")
    table = {t("transfer.ways.col_way"): [t(f"transfer.ways.names.{w}") for w in ways],
             t("transfer.ways.col_accuracy"): [i18n.format_number(results[w]["held_out_accuracy"], lang, ".1%")
                                               for w in ways],
             t("transfer.ways.col_seconds"): [i18n.format_number(results[w]["seconds"], lang, ".1f") for w in ways],
             t("transfer.ways.col_trainable"): [i18n.format_number(results[w]["trainable"], lang, ",") for w in ways]}
    st.dataframe(table, hide_index=True, key="transfer_results")
    first = results[ways[0]]
    st.caption(t("transfer.ways.data", train=first.get("train", "?"), held=first.get("held_out", "?")))


# ---------------------------------------------------------------- 3. features
@st.cache_data(show_spinner=False, max_entries=4)
def _projections(kept_version: tuple) -> dict:
    x, y = training.pool(use_kept=True)
    base = tr.load_base()
    pixels, pixel_share = tr.pca_2d(x.reshape(len(x), -1) / 255.0)
    feats, feat_share = tr.pca_2d(tr.features(base, x))
    return {"y": y, "pixels": pixels, "pixel_share": pixel_share, "features": feats, "feature_share": feat_share}


def features_tab(t: i18n.Translator) -> None:
    st.markdown(t("transfer.features.explain"))
    kept = symbols.list_symbols()
    found = _projections(tuple(d.path.name for d in kept))
    names = [symbols.GLYPHS[s] for s in NAMES]  # short: the legend stays on one line in a half-width chart
    lang = chrome.language()
    left, right = st.columns(2)
    for where, key in ((left, "pixels"), (right, "features")):
        share = i18n.format_number(float(found[f"{'pixel' if key == 'pixels' else 'feature'}_share"].sum()), lang, ".0%")
        display.show(plots.scatter_groups(found[key], found["y"], names, t(f"transfer.features.{key}_title"),
                                          t("transfer.features.axis_1"), t("transfer.features.axis_2")),
                     key=f"transfer_projection_{key}", where=where, text=t("transfer.features.share", share=share))


# ---------------------------------------------------------------- 4. try it
def try_tab(t: i18n.Translator) -> None:
    st.markdown(t("transfer.try.explain"))
    entries = tr.latest_models()
    if len(entries) < len(tr.WAYS):
        st.info(t("transfer.try.train_first"))
        return
    left, right = st.columns([1, 1])
    with left:
        drawing = canvas.digit_canvas("transfer_try_canvas", t("transfer.symbols.clear"), stroke=18)
    if drawing is None:
        right.info(t("transfer.try.draw"))
        return
    with right, chrome.guard(t):
        probs = tr.answer({w: store.load_cached(e.path) for w, e in entries.items()}, drawing)
        lang = chrome.language()
        for way in tr.WAYS:  # one under the other: in three columns their labels were cut
            top = int(probs[way].argmax())
            st.metric(t(f"transfer.ways.names.{way}"),
                      f"{symbols.GLYPHS[NAMES[top]]} · {i18n.format_number(float(probs[way][top]), lang, '.0%')}")
        st.caption(t("transfer.try.only_five", names=", ".join(glyph_name(t, n) for n in NAMES)))
        st.caption(t("transfer.try.models", names=", ".join(e.name for e in entries.values())))


def recipe_tab(t: i18n.Translator) -> None:
    from core import recipes

    st.markdown(t("transfer.recipe.explain"))
    # unstyled: the highlighter's keyword blue fails WCAG contrast; wrapped: a block that scrolls sideways
    # is a scrollable region a keyboard cannot reach (axe: scrollable-region-focusable)
    st.code(recipes.with_comments(recipes.VGG_RECIPE, t("transfer.recipe.comments")), language=None, wrap_lines=True)
    st.info(t("transfer.recipe.download"), icon=":material/cloud_download:")
