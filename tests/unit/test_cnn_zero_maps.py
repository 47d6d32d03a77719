"""An all-zero unit (a dead ReLU for this input) is outlined in every CNN picture: on the white
page it was white on white (issue 36)."""

import numpy as np

from lab.cnn import plots

FRAME = list(plots.ZERO_FRAME)


def test_all_zero_finds_only_maps_with_nothing_in_them():
    maps = np.zeros((3, 4, 4))
    maps[1, 2, 2] = 0.5
    maps[2, :, :2] = np.nan  # blanks do not count
    assert plots.all_zero(maps).tolist() == [True, False, True]


def test_the_overview_outlines_an_all_zero_unit_and_leaves_the_others():
    values = np.zeros((2, 5, 5), np.float32)
    values[1] = 0.7  # unit 1 lights up; unit 0 is dead
    pic = plots.overview_picture([plots.Column("ReLU", values)])
    import base64
    import io

    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(base64.b64decode(pic.png.split(",", 1)[1]))).convert("RGB"))
    for unit, outlined in ((0, True), (1, False)):
        x0, y0, x1, y1 = (int(round(v)) for v in pic.boxes[unit])
        edge = rgb[y0, x0:x1]  # the unit's top row of pixels
        assert (edge == FRAME).all(axis=-1).any() == outlined, unit
    inside = rgb[int(pic.boxes[0][1]) + 3, int(pic.boxes[0][0]) + 3]
    assert (inside > 240).all()  # inside the outline: still the (near-white) colour of 0


def test_tiles_outline_the_all_zero_map_where_tiles_puts_it():
    maps = np.ones((4, 3, 3), np.float32)
    maps[3] = 0  # bottom right of a 2 x 2 grid
    rgb, _ = plots.tile_picture(maps, size=70)
    zoom = 70 // 7  # the grid is 2 * 3 + 1 cells wide
    top = left = 4 * zoom
    assert (rgb[top, left:left + 3 * zoom] == FRAME).all()
    assert (rgb[top + 3 * zoom - 1, left] == FRAME).all()
    assert not (rgb[:3 * zoom, :3 * zoom] == FRAME).all(axis=-1).any()  # the first map: no outline


def test_a_unit_map_all_zero_gets_an_outline_and_the_words():
    figs = plots.maps([("Before", np.full((4, 4), -0.3)), ("After", np.zeros((4, 4)))], zero_text="all zero")
    before, after = (f.to_plotly_json()["layout"] for f in figs)
    assert after["annotations"][0]["text"] == "all zero" and after["xaxis"]["showline"] is True
    assert "annotations" not in before and "showline" not in before["xaxis"]
