"""Placeholder: this page is being built."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("nav.classifier"))
