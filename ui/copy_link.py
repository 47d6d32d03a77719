"""A "Copy link" button: the page's address (which holds its settings, ``ui.links``) goes to
the clipboard, so a student can send a classmate or the teacher exactly what they see.

A small ``st.components.v2`` component (no iframe: it reads the page's own address). The
clipboard may be refused (a plain-http server, a browser that asks for permission, a denied
prompt): then nothing fails loudly; the address appears selected in a read-only field, with a
line saying to copy it by hand (Ctrl+C, or a long press on a phone). The outcome is said in a
polite live region, so screen readers hear it too.
"""

from __future__ import annotations

import streamlit as st

from core import i18n

_HTML = """
<div class="copy-link">
  <button type="button" class="copy"></button>
  <span class="said" role="status" aria-live="polite"></span>
  <input class="address" type="text" readonly hidden>
</div>
"""

_JS = r"""
async function copy(text, field) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) { /* refused: the field below */ }
  try {  // the older way, still allowed where the clipboard API is not (plain http)
    field.hidden = false;
    field.value = text;
    field.select();
    return document.execCommand("copy");
  } catch (e) {
    return false;
  }
}

export default function ({ data, parentElement }) {
  const root = parentElement.querySelector(".copy-link");
  const button = root.querySelector("button.copy");
  const said = root.querySelector(".said");
  const field = root.querySelector("input.address");
  button.textContent = data.label;
  button.title = data.help;
  field.setAttribute("aria-label", data.field);
  button.onclick = async () => {
    const address = window.location.href;
    const done = await copy(address, field);
    field.value = address;
    field.hidden = done;
    said.textContent = done ? data.done : data.failed;
    if (!done) { field.focus(); field.select(); }
  };
}
"""

_CSS = """
.copy-link { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; font-family: inherit; }
button.copy { font: inherit; font-size: 0.95rem; padding: 0.35rem 0.75rem; border-radius: 0.5rem;
              border: 1px solid rgba(49, 51, 63, 0.3); background: #fff; color: #111111; cursor: pointer; }
button.copy:hover { border-color: #b02a37; color: #b02a37; }
button.copy:focus-visible { outline: 2px solid #b02a37; outline-offset: 2px; }
.said { font-size: 0.9rem; color: #111111; }
input.address { flex: 1 1 16rem; min-width: 0; font: inherit; font-size: 0.85rem; padding: 0.3rem;
                border: 1px solid rgba(49, 51, 63, 0.3); border-radius: 0.4rem; color: #111111; }
"""

_component = st.components.v2.component("nnlab.copy_link", html=_HTML, js=_JS, css=_CSS)


def copy_link(t: i18n.Translator, key: str) -> None:
    """Draw the button (``key``: a widget key, starting with the page's name)."""
    _component(key=key, data={"label": t("links.copy"), "help": t("links.copy_help"), "done": t("links.copied"),
                              "failed": t("links.copy_failed"), "field": t("links.address")},
               width="stretch", height="content")
