"""lab.convolution.maths against TensorFlow's own ops on random inputs, plus its checks and helpers."""

import itertools

import numpy as np
import pytest

from core.errors import InputError
from lab.convolution import maths as conv
from lab.convolution import maths_learned as conv_learned
from lab.convolution import maths_trace as conv_trace

tf = pytest.importorskip("tensorflow")

RNG = np.random.default_rng(4)
# The course's worked examples: 4×4 for max pooling 2×2 / stride 2 (window maxima 20, 45, 34, 12)
EXAMPLE_POOL = np.array([[12, 20, 30, 0],
                         [8, 12, 2, 45],
                         [34, 30, 2, 12],
                         [4, 6, 8, 11]], dtype=np.float64)
# ... and a 2×2 input and 2×2 kernel for a stride-1 transposed convolution (2×2 → 3×3).
EXAMPLE_TRANSPOSE_INPUT = np.array([[3, 4], [2, 1]], dtype=np.float64)
EXAMPLE_TRANSPOSE_KERNEL = np.array([[1, 2], [0, 1]], dtype=np.float64)


def nhwc(x):
    return tf.constant(np.asarray(x, dtype=np.float64)[None, :, :, None])


def tf_conv(x, kernel, stride, padding):
    pad = padding.upper() if isinstance(padding, str) else [[0, 0], [padding, padding], [padding, padding], [0, 0]]
    out = tf.nn.conv2d(nhwc(x), tf.constant(kernel[:, :, None, None]), strides=stride, padding=pad)
    return out.numpy()[0, :, :, 0]


@pytest.mark.parametrize("n", [5, 8, 11])
def test_conv2d_matches_tensorflow(n):
    for k, stride, padding in itertools.product([1, 2, 3, 4, 5], [1, 2, 3], ["valid", "same", 0, 1, 2]):
        if k > n + 2 * (padding if isinstance(padding, int) else 0) and padding != "same":
            continue
        x, kernel = RNG.normal(size=(n, n)), RNG.normal(size=(k, k))
        ours = conv.conv2d(x, kernel, stride, padding)
        np.testing.assert_allclose(ours, tf_conv(x, kernel, stride, padding), atol=1e-10,
                                   err_msg=f"n={n} k={k} s={stride} p={padding}")
        assert ours.shape == (conv.output_size(n, k, stride, padding),) * 2


def test_conv2d_is_cross_correlation_on_the_thesis_example():
    edge = conv.preset_kernel("vertical_edge", 3)
    np.testing.assert_array_equal(edge, [[1, 0, -1]] * 3)
    out = conv.conv2d(conv.EXAMPLE_5, edge)  # bright left, dark right: positive at the edge
    assert out.shape == (3, 3) and out[:, 0].tolist() == [0, 0, 0] and (out[:, 1:] == 720).all()


@pytest.mark.parametrize("size,stride", [(2, 2), (2, 1), (3, 2), (3, 3), (1, 1)])
def test_pool2d_matches_tensorflow(size, stride):
    for n in (6, 7, 9):
        x = RNG.normal(size=(n, n))
        want = {"max": tf.nn.max_pool2d(nhwc(x), size, stride, "VALID"),
                "avg": tf.nn.avg_pool2d(nhwc(x), size, stride, "VALID"),
                "min": -tf.nn.max_pool2d(-nhwc(x), size, stride, "VALID")}
        for mode, ref in want.items():
            ours = conv.pool2d(x, size, stride, mode)
            np.testing.assert_allclose(ours, ref.numpy()[0, :, :, 0], atol=1e-12, err_msg=f"{mode} n={n}")
            assert ours.shape == (conv.output_size(n, size, stride, 0),) * 2


def test_pool_example_maxima():
    np.testing.assert_array_equal(conv.pool2d(EXAMPLE_POOL), [[20, 45], [34, 12]])


@pytest.mark.parametrize("n,k,stride", [(1, 1, 1), (2, 2, 1), (3, 3, 2), (4, 3, 2), (4, 4, 2), (5, 2, 3), (3, 5, 2)])
def test_conv2d_transpose_matches_tensorflow(n, k, stride):
    x, kernel = RNG.normal(size=(n, n)), RNG.normal(size=(k, k))
    o = (n - 1) * stride + k
    ref = tf.nn.conv2d_transpose(nhwc(x), tf.constant(kernel[:, :, None, None]), output_shape=[1, o, o, 1],
                                 strides=stride, padding="VALID").numpy()[0, :, :, 0]
    ours = conv.conv2d_transpose(x, kernel, stride)
    assert ours.shape == (o, o)
    np.testing.assert_allclose(ours, ref, atol=1e-10)


def test_transpose_example_and_checkerboard():
    np.testing.assert_array_equal(conv.conv2d_transpose(EXAMPLE_TRANSPOSE_INPUT, EXAMPLE_TRANSPOSE_KERNEL),
                                  [[3, 10, 8], [2, 8, 6], [0, 2, 1]])
    odd = conv.overlap_counts(4, 3, 2)  # 3 is not a multiple of 2: uneven overlap
    assert set(np.unique(odd[1:-1, 1:-1])) == {1, 2, 4}
    even = conv.overlap_counts(4, 4, 2)  # 4 is: every inner cell gets the same count
    assert set(np.unique(even[2:-2, 2:-2])) == {4}


