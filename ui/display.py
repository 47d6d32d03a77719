"""Putting charts and their text on the page so every student can use them.

``show`` draws a figure from ``ui.plots`` with a title and without plotly's mode bar (eight
tab stops a chart), with a sentence saying what it shows; ``data_table`` gives a chart's
numbers as a table; ``bars_html`` draws probabilities as one HTML figure whose caption tells
screen readers what changed (the prediction).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

CHART_CONFIG = {"displayModeBar": False}
_VISUALLY_HIDDEN = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
                    "clip:rect(0 0 0 0);white-space:nowrap;border:0")


def show(fig: go.Figure, key: str | None = None, where=None, title: str | None = None,
         text: str | None = None, **kwargs):
    """Draw ``fig`` with ``st.plotly_chart``: mode bar hidden, a title required, ``text`` below.

    ``where`` is a column or container (default: the current one); ``title`` replaces the
    figure's title; ``text`` is a short sentence that says what the chart shows (its text
    equivalent for screen readers, shown as a caption). Other arguments go to
    ``st.plotly_chart`` (``on_select``, ``width``...). A figure without a title raises
    ``ValueError``: every chart on the lab's pages is named.
    """
    import streamlit as st

    if title is not None:
        fig.update_layout(title_text=title)
    if not figure_title(fig):
        raise ValueError("every chart needs a title: pass title=... to plots.show")
    wrap_title(fig)
    room_for_legend(fig)
    where = where if where is not None else st
    config = {**CHART_CONFIG, **kwargs.pop("config", {})}
    event = where.plotly_chart(fig, key=key, config=config, **kwargs)
    if key and kwargs.get("on_select", "ignore") != "ignore":  # a clickable chart: a tap selects too
        _tap_selects(key, where)
    if text:
        where.caption(text)
    return event


def _tap_selects(key: str, where) -> None:
    """``ui.plot_taps`` beside the chart ``key`` (in ``where``, so no other column grows)."""
    import streamlit as st

    from ui.plot_taps import tap_selects

    if where is st:
        tap_selects(key)
    else:
        with where:
            tap_selects(key)


TITLE_LINE = 42  # characters of a title line: what a 390 px phone shows at plotly's title size


def wrap_title(fig: go.Figure, width: int = TITLE_LINE) -> None:
    """Break a long title into lines of at most ``width`` characters (plotly never wraps one:
    on a phone its end was cut off) and grow the top margin by one line per extra line."""
    title = fig.layout.title.text or ""
    if len(title) <= width or "<br>" in title:
        return
    lines = textwrap.wrap(title, width)
    fig.update_layout(title_text="<br>".join(lines))
    top = fig.layout.margin.t
    if top is not None:
        fig.update_layout(margin_t=top + 22 * (len(lines) - 1))


def room_for_legend(fig: go.Figure) -> None:
    """A legend of five or more entries above a titled plot wraps into rows on a phone (about
    two entries a row) and grew up over the title: reserve those rows in the top margin."""
    entries = sum(1 for tr in fig.data if getattr(tr, "showlegend", False) is not False and getattr(tr, "name", None))
    top = fig.layout.margin.t
    if entries >= 5 and fig.layout.title.text and top is not None and fig.layout.legend.orientation == "h":
        fig.update_layout(margin_t=top + min(80, 20 * (-(-entries // 2) - 1)))


def figure_title(fig: go.Figure) -> str:
    """The figure's title, or the titles of its panels joined by " · " ("" when it has none)."""
    title = (fig.layout.title.text or "").replace("<br>", " ")
    panels = [a.text for a in fig.layout.annotations if a.text and getattr(a, "xref", "") == "paper"
              and getattr(a, "yanchor", "") == "bottom"]  # make_subplots' subplot titles
    return title or " · ".join(panels)


def top_text(labels: Sequence, values: Sequence[float], lang: str = "en", k: int = 3,
             spec: str = ".0%") -> str:
    """The ``k`` largest values as text, largest first: ``"7: 92%, 1: 5%, 9: 1%"`` (es: ``92 %``)."""
    from core.i18n import format_number

    order = np.argsort(np.asarray(values, dtype=float))[::-1][:k]
    return ", ".join(f"{labels[i]}: {format_number(float(values[i]), lang, spec)}" for i in order)


def data_table(label: str, columns: Mapping[str, Sequence], where=None, key: str | None = None) -> None:
    """A chart's numbers as a table in a closed expander called ``label`` (every column named)."""
    import streamlit as st

    if any(not str(name).strip() for name in columns):
        raise ValueError("every table column needs a header")
    where = where if where is not None else st
    with where.expander(label, icon=":material/table:"):
        st.dataframe({str(k): list(v) for k, v in columns.items()}, hide_index=True, key=key)


def _live_region(text: str) -> str:
    """``text`` for screen readers only, said when it changes (a polite live region, not shown)."""
    import html

    return f'<span role="status" aria-live="polite" style="{_VISUALLY_HIDDEN}">{html.escape(text)}</span>'


def bars_html(labels: Sequence, values: Sequence[float], highlight: int | None, title: str, text: str,
              announcement: str, lang: str = "en", height: int = 150) -> str:
    """Bars of ``values`` in [0, 1] as one HTML figure: ``title`` above, each bar's value over it
    (from 1 %), ``labels`` below, ``text`` as its caption carrying ``announcement`` for screen
    readers (a polite live region). Bar number ``highlight`` is drawn in the accent colour.

    For what a stroke redraws: one Markdown element, where a Plotly chart and its caption were
    two elements and about a millisecond of the server's interpreter lock each time (building
    and serialising the figure), sixty times a second in a class (issue 35). The bars are
    hidden from screen readers; the caption says the same in words (``top_text``)."""
    import html

    from core.i18n import format_number
    from ui.plots import PALETTE

    cols = []
    for i, value in enumerate(values):
        v = min(max(float(value), 0.0), 1.0)
        note = format_number(v, lang, ".0%") if v >= 0.005 else ""
        colour = PALETTE[1] if i == highlight else PALETTE[0]
        cols.append(f'<div style="flex:1;display:flex;flex-direction:column;justify-content:flex-end;'
                    f'align-items:center;height:100%;min-width:0">'
                    f'<span style="font-size:0.7rem;white-space:nowrap">{note}</span>'
                    f'<div style="width:100%;height:{100 * v:.1f}%;background:{colour}"></div></div>')
    names = "".join(f'<div style="flex:1;text-align:center;min-width:0">{html.escape(str(label))}</div>'
                    for label in labels)
    region = _live_region(announcement)
    return (f'<figure style="margin:0 0 0.5rem 0"><div style="font-weight:600">{html.escape(title)}</div>'
            f'<div aria-hidden="true"><div style="display:flex;align-items:flex-end;gap:4px;height:{height}px;'
            f'border-bottom:1px solid rgba(128,128,128,0.6)">{"".join(cols)}</div>'
            f'<div style="display:flex;gap:4px;font-size:0.85rem">{names}</div></div>'
            f'<figcaption style="font-size:0.875rem;opacity:0.6">{html.escape(text)}{region}</figcaption></figure>')
