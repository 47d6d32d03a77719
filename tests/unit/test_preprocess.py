"""canvas_to_mnist: polarity, transparency, position, stroke width, blank input."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.errors import InputError
from core.maths.preprocess import EmptyDrawingError, canvas_stages, canvas_to_mnist, ink_map


def seven(width: int = 20, offset=(0, 0), size: int = 280, scale: float = 1.0) -> np.ndarray:
    """A white-on-black '7' as a (size, size) uint8 ink mask drawn with a pen of ``width``."""
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    ox, oy = offset
    pts = [(80, 70), (200, 70), (120, 220)]
    pts = [(ox + 140 + (x - 140) * scale, oy + 140 + (y - 140) * scale) for x, y in pts]
    d.line(pts, fill=255, width=width, joint="curve")
    return np.asarray(img)


def rgba(ink: np.ndarray, style: str) -> np.ndarray:
    out = np.zeros(ink.shape + (4,), np.uint8)
    if style == "light":
        out[..., :3], out[..., 3] = ink[..., None], 255
    elif style == "dark":
        out[..., :3], out[..., 3] = 255 - ink[..., None], 255
    elif style == "alpha":  # transparent canvas, colour channels all black
        out[..., 3] = ink
    elif style == "alpha_white":  # transparent canvas, white strokes
        out[..., :3], out[..., 3] = 255, ink
    return out


def centre_of_mass(img: np.ndarray) -> tuple[float, float]:
    r, c = np.indices(img.shape)
    return float((r * img).sum() / img.sum()), float((c * img).sum() / img.sum())


def check_mnist_like(digit: np.ndarray) -> None:
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() >= 0 and digit.max() == pytest.approx(1.0)
    rows, cols = np.flatnonzero(digit.max(1) > 0.05), np.flatnonzero(digit.max(0) > 0.05)
    assert max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) <= 21  # fitted in a 20×20 box
    r, c = centre_of_mass(digit)
    assert abs(r - 13.5) <= 0.75 and abs(c - 13.5) <= 0.75  # centred by mass


@pytest.mark.parametrize("style", ["light", "dark", "alpha", "alpha_white"])
def test_every_polarity_gives_the_same_digit(style):
    reference = canvas_to_mnist(rgba(seven(), "light"))
    digit = canvas_to_mnist(rgba(seven(), style))
    check_mnist_like(digit)
    assert np.abs(digit - reference).max() < 0.02


def test_rgb_and_grey_photos_with_dark_ink_on_light_paper():
    ink = seven()
    grey = 0.9 - 0.7 * ink.astype(np.float32) / 255  # grey paper, dark-grey pencil, floats
    rgb = np.repeat((grey * 255).astype(np.uint8)[..., None], 3, axis=2)
    ref = canvas_to_mnist(rgba(ink, "light"))
    for image in (grey, rgb):
        digit = canvas_to_mnist(image)
        check_mnist_like(digit)
        assert np.abs(digit - ref).mean() < 0.02


def test_off_centre_and_small_drawings_are_recentred_and_resized():
    ref = canvas_to_mnist(rgba(seven(), "light"))
    for offset, scale in [((-80, -70), 0.4), ((90, 60), 0.3), ((-100, 80), 0.25)]:
        digit = canvas_to_mnist(rgba(seven(width=round(20 * scale), offset=offset, scale=scale), "dark"))
        check_mnist_like(digit)
        assert np.abs(digit - ref).mean() < 0.05


@pytest.mark.parametrize("width", [3, 8, 40])
def test_thin_and_thick_strokes(width):
    digit = canvas_to_mnist(rgba(seven(width=width), "alpha"))
    check_mnist_like(digit)
    assert (digit > 0.5).sum() >= 10  # a thin stroke still leaves a visible line


def test_stages_are_consistent():
    s = canvas_stages(rgba(seven(offset=(40, 30), scale=0.5), "light"))
    assert s.drawn.shape == (280, 280)
    assert max(s.boxed.shape) == 20
    assert s.cropped.shape[0] / s.cropped.shape[1] == pytest.approx(s.boxed.shape[0] / s.boxed.shape[1], rel=0.1)
    assert s.digit.sum() == pytest.approx(s.boxed.sum(), rel=1e-4)  # nothing cut off


@pytest.mark.parametrize("image", [
    np.zeros((280, 280, 4), np.uint8),  # untouched transparent canvas
    np.full((280, 280, 4), 255, np.uint8),  # opaque white
    np.concatenate([np.zeros((280, 280, 3), np.uint8), np.full((280, 280, 1), 255, np.uint8)], 2),  # black
    np.full((50, 60), 0.5, np.float32),  # flat grey photo
    np.full((280, 280, 3), 250, np.uint8) + np.random.default_rng(0).integers(0, 5, (280, 280, 3)).astype(np.uint8),
])
def test_blank_input_raises_empty_drawing_error(image):
    with pytest.raises(EmptyDrawingError) as info:
        canvas_to_mnist(image)
    assert isinstance(info.value, ValueError)


def test_bad_shapes_raise_value_error():
    for bad in (np.zeros((280, 280, 5)), np.zeros(10), np.zeros((1, 280))):
        with pytest.raises(ValueError):
            canvas_to_mnist(bad)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_pixels_are_refused_never_passed_on(bad):
    image = np.zeros((280, 280, 4), np.float32)
    image[100:180, 130:150] = 1.0  # a stroke...
    image[5, 7] = bad  # ...and one pixel that is not a number
    with pytest.raises(InputError) as err:
        canvas_stages(image)
    assert err.value.code == "image.not_finite" and err.value.values == {"count": 1}


def test_size_limits_name_the_real_size():
    with pytest.raises(InputError) as err:
        canvas_to_mnist(np.zeros((1, 280)))
    assert err.value.code == "image.too_small" and "1×280" in str(err.value)
    with pytest.raises(InputError) as err:
        ink_map(np.zeros((1, 5_000_000), np.uint8).reshape(2000, 2500))  # 5 MP, over the cap
    assert err.value.code == "image.too_large"
