"""The playground page's controls: data set, your own points (or values), network, training
settings. Each returns values for ``PlaygroundConfig``; widget keys start with ``playground_``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import i18n
from core.errors import InputError, escape_markdown
from core.maths import playground as pg
from core.models.playground_config import (
    ACTIVATIONS,
    ALL_SETS,
    BATCH_SIZES,
    DROPOUT_RATES,
    FUNCTION,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_UNITS,
    OWN,
    OWN_VALUES,
    POINT_COUNTS,
    REG_RATES,
    REGULARIZATIONS,
    PlaygroundConfig,
)
from lab.playground import plots as pp
from ui import chrome, display, links

POINTS_KEY = "playground_own_points"  # rows [x1, x2, label] of the student's own data
VALUES_KEY = "playground_own_values"  # rows [x1, x2, value] from a CSV file (regression)
PENDING_KEY = "playground_csv_pending"  # {"rows", "name"}: a file read while the plane had points
DEFAULT = PlaygroundConfig()


def class_names(t: i18n.Translator) -> list[str]:
    return [t("playground.class", n=i) for i in range(3)]


def _regenerate() -> None:
    st.session_state["playground_seed"] = (int(st.session_state.get("playground_seed", DEFAULT.seed)) + 1) % 10000


def data_settings(t: i18n.Translator) -> dict:
    """Data set, number of points, noise, test share, seed (and "Regenerate": the next seed),
    the formula of a typed function."""
    c = st.columns([2, 1, 1, 1, 1])
    dataset = c[0].selectbox(t("playground.data.dataset"), ALL_SETS, key="playground_dataset", bind=links.URL,
                             format_func=lambda d: t(f"playground.datasets.{d}"))
    own = dataset in (OWN, OWN_VALUES)
    points = c[1].select_slider(t("playground.data.points"), POINT_COUNTS, DEFAULT.points,
                                key="playground_points", bind=links.URL, disabled=own)
    noise = c[2].slider(t("playground.data.noise"), 0.0, pg.MAX_NOISE, DEFAULT.noise, 0.05,
                        key="playground_noise", bind=links.URL, disabled=own)
    test = c[3].slider(t("playground.data.test"), 10, 90, round(DEFAULT.test_ratio * 100), 10, format="%d %%",
                       key="playground_test", bind=links.URL)
    seed = c[4].number_input(t("playground.data.seed"), 0, 9999, DEFAULT.seed, key="playground_seed", bind=links.URL)
    c[4].button(t("playground.controls.regenerate"), key="playground_regenerate", on_click=_regenerate,
                icon=":material/refresh:", disabled=own, help=t("playground.controls.regenerate_help"))
    expression = DEFAULT.expression
    if dataset == FUNCTION:
        expression = st.text_input(t("playground.regression.formula"), DEFAULT.expression, max_chars=200,
                                   key="playground_expression", bind=links.URL, help=t("playground.regression.formula_help"))
    return dict(dataset=dataset, points=int(points), noise=float(noise), test_ratio=test / 100, seed=int(seed),
                expression=expression)


def own_values(t: i18n.Translator) -> list[list[float]]:
    """A CSV file whose third column is any number: the values a regression learns."""
    st.markdown(t("playground.regression.csv_explain", limit=pg.MAX_POINTS))
    upload = st.file_uploader(t("playground.regression.csv"), type=["csv", "txt"], key="playground_values_csv")
    if upload is not None and st.session_state.get("playground_values_done") != upload.file_id:
        with chrome.guard(t):
            st.session_state[VALUES_KEY] = pg.parse_csv(upload.getvalue(), values=True)
            st.session_state["playground_values_done"] = upload.file_id
            st.success(t("playground.own.loaded", n=len(st.session_state[VALUES_KEY]), name=upload.name))
    return st.session_state.get(VALUES_KEY, [])


def _add_clicked(event, label: int) -> None:
    place = pp.clicked_point(event)
    if place is None or st.session_state.get("playground_plane_last") == place:
        return  # nothing clicked, or the same selection sent again by a rerun
    st.session_state["playground_plane_last"] = place
    st.session_state[POINTS_KEY] = pg.add_point(st.session_state.get(POINTS_KEY, []), *place, label)


def _start_from(name: str, seed: int) -> None:
    x, y = pg.make_dataset(name, 100, 0.0, seed)
    st.session_state[POINTS_KEY] = [[round(float(a), 3), round(float(b), 3), int(c)] for (a, b), c in zip(x, y)]
    st.session_state.pop("playground_plane_last", None)


def _take_csv(how: str) -> None:
    """Use the file waiting in ``PENDING_KEY``: ``replace`` the plane's points, ``add`` to them
    (at most ``MAX_POINTS`` in all), or ``keep`` the plane as it is."""
    pending = st.session_state.pop(PENDING_KEY, None)
    if not pending or how == "keep":
        return
    points = [] if how == "replace" else list(st.session_state.get(POINTS_KEY, []))
    if len(points) + len(pending["rows"]) > pg.MAX_POINTS:
        st.session_state[PENDING_KEY] = pending  # asked again, with the reason above it
        raise InputError("playground.too_many_points", count=len(points) + len(pending["rows"]), limit=pg.MAX_POINTS)
    st.session_state[POINTS_KEY] = points + pending["rows"]


def _ask_csv(t: i18n.Translator, pending: dict) -> None:
    """A file was read while the plane had points: replace them, add the file's, or keep them."""
    n = len(st.session_state.get(POINTS_KEY, []))
    st.warning(t("playground.own.csv_ask", n=n, m=len(pending["rows"]),
               name=escape_markdown(pending["name"])),
               icon=":material/help:")
    c = st.columns(3)
    for place, how, icon in zip(c, ("replace", "add", "keep"), (":material/swap_horiz:", ":material/add:",
                                                                ":material/close:")):
        if place.button(t(f"playground.own.csv_{how}"), key=f"playground_csv_{how}", icon=icon):
            with chrome.guard(t):
                _take_csv(how)
                st.rerun()


