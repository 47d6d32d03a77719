"""Uploaded images: every odd file is decoded safely or refused with a clear message."""

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from core.errors import InputError
from core.storage.uploads import MAX_PIXELS, decode_image
from tests.conftest import ROOT


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


@pytest.mark.parametrize("data, code", [
    (b"", "upload.empty"),
    (b"%PDF-1.4 this is a document, not a picture", "upload.not_image"),
    (b"#!/bin/sh\necho hi\n", "upload.not_image"),
])
def test_non_images_are_refused(data, code):
    with pytest.raises(InputError) as err:
        decode_image(data, name="file")
    assert err.value.code == code and "file" in str(err.value)


def test_truncated_png_is_refused():
    data = encode(digit_like(size=(200, 200)))
    with pytest.raises(InputError, match="damaged or truncated") as err:
        decode_image(data[: len(data) // 2])
    assert err.value.code == "upload.damaged"


def test_one_pixel_image_is_refused():
    with pytest.raises(InputError, match="1×1 pixels"):
        decode_image(encode(Image.new("L", (1, 1))))


def test_decompression_bomb_is_refused_in_our_words():
    data = encode(Image.new("L", (10_000, 10_000)))  # ~100 kB that would unpack to 100 MB
    with pytest.raises(InputError) as err:
        decode_image(data)
    assert err.value.code == "upload.bomb" and err.value.values["pixels"] == 100_000_000
    assert "DOS" not in str(err.value) and "decompression" not in str(err.value)  # not Pillow's text


def test_big_image_is_refused_before_decoding_with_its_real_size():
    data = encode(Image.new("RGBA", (5000, 5000)))  # ~100 kB PNG, 100 MB per decoded copy
    with pytest.raises(InputError) as err:
        decode_image(data, name="big.png")
    assert err.value.code == "upload.too_many_pixels"
    assert err.value.values == {"name": "big.png", "width": 5000, "height": 5000,
                                "pixels": 25_000_000, "limit": MAX_PIXELS}


def test_a_long_thin_strip_names_its_shape_not_a_shrunk_one():
    with pytest.raises(InputError) as err:
        decode_image(encode(Image.new("L", (20000, 8), 255)), name="strip.png")
    assert err.value.code == "upload.too_thin" and "20,000×8 pixels" in str(err.value)


def test_a_fully_transparent_picture_says_so():
    with pytest.raises(InputError) as err:
        decode_image(encode(Image.new("RGBA", (60, 40), (0, 0, 0, 0))), name="ghost.png")
    assert err.value.code == "upload.transparent"


def test_a_large_phone_jpeg_is_decoded_at_a_reduced_scale():
    photo = np.full((3000, 4000), 230, np.uint8)  # 12 MP, over the pixel cap when decoded fully
    photo[1000:2000, 1800:2200] = 20
    out = decode_image(encode(Image.fromarray(photo).convert("RGB"), "JPEG", quality=80), max_side=1024)
    assert out.shape == (768, 1024) and out[1500 * 768 // 3000, 2000 * 1024 // 4000] < 0.2 and out[10, 10] > 0.8


def test_big_but_reasonable_image_is_shrunk():
    out = decode_image(encode(digit_like(size=(2400, 1600))), max_side=512)
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


# ---------------------------------------------------------------- memory: measured in a fresh process
PROBE = """
import resource, sys
from core.storage.uploads import decode_image
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    decode_image(data, "probe", 1024)
    outcome = "decoded"
except ValueError as exc:
    outcome = getattr(exc, "code", "ValueError")
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, outcome)
"""


def _largest_accepted_files(tmp_path):
    y, x = np.mgrid[0:2000, 0:2000]  # 4 MP: the pixel cap
    g = ((x + y) % 256).astype(np.uint8)
    rgba = np.dstack([g, g[::-1], g.T, (x % 256).astype(np.uint8)])
    g16 = Image.new("I;16", (2000, 2000))
    g16.frombytes(((x * 30 + y) % 65536).astype("<u2").tobytes())
    photo = np.tile(np.dstack([g, g.T, g[::-1]]), (2, 3, 1))  # 4000×6000 RGB
    files = {"rgba_5000.png": encode(Image.new("RGBA", (5000, 5000))),  # the 97 KB file
             "rgba_2000.png": encode(Image.fromarray(rgba, "RGBA")),
             "grey16_2000.png": encode(g16),
             "photo_24mp.jpg": encode(Image.fromarray(photo, "RGB"), "JPEG", quality=60)}
    for name, data in files.items():
        assert len(data) <= 5 * 1024 * 1024, name  # the uploader would accept it
        (tmp_path / name).write_bytes(data)
    return files


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_peak_memory_stays_under_150_mb_for_any_accepted_upload(tmp_path):
    expected = {"rgba_5000.png": "upload.too_many_pixels", "rgba_2000.png": "decoded",
                "grey16_2000.png": "decoded", "photo_24mp.jpg": "decoded"}
    for name in _largest_accepted_files(tmp_path):
        out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / name)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=True).stdout.split()
        growth_mb, outcome = float(out[0]), out[1]
        assert outcome == expected[name], name
        assert growth_mb < 150, f"{name}: peak grew by {growth_mb:.0f} MB"
