"""Uploaded images: every odd file is decoded safely or refused with a clear message."""

import io

import numpy as np
import pytest
from PIL import Image

from core.uploads import decode_image


def encode(img: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def digit_like(mode: str = "L", size=(60, 40)) -> Image.Image:
    arr = np.full(size[::-1], 255, np.uint8)
    arr[10:30, 25:35] = 0  # a dark bar on white paper
    return Image.fromarray(arr, "L").convert(mode)


def test_plain_png_is_grey_in_unit_range():
    out = decode_image(encode(digit_like()))
    assert out.shape == (40, 60) and out.dtype == np.float32
    assert out.min() == 0.0 and out.max() == 1.0


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"%PDF-1.4 this is a document, not a picture", "not an image"),
    (b"#!/bin/sh\necho hi\n", "not an image"),
])
def test_non_images_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        decode_image(data, name="file")


def test_truncated_png_is_refused():
    data = encode(digit_like(size=(200, 200)))
    with pytest.raises(ValueError, match="damaged or truncated"):
        decode_image(data[: len(data) // 2])


def test_one_pixel_image_is_refused():
    with pytest.raises(ValueError, match="1×1 pixels"):
        decode_image(encode(Image.new("L", (1, 1))))


def test_decompression_bomb_is_refused():
    data = encode(Image.new("L", (10_000, 10_000)))  # ~100 kB that would unpack to 100 MB
    with pytest.raises(ValueError, match="too large|limit"):
        decode_image(data)


def test_big_but_reasonable_image_is_shrunk():
    out = decode_image(encode(digit_like(size=(3000, 2000))), max_side=512)
    assert max(out.shape) == 512 and out.shape == (341, 512)


def test_animated_gif_uses_the_first_frame():
    first, second = digit_like(), Image.new("L", (60, 40), 0)
    data = encode(first, "GIF", save_all=True, append_images=[second], duration=100, loop=0)
    out = decode_image(data)
    assert out.shape == (40, 60) and out.mean() > 0.8  # the white first frame, not the black one


def test_sixteen_bit_png_is_scaled_down():
    arr = (np.arange(40 * 60).reshape(40, 60) * 27).astype(np.uint16)
    img = Image.new("I;16", (60, 40))
    img.frombytes(arr.astype("<u2").tobytes())
    out = decode_image(encode(img))
    assert 0 <= out.min() and out.max() <= 1 and out.max() > 0.9


def test_cmyk_jpeg_is_converted():
    out = decode_image(encode(digit_like("CMYK"), "JPEG"))
    assert out.shape == (40, 60) and out[20, 30] < 0.2 and out[0, 0] > 0.8


def test_transparent_png_counts_transparency_as_paper():
    rgba = np.zeros((40, 60, 4), np.uint8)  # fully transparent black...
    rgba[10:30, 25:35] = (0, 0, 0, 255)  # ...except an opaque black bar
    out = decode_image(encode(Image.fromarray(rgba, "RGBA")))
    assert out[0, 0] == 1.0 and out[20, 30] == 0.0


def test_oversized_upload_is_refused():
    with pytest.raises(ValueError, match="MB"):
        decode_image(b"\0" * (6 * 1024 * 1024))