def own_points(t: i18n.Translator, seed: int) -> list[list[float]]:
    """Click the plane to add points of the chosen class, upload a CSV, clear, or start from a data set."""
    st.markdown(t("playground.own.explain", limit=pg.MAX_POINTS))
    names = class_names(t)
    c = st.columns([2, 2, 1])
    label = c[0].radio(t("playground.own.class"), [0, 1, 2], format_func=lambda i: names[i], horizontal=True,
                       key="playground_class")
    base = c[1].selectbox(t("playground.own.base"), pg.DATASETS, key="playground_own_base",
                          format_func=lambda d: t(f"playground.datasets.{d}"))
    c[1].button(t("playground.own.start_from"), key="playground_own_start", on_click=_start_from, args=(base, seed),
                icon=":material/scatter_plot:")
    if c[2].button(t("playground.own.clear"), key="playground_own_clear", icon=":material/delete:"):
        st.session_state[POINTS_KEY] = []
    upload = st.file_uploader(t("playground.own.csv"), type=["csv", "txt"], key="playground_csv",
                              help=t("playground.own.csv_help", limit=pg.MAX_POINTS))
    if upload is not None and st.session_state.get("playground_csv_done") != upload.file_id:
        with chrome.guard(t):
            rows = pg.parse_csv(upload.getvalue())
            st.session_state["playground_csv_done"] = upload.file_id
            if st.session_state.get(POINTS_KEY):  # points on the plane: never thrown away unasked
                st.session_state[PENDING_KEY] = {"rows": rows, "name": upload.name}
            else:
                st.session_state[POINTS_KEY] = rows
                st.success(t("playground.own.loaded", n=len(rows), name=upload.name))
    if st.session_state.get(PENDING_KEY):
        _ask_csv(t, st.session_state[PENDING_KEY])
    rows = np.asarray(st.session_state.get(POINTS_KEY, []), dtype=float).reshape(-1, 3)
    fig = pp.click_plane(rows[:, :2], rows[:, 2].astype(int), names, t("playground.own.plane_title", n=len(rows)),
                         t("playground.own.hint", name=names[label]))
    event = display.show(fig, key="playground_plane", on_select="rerun", selection_mode="points",
                         text=t("playground.own.plane_text"))
    with chrome.guard(t):
        before = len(st.session_state.get(POINTS_KEY, []))
        _add_clicked(event, label)
        if len(st.session_state.get(POINTS_KEY, [])) != before:
            st.rerun()  # draw the new point at once
    return st.session_state.get(POINTS_KEY, [])


