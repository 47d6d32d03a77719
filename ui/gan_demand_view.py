"""The "Digits on demand" tab: the class-conditional generator draws the digit you ask for,
in as many styles as seeds; walks within a class (same digit, another ``z``) and across
classes (same ``z``, the class weights blended from one digit to another)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import gan, store
from core.i18n import Translator
from ui import chrome, gan_views, plots

DIGITS = list(range(10))


def conditional_entries() -> list:
    """The stored class-conditional generators, shipped first."""
    from core import gan_conditional

    return store.list_models(kind=gan_conditional.KIND)


def _walk(t: Translator, generator, digit: int, seed: int) -> None:
    from core import gan_conditional as gc

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
    from core import gan_conditional as gc

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
    _walk(t, generator, digit, seed)
