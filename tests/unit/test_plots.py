"""The shared figures: the per-stroke bar chart, built without validation, equals the validated one."""

import numpy as np
import plotly.graph_objects as go

from ui import plots


def validated_bars(labels, values, title, x_title, y_title, highlight, height, y_range):
    """The reference: the same chart through plotly's validating constructors."""
    layout = plots._layout_dict(title, x_title, y_title, height)
    layout["xaxis"]["type"] = "category"
    layout["yaxis"]["range"] = list(y_range)
    colors = [plots.PALETTE[1] if i == highlight else plots.PALETTE[0] for i in range(len(values))]
    return go.Figure(go.Bar(x=[str(v) for v in labels], y=[float(v) for v in values], marker_color=colors),
                     layout=layout)


def test_bars_equal_the_validated_figure():
    probs = np.random.default_rng(0).dirichlet(np.ones(10))
    args = (list(range(10)), probs, "Probability of each digit", "Digit", "Probability", 7, 240, (0, 1))
    fast = plots.bars(*args[:2], title=args[2], x_title=args[3], y_title=args[4], highlight=args[5],
                      height=args[6], y_range=args[7])
    assert fast.to_plotly_json() == validated_bars(*args).to_plotly_json()
    assert fast.layout.title.text == "Probability of each digit"  # readable like any figure
    fast.update_layout(title_text="changed")  # and changeable without touching the next one
    again = plots.bars(*args[:2], title=args[2], highlight=args[5], y_range=args[7])
    assert again.layout.title.text == "Probability of each digit"
    assert again.to_plotly_json()["layout"]["template"] == go.Figure().to_plotly_json()["layout"]["template"]
