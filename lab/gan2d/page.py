"""GAN Lab in two dimensions: real points on a plane, a generator learning to imitate them and a
discriminator judging them, drawn live; one step at a time, either player alone, in slow motion."""

import streamlit as st

from lab.gan2d import view
from lab.gan2d.training import MODES
from ui import chrome

t = chrome.start_page()
st.title(t("gan2d.title"))
st.markdown(t("gan2d.intro"))
st.page_link("lab/gan/page.py", label=t("gan2d.to_dcgan"), icon=":material/auto_awesome:")
chrome.lesson(t, "gan2d")

# ---------------------------------------------------------------- 1. the real points
st.header(t("gan2d.data.header"))
data = view.data_settings(t)

# ---------------------------------------------------------------- 2. the two networks
st.header(t("gan2d.model.header"))
st.markdown(t("gan2d.model.explain"))
settings = None
with chrome.guard(t):
    settings = view.model_settings(t)

# ---------------------------------------------------------------- 3. play
st.header(t("gan2d.run.header"))
st.markdown(t("gan2d.run.explain"))
c = st.columns([1, 1, 1, 3, 2])
if view.playing():
    if c[0].button(t("gan2d.run.pause"), key="gan2d_pause", icon=":material/pause:"):
        st.session_state[view.PLAYING_KEY] = False
        st.rerun()
elif c[0].button(t("gan2d.run.play"), key="gan2d_play", icon=":material/play_arrow:", type="primary"):
    st.session_state[view.PLAYING_KEY] = True
    st.rerun()
step = c[1].button(t("gan2d.run.step"), key="gan2d_step", icon=":material/skip_next:", disabled=view.playing())
if c[2].button(t("gan2d.run.reset"), key="gan2d_reset", icon=":material/restart_alt:"):
    view.reset()
    st.rerun()
mode = c[3].radio(t("gan2d.run.mode"), MODES, key="gan2d_mode", horizontal=True,
                  format_func=lambda m: t(f"gan2d.modes.{m}"))
slow = c[4].toggle(t("gan2d.run.slow"), False, key="gan2d_slow", help=t("gan2d.run.slow_help"))
show = view.layer_toggles(t)
if settings is not None:
    with chrome.guard(t):
        if step:
            view.step(t, data, settings, mode)
        view.fragments(t, data, settings, show, mode, slow)
