"""Issue 36: the latent map's colours and labels, progress texts that do not mislead."""

from types import SimpleNamespace

import numpy as np
import pytest

from core import i18n
from core.jobs.progress import RUNNING
from lab.gan import plots as gan_plots
from ui import jobs_panel


def test_every_digit_has_its_own_colour_and_none_is_the_unsure_grey():
    colours = [c.lower() for c in gan_plots.MAP_COLOURS]
    assert len(colours) == 10 and len(set(colours)) == 10
    assert gan_plots.GREY.lower() not in colours
    for c in colours:  # no digit colour is a grey (r = g = b) other than black, far from unsure grey
        rgb = gan_plots._rgb(c)
        assert np.ptp(rgb) > 0.2 or rgb.max() < 0.2


def test_unsure_cells_are_labelled_and_coloured_apart():
    labels = np.array([[7, 7], [3, 1]])
    confidence = np.array([[0.99, 0.3], [0.8, 0.2]])
    assert gan_plots.cell_labels(labels, confidence) == ["7", "?", "3", "?"]
    picture = gan_plots.map_picture(np.ones((2, 2, 28, 28)), labels, confidence)
    sure_seven, unsure_seven = picture[14, 14], picture[14, 30 + 14]
    assert tuple(unsure_seven) != tuple(sure_seven)  # the same digit, sure and unsure, apart
    html = gan_plots.legend_html("? unsure")
    assert all(c in html for c in gan_plots.MAP_COLOURS) and gan_plots.GREY in html and "? unsure" in html


def snap(**fields):
    base = dict(status=RUNNING, epoch=0, epochs=3, batch=0, batches=0, fraction=0.0, eta_s=None)
    return SimpleNamespace(**{**base, **fields})


@pytest.mark.parametrize("lang", ["en", "es"])
def test_progress_says_it_is_starting_before_the_first_batch(lang):
    t = i18n.translator(lang)
    text = jobs_panel.status_text(t, snap())
    assert text == t("common.status_starting") and "?" not in text and "TensorFlow" in text
    assert "?" not in jobs_panel.status_text(t, snap(epoch=1, batch=3, batches=40))
    began = jobs_panel.status_text(t, snap(epoch=1))  # an epoch began, no batch count yet: no "0/?"
    assert began == t("common.status_epoch", epoch=1, epochs=3) and "?" not in began


@pytest.mark.parametrize("lang", ["en", "es"])
def test_time_left_is_not_almost_done_early_nor_a_plural_one_second(lang):
    t = i18n.translator(lang)
    assert jobs_panel.eta_text(t, snap(fraction=0.33, eta_s=0.4)) == t("common.eta_seconds")
    assert jobs_panel.eta_text(t, snap(fraction=0.95, eta_s=0.4)) == t("common.eta_soon")
    assert jobs_panel.eta_text(t, snap(fraction=0.5, eta_s=1.0)) == t("common.eta_seconds")  # not "unos 1 s"
    assert "1:05" in jobs_panel.eta_text(t, snap(fraction=0.5, eta_s=65))


def test_shrink_factors_read_as_fractions_in_the_language_not_scientific_notation():
    from lab.recurrent.view_memory import shrink_text

    assert shrink_text(1 / 7944.6, "en") == "1/7,900" and shrink_text(1 / 7944.6, "es") == "1/7.900"
    assert shrink_text(1 / 2.6e9, "es") == "10⁻¹⁰"
    assert shrink_text(1.3, "es") == "×1,3"
    assert "e" not in shrink_text(1e-4, "en")


def test_feature_map_layers_get_names_for_students():
    from lab.classifier.view_digits import layer_names

    for lang in ("en", "es"):
        t = i18n.translator(lang)
        names = layer_names(t, ["improved_1_b1a_relu", "improved_1_pool1", "improved_1_b2a_relu", "conv2d_3"])
        assert names == [t("classifier.draw.layer_relu", n=1), t("classifier.draw.layer_pool", n=1),
                         t("classifier.draw.layer_relu", n=2), t("classifier.draw.layer_conv", n=1)]
        assert not any("_" in n for n in names)


def test_the_vgg_recipe_shown_to_spanish_students_has_spanish_comments_and_the_same_code():
    from core import recipes

    es = recipes.with_comments(recipes.VGG_RECIPE, i18n.translator("es")("transfer.recipe.comments"))
    en = recipes.with_comments(recipes.VGG_RECIPE, i18n.translator("en")("transfer.recipe.comments"))
    assert en == recipes.VGG_RECIPE  # the English list is the recipe's own comments
    code = [line.split("#")[0] for line in recipes.VGG_RECIPE.splitlines()]
    assert [line.split("#")[0] for line in es.splitlines()] == code
    assert "congelada" in es and "frozen" not in es and "one pass over" not in es


def test_the_confusion_matrix_has_one_tick_per_digit():
    from ui import plots

    fig = plots.confusion_matrix(np.eye(10, dtype=int) * 5, list(range(10)), "cm")
    assert list(fig.layout.xaxis.tickvals) == list(range(10)) == list(fig.layout.yaxis.tickvals)


def test_long_titles_wrap_and_a_long_legend_gets_room_above_the_plot():
    from ui import display, plots

    long = "Untrained networks: how much each step can move the loss (50 steps)"
    fig = plots.lines({str(i): [1, 2] for i in range(6)}, long)
    top = fig.layout.margin.t
    display.wrap_title(fig)
    assert fig.layout.title.text.count("<br>") == 1 and display.figure_title(fig) == long
    assert all(len(line) <= display.TITLE_LINE for line in fig.layout.title.text.split("<br>"))
    grown = fig.layout.margin.t
    display.room_for_legend(fig)  # six entries: three rows on a phone
    assert grown > top and fig.layout.margin.t == grown + 40
    short = plots.lines({"a": [1], "b": [2]}, "Short")
    before = short.layout.margin.t
    display.wrap_title(short)
    display.room_for_legend(short)
    assert short.layout.title.text == "Short" and short.layout.margin.t == before


def test_room_for_legend_takes_figures_with_traces_that_have_no_legend():
    import plotly.graph_objects as go

    from ui import display

    fig = go.Figure(go.Image(z=np.zeros((2, 2, 3), np.uint8))).update_layout(title_text="map", margin_t=45)
    display.room_for_legend(fig)  # an Image has no showlegend: no AttributeError
    assert fig.layout.margin.t == 45
