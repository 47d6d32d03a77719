"""The "Digits on demand" tab: the class-conditional generator draws the digit you ask for,
in as many styles as seeds; latent sliders move one sample along the directions that change
that digit most; walks within a class (same digit, another ``z``) and across classes (same
``z``, the class weights blended from one digit to another)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.i18n import Translator
from core.storage import store
from lab.gan import model as gan
from lab.gan import view as gan_views
from ui import chrome, plots

DIGITS = list(range(10))
N_DIRECTIONS = 4
SLIDERS = [f"gan_demand_dir_{i}" for i in range(N_DIRECTIONS)]


@st.cache_data(show_spinner=False, max_entries=20)  # ten digits of two models; the same for everyone
def digit_directions(path: str, version: tuple, digit: int) -> tuple[np.ndarray, np.ndarray]:
    """The latent directions ``(N_DIRECTIONS, 100)`` that change this digit's images most."""
    from lab.gan import model_conditional as gc

    one_digit = gc.for_weights(gc.load_conditional(path), gc.one_hot([digit])[0])
    return gan.principal_directions(one_digit, k=N_DIRECTIONS, n=32)


def reset_sliders() -> None:
    for key in SLIDERS:
        st.session_state[key] = 0.0


def _sliders(t: Translator, path: str, generator, digit: int, seed: int, n: int) -> None:
    """Pick one of the samples and move its ``z`` along the digit's principal directions."""
    from lab.gan import model_conditional as gc

    st.subheader(t("gan.demand.sliders_title"))
    st.caption(t("gan.demand.sliders_intro"))
    left, right = st.columns([2, 1])
    with left:
        c = st.columns([2, 1], vertical_alignment="bottom")
        pick = int(c[0].number_input(t("gan.demand.pick", n=n), 1, n, 1, key="gan_demand_pick"))
        c[1].button(t("gan.explore.reset"), key="gan_demand_reset", on_click=reset_sliders,
                    icon=":material/restart_alt:")
        with st.spinner(t("gan.explore.computing")):  # about 1.5 s per digit, then shared
            dirs, strengths = digit_directions(path, store.file_version(path), digit)
        z = gan.latent(seed, n)[pick - 1]  # the z sample_digits drew for that sample
        for i, key in enumerate(SLIDERS):
            z = z + st.slider(t("gan.explore.direction", n=i + 1, strength=float(strengths[i])),
                              -4.0, 4.0, 0.0, 0.25, key=key) * dirs[i]
    image = gc.generate_conditional(z, gc.one_hot([digit])[0], generator)[0]
    right.container(key="gan_demand_moved").image(
        plots.to_png_array(image, scale=8), caption=t("gan.demand.moved", pick=pick, digit=digit),
        alt=t("gan.alt.demand_moved", pick=pick, digit=digit))


def conditional_entries() -> list:
    """The stored class-conditional generators, shipped first."""
    from lab.gan import model_conditional as gan_conditional

    return store.list_models(kind=gan_conditional.KIND)


def _walk(t: Translator, generator, digit: int, seed: int) -> None:
    from lab.gan import model_conditional as gc

    st.subheader(t("gan.demand.walk_title"))
    c = st.columns(3)
    walk = c[0].radio(t("gan.demand.walk"), ["within", "across"], key="gan_demand_walk",
                      format_func=lambda w: t(f"gan.demand.walk_{w}"))
    frames = c[2].slider(t("gan.interpolate.frames"), 4, 32, 12, key="gan_demand_frames")
    if walk == "within":  # one digit, from one style (z) to another along the great circle
        other = int(c[1].number_input(t("gan.demand.seed_b"), 0, 99_999, seed + 1, key="gan_demand_seed_b"))
        z = gan.interpolate(gan.latent(seed)[0], gan.latent(other)[0], frames)  # (frames, 100)
        weights = gc.one_hot([digit])[0]
        name = t("gan.demand.strip_within", digit=digit)
    else:  # one style, the class weights walking from one digit to another
        to = int(c[1].selectbox(t("gan.demand.to"), DIGITS, (digit + 1) % 10, key="gan_demand_to"))
        share = np.linspace(0.0, 1.0, frames)[:, None]
        weights = (1 - share) * gc.one_hot([digit]) + share * gc.one_hot([to])  # (frames, 10)
        z = np.repeat(gan.latent(seed), frames, axis=0)
        name = t("gan.demand.strip_across", a=digit, b=to)
    strip = gc.generate_conditional(z, weights, generator)
    gan_views.strips_view(t, {walk: strip}, frames, "gan_demand", names={walk: name})


def demand(t: Translator) -> None:
    chrome.lesson(t, "gan.demand")
    st.caption(t("gan.demand.intro"))
    entries = conditional_entries()
    if not entries:
        st.info(t("gan.demand.no_model"))
        return
    from lab.gan import model_conditional as gc

    entry = entries[0] if len(entries) == 1 else st.selectbox(
        t("gan.demand.choose"), entries, key="gan_demand_model", format_func=lambda e: e.name)
    st.caption(t("gan.demand.model", name=entry.name, epochs=entry.card.get("epochs", "?")))
    generator = gc.load_conditional(str(entry.path))
    c = st.columns(3)
    digit = int(c[0].selectbox(t("gan.demand.digit"), DIGITS, 3, key="gan_demand_digit"))
    n = int(c[1].select_slider(t("gan.demand.n"), [8, 16, 32], 16, key="gan_demand_n"))
    seed = int(c[2].number_input(t("gan.demand.seed"), 0, 99_999, 0, key="gan_demand_seed"))
    images = gc.sample_digits(digit, n, seed, generator=generator)  # (n, 28, 28)
    st.container(key="gan_demand_samples").image(
        plots.to_png_array(plots.tile(images, min(n, 16)), scale=3),
        caption=t("gan.demand.samples", n=n, digit=digit), alt=t("gan.alt.demand", n=n, digit=digit))
    _sliders(t, str(entry.path), generator, digit, seed, n)
    _walk(t, generator, digit, seed)
