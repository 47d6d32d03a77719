"""Teach it your own classes: name 2–10 classes, draw, photograph or upload a few examples of
each, train the transfer lesson's best way for few examples in the background, test it live,
and take the model (with its card and a Keras script) and the project home."""

import streamlit as st

from ui import chrome

t = chrome.start_page()
st.title(t("teach.title"))
st.markdown(t("teach.intro"))
chrome.lesson(t, "teach")

from lab.teach import storage, view_classes, view_examples, view_export, view_train  # noqa: E402

project = None
with chrome.guard(t):
    project = storage.load(chrome.session_label())  # this student's own classes and examples

if project is not None:
    view_classes.classes_section(t, project)  # 1. name the classes
    view_examples.add_section(t, project)  # 2. draw, photograph or upload examples
    view_classes.galleries(t, project)  # 3. each class's examples, with delete
    view_train.train_section(t, project)  # 4. one Train button, a background job
    view_train.test_section(t)  # 5. a new drawing or photo → class probabilities
    with chrome.guard(t):
        view_export.export_section(t, project, view_train.my_model())  # 6. take it home, bring it back
