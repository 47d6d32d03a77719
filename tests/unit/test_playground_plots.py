"""The playground's pictures: surface chart and live picture, the clickable plane, hidden-unit strips."""

import numpy as np

from core.maths import playground as pg
from lab.playground import plots as pp


def test_surface_chart_two_and_three_classes():
    axis = pg.grid()[0]
    x, y = pg.make_dataset("circle", 40)
    two = pp.surface(axis, np.full((40, 40), 0.3), (x[:30], y[:30]), (x[30:], y[30:]), ["a", "b", "c"], "T")
    kinds = [trace.type for trace in two.data]
    assert kinds[:2] == ["heatmap", "contour"] and kinds.count("scatter") == 4  # 2 classes × train/test
    assert two.layout.title.text == "T" and list(two.layout.xaxis.range) == [-pp.VIEW, pp.VIEW]
    probs = np.zeros((40, 40, 3))
    probs[..., 2] = 1
    three = pp.surface(axis, probs, (x, y), (x[:0], y[:0]), ["a", "b", "c"])
    assert set(np.asarray(three.data[0].z).ravel()) == {2}  # every cell: the likeliest class
    assert [t.type for t in pp.surface(axis, None, (x, y), (x, y), ["a", "b"]).data] == ["scatter"] * 4


def test_click_plane_places_and_clicked_point():
    fig = pp.click_plane(np.array([[0.5, 0.5]]), np.array([1]), ["a", "b", "c"], "Points")
    places = fig.data[0]
    assert len(places.x) == 21 * 21 and min(places.x) == -1 and max(places.y) == 1
    assert fig.layout.clickmode == "event+select"
    event = {"selection": {"points": [{"curve_number": 1, "x": 0.5, "y": 0.5}, {"curve_number": 0, "x": -0.3, "y": 0.2}]}}
    assert pp.clicked_point(event) == (-0.3, 0.2)  # a click on an existing point is not a new place
    assert pp.clicked_point({"selection": {"points": []}}) is None and pp.clicked_point(None) is None


def test_live_picture_colours_and_points():
    x = np.array([[-1.0, -1.0]], dtype=np.float32)
    p = np.zeros((40, 40))
    p[:, 20:] = 1.0  # class 1 on the right half
    img = pp.surface_image(p, (x, np.array([0])), (x[:0], np.array([], int)), size=240)
    assert img.shape == (240, 240, 3) and img.dtype == np.uint8
    left, right = img[120, 20].astype(int), img[120, 220].astype(int)
    assert left[0] > left[2] and right[2] > right[0]  # red on the class-0 side, blue on the class-1 side
    u, v = round((-1 + pp.VIEW) / (2 * pp.VIEW) * 240), round((pp.VIEW + 1) / (2 * pp.VIEW) * 240)
    assert tuple(img[v, u]) == (0xD6, 0x27, 0x28)  # the class-0 point, at (-1, -1): bottom left


def test_hidden_unit_strips_and_thinned_curves():
    layer1, layer2 = np.random.default_rng(0).normal(size=(3, 40, 40)), np.ones((2, 40, 40))
    strip = pp.neuron_strip(layer1, scale=2, pad=3)
    assert strip.shape == (80, 3 * 83 - 3, 3)
    picture = pp.neuron_picture([layer1, layer2])
    assert picture.shape == (80 + 6 + 80, strip.shape[1], 3)
    assert tuple(picture[-1, 0]) == (31, 119, 180)  # all-positive unit: full blue
    epochs, values = pp.thin(list(range(1000)), most=300)
    assert len(epochs) == 300 and epochs[0] == 1 and epochs[-1] == 1000 and values[-1] == 999
    assert pp.thin([0.5, 0.4]) == ([1, 2], [0.5, 0.4])