def network_settings(t: i18n.Translator) -> dict:
    """Input features, hidden layers and units, activation, training settings."""
    features = st.multiselect(t("playground.net.features"), list(pg.FEATURES), list(DEFAULT.features),
                              format_func=pg.FEATURE_LABELS.get, key="playground_features", bind=links.URL,
                              help=t("playground.net.features_help"))
    c = st.columns(1 + MAX_LAYERS)
    layers = c[0].number_input(t("playground.net.layers"), 0, MAX_LAYERS, len(DEFAULT.hidden), key="playground_layers", bind=links.URL)
    hidden = tuple(int(c[i + 1].number_input(t("playground.net.units", n=i + 1), 1, MAX_UNITS, 8,
                                             key=f"playground_units_{i}", bind=links.URL)) for i in range(int(layers)))
    dropout = tuple(float(c[i + 1].select_slider(t("playground.controls.dropout", n=i + 1), DROPOUT_RATES, 0.0,
                                                 key=f"playground_dropout_{i}", bind=links.URL,
                                                 help=t("playground.controls.dropout_help")))
                    for i in range(int(layers)))
    c = st.columns(4)
    activation = c[0].selectbox(t("playground.net.activation"), ACTIVATIONS, key="playground_activation", bind=links.URL,
                                format_func=lambda a: t(f"playground.act.{a}"))
    reg = c[1].selectbox(t("playground.net.reg"), REGULARIZATIONS, key="playground_reg", bind=links.URL,
                         format_func=lambda r: t(f"playground.regs.{r}"))
    rate = _reg_rate(t, c[2], reg)
    epochs = c[3].number_input(t("playground.net.epochs"), 10, 2000, DEFAULT.epochs, 10, key="playground_epochs", bind=links.URL)
    return dict(features=tuple(features), hidden=hidden, activation=activation, regularization=reg,
                reg_rate=float(rate), epochs=int(epochs), dropout=dropout if any(dropout) else ())


def _reg_rate(t: i18n.Translator, where, reg: str) -> float:
    """λ, shown only with L1 or L2: without a penalty it would do nothing. Hidden rather than
    greyed out (a disabled slider's pale label fails the contrast check, WCAG 1.4.3), with a
    line saying why, and its value kept for when a penalty is chosen again."""
    if reg != "none":
        return where.select_slider(t("playground.net.rate"), REG_RATES, DEFAULT.reg_rate, key="playground_rate", bind=links.URL,
                                   persist_state="session")
    where.caption(t("playground.net.rate_off"))
    return st.session_state.get("playground_rate", DEFAULT.reg_rate)


def training_settings(t: i18n.Translator, lr_place, batch_place) -> dict:
    """Learning rate and batch size, drawn in ``lr_place`` and ``batch_place`` (beside the
    play, step and reset buttons, as in TensorFlow Playground)."""
    lr = lr_place.select_slider(t("playground.net.lr"), LEARNING_RATES, DEFAULT.learning_rate, key="playground_lr", bind=links.URL)
    batch = batch_place.select_slider(t("playground.net.batch"), BATCH_SIZES, DEFAULT.batch_size,
                                      key="playground_batch", bind=links.URL)
    return dict(learning_rate=float(lr), batch_size=int(batch))


def view_settings(t: i18n.Translator) -> tuple[bool, bool]:
    """Show the test points on the surface; discretize the output (the hard answer)."""
    c = st.columns(2)
    test = c[0].toggle(t("playground.controls.show_test"), True, key="playground_show_test", bind=links.URL)
    hard = c[1].toggle(t("playground.controls.discretize"), False, key="playground_discretize", bind=links.URL,
                       help=t("playground.controls.discretize_help"))
    return bool(test), bool(hard)


# The controls kept in the address (``bind=links.URL``: the parameter is the widget's key; a
# choice's holds its label). The hidden layers are one widget per layer (``playground_units_0``
# ...), so bind serves them too; own points, a CSV and trained weights are not linked.
LINK_KEYS = ("playground_dataset", "playground_points", "playground_noise", "playground_test", "playground_seed",
             "playground_expression", "playground_features", "playground_layers",
             *(f"playground_units_{i}" for i in range(MAX_LAYERS)), *(f"playground_dropout_{i}" for i in range(MAX_LAYERS)),
             "playground_activation", "playground_reg", "playground_rate", "playground_epochs", "playground_lr",
             "playground_batch", "playground_show_test", "playground_discretize")


def link_text(t: i18n.Translator) -> dict:
    """The labels that the address holds for the choices with a ``format_func`` (for ``links.report``)."""
    return {"playground_dataset": lambda d: t(f"playground.datasets.{d}"), "playground_features": pg.FEATURE_LABELS.get,
            "playground_activation": lambda a: t(f"playground.act.{a}"), "playground_reg": lambda r: t(f"playground.regs.{r}")}