def test_upsample_nearest():
    x = RNG.normal(size=(3, 3))
    np.testing.assert_array_equal(conv.upsample_nearest(x, 2), np.kron(x, np.ones((2, 2))))
    assert conv.upsample_nearest(x, 3).shape == (9, 9)


def test_output_size_formula_and_latex():
    assert conv.output_size(28, 3) == 26 and conv.output_size(28, 3, 1, 1) == 28
    assert conv.output_size(28, 3, 2, "same") == 14 and conv.output_size(7, 3, 2, 0) == 3
    latex = conv.output_size_latex(28, 3, 2, 1)
    assert "28 + 2\\cdot1 - 3" in latex and latex.endswith("= 14")
    assert conv.output_size_latex(5, 3, 1, "same").endswith("= 5")


@pytest.mark.parametrize("call,match", [
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=0), "stride.*0"),
    (lambda: conv.conv2d(np.ones((3, 3)), np.ones((5, 5))), "larger than the padded input"),
    (lambda: conv.conv2d(np.ones((4, 5)), np.ones((3, 3))), "square.*4×5"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 2))), "kernel must be square"),
    (lambda: conv.conv2d(np.ones((0, 0)), np.ones((3, 3))), "empty"),
    (lambda: conv.conv2d(np.ones(5), np.ones((3, 3))), "2-D"),
    (lambda: conv.conv2d(np.array([[1, np.nan], [1, 1]]), np.ones((1, 1))), "empty or non-numeric"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), padding="full"), "'full'"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), padding=-1), "padding.*-1"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=1.5), "stride.*1.5"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=True), "stride.*True"),
    (lambda: conv.pool2d(np.ones((4, 4)), mode="median"), "'median'"),
    (lambda: conv.pool2d(np.ones((2, 2)), size=3), "3×3"),
    (lambda: conv.pool2d(np.ones((4, 4)), stride=0), "stride.*0"),
    (lambda: conv.upsample_nearest(np.ones((2, 2)), 0), "factor.*0"),
    (lambda: conv.conv2d_transpose(np.ones((2, 2)), np.ones((2, 2)), 0), "stride.*0"),
    (lambda: conv.output_size(5, 7, 1, 0), "7×7"),
    (lambda: conv.preset_kernel("emboss"), "'emboss'"),
    (lambda: conv_trace.conv_trace(np.ones((3, 3)), np.ones((3, 3))).step(1), "Step 1 is outside 0…0"),
    (lambda: conv.resize_square(np.ones((4, 4)), 0), "image size.*0"),
])
def test_bad_parameters_raise_value_error_naming_the_value(call, match):
    with pytest.raises(InputError, match=match):  # an InputError is a ValueError
        call()


@pytest.mark.parametrize("call, param, value, high", [
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), padding=10_000), "padding", 10_000, conv.MAX_PADDING),
    (lambda: conv.pad(np.ones((5, 5)), 3, 1, 10_000), "padding", 10_000, conv.MAX_PADDING),
    (lambda: conv.output_size(5, 3, 1, 10_000), "padding", 10_000, conv.MAX_PADDING),
    (lambda: conv.upsample_nearest(np.ones((4, 4)), 10_000), "factor", 10_000, conv.MAX_FACTOR),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=10_000), "stride", 10_000, conv.MAX_STRIDE),
    (lambda: conv.conv2d_transpose(np.ones((2, 2)), np.ones((2, 2)), 10_000), "stride", 10_000, conv.MAX_STRIDE),
    (lambda: conv.overlap_counts(100_000, 3, 1), "input_size", 100_000, conv.MAX_SIDE),
    (lambda: conv.preset_kernel("box_blur", 5_000), "kernel_size", 5_000, conv.MAX_KERNEL),
    (lambda: conv.pool2d(np.ones((4, 4)), 2, 10_000), "stride", 10_000, conv.MAX_STRIDE),
    (lambda: conv.resize_square(np.ones((4, 4)), 100_000), "image_size", 100_000, conv.MAX_SIDE),
    (lambda: conv.resize_square(np.ones((5000, 3)), 10), "image_side", 5000, conv.MAX_IMAGE_SIDE),
    (lambda: conv.conv2d(np.ones((600, 600)), np.ones((3, 3))), "input_size", 600, conv.MAX_SIDE),
    (lambda: conv.conv2d(np.ones((9, 9)), np.ones((40, 40))), "kernel_size", 40, conv.MAX_KERNEL),
])
def test_huge_sizes_are_refused_before_allocating(call, param, value, high):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.code == "value.range"
    assert err.value.values["param"] == param and err.value.values["value"] == value
    assert err.value.values["high"] == high and f"{value:,}" in str(err.value)


