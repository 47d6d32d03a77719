"""Home: what the lab is, where to start, and which MNIST data it uses."""

import streamlit as st

from core.storage import mnist
from ui import chrome

t = chrome.start_page()
st.title(t("home.title"))
st.markdown(t("home.intro"))

cols = st.columns(3)
for i, (path, url, key, icon) in enumerate(chrome.PAGES[1:]):
    with cols[i % 3].container(border=True):
        st.page_link(path, label=t(key), icon=icon)
        st.caption(t(f"home.blurb_{url}"))

with st.expander(t("home.data_title"), icon=":material/dataset:"):
    source = mnist.data_source()
    st.markdown(t(f"home.data_{source.name}", n_train=source.n_train, n_test=source.n_test))
    if source.name == "bundled" and st.button(t("home.download"), key="home_download",
                                              icon=":material/download:"):
        with chrome.guard(t), st.spinner(t("home.downloading")):
            try:
                mnist.download_full_mnist()
                st.success(t("home.downloaded"))
            except ConnectionError:
                st.info(t("home.offline"))
st.caption(t("home.credits"))
