"""The shared figures: the per-stroke bar chart, built without validation, equals the validated one;
every figure carries the lab's template explicitly, and importing the helpers changes no plotly default."""

import re
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go

from tests.conftest import ROOT
from ui import plots


def validated_bars(labels, values, title, x_title, y_title, highlight, height, y_range):
    """The reference: the same chart through plotly's validating constructors."""
    layout = plots.base_layout(title, x_title, y_title, height)
    layout["xaxis"]["type"] = "category"
    layout["yaxis"]["range"] = list(y_range)
    colors = [plots.PALETTE[1] if i == highlight else plots.PALETTE[0] for i in range(len(values))]
    return plots.new_figure(go.Bar(x=[str(v) for v in labels], y=[float(v) for v in values], marker_color=colors),
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
    assert again.to_plotly_json()["layout"]["template"] == plots.new_figure().to_plotly_json()["layout"]["template"]


def test_importing_the_plot_helpers_changes_no_plotly_default():
    code = ("import plotly.io as pio; before = pio.templates.default; import ui.plots, lab.perceptron.plots; "
            "assert pio.templates.default == before, pio.templates.default; "
            "assert 'nnlab' not in pio.templates; print(before)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "plotly"  # plotly's own default, untouched


def test_every_figure_carries_the_lab_template():
    from lab.cnn import plots as cnn_plots
    from lab.perceptron import plots as plane

    ours = plots.template_json()
    assert ours["layout"]["plot_bgcolor"] == "white" and ours["layout"]["colorway"] == plots.PALETTE
    assert go.Figure().to_plotly_json()["layout"]["template"] != ours  # a bare figure is plotly's look
    figures = [plots.lines({"a": [1, 2]}, "t"), plots.heatmap(np.eye(3)), plots.bars([0, 1], [0.2, 0.8]),
               plots.heatmap_panels([dict(z=np.eye(2)), dict(z=np.ones((2, 2)))]),
               plots.confusion_matrix(np.eye(2, dtype=int), [0, 1]),
               plane.points_and_line(np.eye(2), [0, 1], (1.0, 1.0, 1.0)),
               *cnn_plots.maps([("a", np.eye(3))])]
    for fig in figures:
        assert fig.to_plotly_json()["layout"]["template"] == ours


def test_figures_are_built_through_the_helpers():
    """A bare ``go.Figure(...)`` or ``make_subplots(...)`` outside ``ui/plots.py`` would get plotly's
    default look: figures start from ``new_figure``, or (unvalidated fast paths) set ``template_json()``."""
    bare = re.compile(r"go\.Figure\(|make_subplots\(")
    for path in [*ROOT.glob("ui/*.py"), *ROOT.glob("lab/**/*.py")]:
        if path.name == "plots.py" and path.parent.name == "ui":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if bare.search(line):
                assert "_validate=False" in line and "template_json()" in path.read_text(), f"{path}:{number}"
