"""A QR code of a task link, as PNG or SVG bytes (``segno``: pure Python, no image library)."""

from __future__ import annotations

import io

import segno


def _code(text: str) -> segno.QRCode:
    # error level L: a link of a few hundred characters stays a code a phone reads from the back row
    return segno.make(text, error="l", micro=False)


def png(text: str, scale: int = 4) -> bytes:
    """The QR code of ``text`` as a black-on-white PNG (``scale`` pixels a module, quiet zone 4)."""
    out = io.BytesIO()
    _code(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg(text: str) -> bytes:
    """The QR code of ``text`` as an SVG document (prints sharp at any size)."""
    out = io.BytesIO()
    _code(text).save(out, kind="svg", scale=4, border=4, xmldecl=True, title="QR")
    return out.getvalue()