def test_outputs_larger_than_the_limit_are_refused():
    n = conv.MAX_SIDE // 2 + 1
    with pytest.raises(InputError, match=f"{2 * n}×{2 * n}") as err:
        conv.upsample_nearest(np.ones((n, n)), 2)
    assert err.value.code == "conv.output_too_big"
    with pytest.raises(InputError):
        conv.conv2d_transpose(np.ones((n, n)), np.ones((3, 3)), 2)
    assert conv.upsample_nearest(np.ones((n - 1, n - 1)), 2).shape == (2 * n - 2,) * 2  # the limit itself is fine


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (2, "same"), (3, "valid")])
def test_trace_covers_every_output_cell(stride, padding):
    x, kernel = RNG.integers(-5, 6, size=(7, 7)).astype(float), RNG.integers(-2, 3, size=(3, 3)).astype(float)
    trace = conv_trace.conv_trace(x, kernel, stride, padding)
    np.testing.assert_array_equal(trace.output, conv.conv2d(x, kernel, stride, padding))
    assert len(trace) == trace.output.size == len(list(trace.steps()))
    for i, step in enumerate(trace.steps()):
        window = trace.padded[step.top:step.top + 3, step.left:step.left + 3]
        np.testing.assert_array_equal(step.window, window)
        np.testing.assert_array_equal(step.products, window * kernel)
        assert step.total == trace.output[step.row, step.col]
        partial = trace.partial_output(i)
        assert np.isfinite(partial).sum() == i + 1
    assert trace.padded.shape[0] == 7 + sum(trace.pad)
    assert conv_trace.sum_latex(trace, trace.step(0)).endswith(f"= {conv.number(trace.output[0, 0])}")


@pytest.mark.parametrize("size", range(1, 8))
def test_presets_at_every_size(size):
    for name in conv.PRESETS:
        k = conv.preset_kernel(name, size)
        assert k.shape == (size, size) and np.isfinite(k).all(), name
    for name in ("box_blur", "gaussian_blur", "identity", "sharpen"):
        assert conv.preset_kernel(name, size).sum() == pytest.approx(1.0), name
    for name in ("vertical_edge", "horizontal_edge", "sobel_x", "sobel_y", "laplacian"):
        assert conv.preset_kernel(name, size).sum() == pytest.approx(0.0), name
    assert (conv.preset_kernel("horizontal_edge", size) == conv.preset_kernel("vertical_edge", size).T).all()


def test_classic_three_by_three_presets():
    np.testing.assert_array_equal(conv.preset_kernel("sobel_x"), [[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    np.testing.assert_allclose(conv.preset_kernel("gaussian_blur"), np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16)


def test_resize_square():
    x = np.arange(16.0).reshape(4, 4)
    np.testing.assert_allclose(conv.resize_square(x, 2), [[2.5, 4.5], [10.5, 12.5]])  # block means
    np.testing.assert_allclose(conv.resize_square(np.full((28, 28), 0.3), 10), 0.3)
    wide = np.zeros((10, 30))
    wide[:, 10:20] = 1.0  # the central square is all ones
    np.testing.assert_allclose(conv.resize_square(wide, 5), 1.0)
    assert conv.resize_square(x, 7).shape == (7, 7)


def test_cell_text_and_value_range():
    text = conv.cell_text(np.array([[1.0, np.nan], [-0.5, 1 / 3]]))
    assert text.tolist() == [["1", ""], ["-0.5", "0.33"]]
    assert conv.value_range(np.array([[-1.0, 3.0]])) == (-3.0, 3.0)
    assert conv.value_range(np.array([[0.0, 1.0]]), np.array([[2.0]])) == (0.0, 2.0)


@pytest.mark.parametrize("padding,stride", [("valid", 1), ("same", 2)])
def test_learned_filters_reproduce_a_keras_conv_layer(padding, stride):
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((28, 28, 1)),
                              keras.layers.Conv2D(6, 3, strides=stride, padding=padding, activation="relu", name="c1"),
                              keras.layers.MaxPooling2D(2), keras.layers.Conv2D(2, 3, name="c2")])
    wrapper = keras.Sequential([keras.Input((28, 28, 1)), model])  # nested, like an ensemble member
    filters = conv_learned.first_conv_filters(wrapper)
    assert filters.name == "c1" and filters.kernels.shape == (6, 3, 3) and filters.relu
    assert filters.padding == padding and filters.stride == stride
    digit = RNG.random((28, 28))
    ours = conv_learned.learned_feature_maps(digit, filters)
    ref = model.get_layer("c1")(digit[None, :, :, None].astype(np.float32)).numpy()[0]
    np.testing.assert_allclose(ours, np.moveaxis(ref, -1, 0), atol=1e-5)
    assert conv_learned.first_conv_filters(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])) is None


def test_heatmap_panels_draws_each_grid_with_its_boxes():
    from ui import plots

    fig = plots.heatmap_panels([{"z": np.zeros((5, 5)), "title": "a", "boxes": [(0, 0, 3, 3, "#f00")]},
                                {"z": np.ones((3, 3)), "text": conv.cell_text(np.ones((3, 3)))}])
    assert len(fig.data) == 2 and len(fig.layout.shapes) == 1
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis2.scaleanchor == "x2"
