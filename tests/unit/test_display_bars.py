"""``ui.display.bars_html``: the Draw tab's probabilities as one HTML figure."""

import re

from ui import display
from ui.plots import PALETTE


def test_bars_show_each_value_its_label_and_a_caption_that_speaks():
    probs = [0.0, 0.004, 0.02, 0, 0, 0, 0, 0.9, 0.076, 0]
    out = display.bars_html(range(10), probs, 7, "Probability <of> each", "Most likely: 7: 90%.",
                            "Prediction: 7, confidence 90%.")
    heights = [float(h) for h in re.findall(r"height:([\d.]+)%;background", out)]
    assert heights == [round(100 * p, 1) for p in probs]  # one bar per value, to scale
    colours = re.findall(r"%;background:(#[0-9a-f]{6})", out)
    assert colours[7] == PALETTE[1] and set(colours[:7] + colours[8:]) == {PALETTE[0]}  # the answer stands out
    notes = re.findall(r'nowrap">([^<]*)</span>', out)
    assert notes == ["", "", "2%", "", "", "", "", "90%", "8%", ""]  # from 1 % on
    assert "Probability &lt;of&gt; each" in out and "<of>" not in out  # texts are escaped
    assert re.search(r'<div aria-hidden="true">.*</div><figcaption', out)  # bars hidden from readers
    assert re.search(r'<figcaption[^>]*>Most likely: 7: 90%\.<span role="status" aria-live="polite"', out)
    assert "Prediction: 7, confidence 90%." in out


def test_bars_keep_to_zero_and_one_and_write_numbers_in_the_language():
    out = display.bars_html(["a", "b"], [1.7, -0.3], None, "t", "x", "y", lang="es")
    assert re.findall(r"height:([\d.]+)%;background", out) == ["100.0", "0.0"]
    assert "100\xa0%" in out  # Spanish puts a (no-break) space before the percent sign
    assert PALETTE[1] not in out  # nothing highlighted
