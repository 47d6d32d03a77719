"""Convolution & pooling: slide a kernel over a digit, a picture or a small matrix, step by step."""

import numpy as np
import streamlit as st

from core.storage.mnist import load_mnist
from core.storage.uploads import decode_image
from lab.convolution import maths as conv
from lab.convolution import maths_learned as conv_learned
from lab.convolution import maths_trace as conv_trace
from lab.convolution.plots import cell_text, panel
from lab.convolution.view import draw, edit_grid
from lab.convolution.view_steps import player
from ui import chrome, downloads, links, plots, shared

SOURCES = ("mnist", "drawn", "upload", "matrix")
PADDINGS = ("valid", "same", "1", "2", "3")
# The controls kept in the address (``bind=links.URL``: the parameter is the widget's key; a
# choice's parameter holds its label). Edited kernel and matrix cells are not linked: a grid
# of numbers is not one widget value that bind can hold.
LINK_KEYS = ("convolution_source", "convolution_mnist_index", "convolution_side", "convolution_example",
             "convolution_kernel", "convolution_kernel_size", "convolution_stride", "convolution_padding",
             "convolution_shared_scale", "convolution_pool_mode", "convolution_transpose_size")

t = chrome.start_page()
st.title(t("convolution.title"))
st.markdown(t("convolution.intro"))
chrome.lesson(t, "convolution")

# ---------------------------------------------------------------- input
st.header(t("convolution.input.header"))
link = links.watch("convolution", LINK_KEYS)  # a notice for bad values in a link goes here


def source_label(s: str) -> str:
    return t(f"convolution.input.{s}")


def example_label(e: str) -> str:
    return t(f"convolution.input.{e}")


def preset_label(p: str) -> str:
    return t(f"convolution.presets.{p}")


def padding_label(p: str) -> str:
    return t(f"convolution.kernel.padding_{p}") if not p.isdigit() else t("convolution.kernel.padding_n", p=p)


def pool_label(m: str) -> str:
    return t(f"convolution.pool.{m}")


def report_link() -> None:
    """The notice for the link's bad values (before an ``st.stop`` too: later widgets are not judged)."""
    links.report(t, link, {"convolution_source": source_label, "convolution_example": example_label,
                           "convolution_kernel": preset_label, "convolution_padding": padding_label,
                           "convolution_pool_mode": pool_label})


source = st.radio(t("convolution.input.source"), SOURCES, horizontal=True, key="convolution_source",
                  format_func=source_label, bind=links.URL)
image, digit = None, None  # the grid to convolve (n, n); a (28, 28) digit in [0, 1] for the network
with chrome.guard(t):
    if source == "mnist":
        (_, _), (x_test, y_test) = load_mnist()
        index = st.columns(2)[0].number_input(t("convolution.input.index", count=len(x_test) - 1), 0,
                                              len(x_test) - 1, 0, key="convolution_mnist_index",
                                              bind=links.URL)
        digit = x_test[int(index)] / 255.0
        st.caption(t("convolution.input.label", label=int(y_test[int(index)])))
    elif source == "drawn":
        digit = shared.last_digit()  # drawn on the classifier page
        if digit is None:
            st.info(t("convolution.input.no_drawing"), icon=":material/draw:")
    elif source == "upload":
        upload = st.file_uploader(t("convolution.input.upload_label"), key="convolution_upload")
        invert = st.checkbox(t("convolution.input.invert"), value=True, key="convolution_invert")
        if upload is None:
            st.info(t("convolution.input.upload_hint"), icon=":material/upload:")
        else:
            picture = decode_image(upload.getvalue(), upload.name, max_side=256)  # InputError: the guard translates
            digit = conv.resize_square(1.0 - picture if invert else picture, 28)
    else:
        example = st.selectbox(t("convolution.input.example"), list(conv.EXAMPLES), key="convolution_example",
                               format_func=example_label, bind=links.URL)
        image = edit_grid(conv.EXAMPLES[example], f"convolution_matrix_{example}")
    if digit is not None:
        side = st.columns(2)[0].slider(t("convolution.input.side"), 5, 28, 12, key="convolution_side",
                                       help=t("convolution.input.side_help"), bind=links.URL)
        image = conv.resize_square(digit, side)
if image is None:
    report_link()
    st.stop()

# ---------------------------------------------------------------- kernel, stride, padding
st.header(t("convolution.kernel.header"))
c1, c2, c3, c4 = st.columns(4)
preset = c1.selectbox(t("convolution.kernel.preset"), conv.PRESETS, key="convolution_kernel",
                      format_func=preset_label, bind=links.URL)
size = c2.slider(t("convolution.kernel.size"), 1, 7, 3, key="convolution_kernel_size", bind=links.URL)
stride = c3.slider(t("convolution.kernel.stride"), 1, 4, 1, key="convolution_stride", bind=links.URL)
choice = c4.selectbox(t("convolution.kernel.padding"), PADDINGS, key="convolution_padding",
                      format_func=padding_label, bind=links.URL)
padding = choice if not choice.isdigit() else int(choice)
st.caption(t("convolution.kernel.edit_hint"))
kernel_grid = edit_grid(conv.preset_kernel(preset, size).round(4), f"convolution_kernel_grid_{preset}_{size}")
same_scale = st.toggle(t("convolution.kernel.shared_scale"), key="convolution_shared_scale", bind=links.URL,
                       help=t("convolution.kernel.shared_scale_help"))  # one colour range for every grid

trace = pooled = None  # both, or neither: a failure in pooling must not leave half a result
with chrome.guard(t):
    kernel = kernel_grid
    traced = conv_trace.conv_trace(image, kernel, stride, padding)
    pooled = {mode: conv.pool2d(traced.output, 2, 2, mode) for mode in conv.POOL_MODES} \
        if traced.output.shape[0] >= 2 else None
    trace = traced
if trace is None:
    report_link()
    st.stop()

n, k = image.shape[0], kernel.shape[0]
st.latex(conv.output_size_latex(n, k, stride, padding))
st.caption(t("convolution.kernel.formula_caption", n=n, k=k, s=stride,
             p=f"{trace.pad[0]}" if trace.pad[0] == trace.pad[1] else f"{trace.pad[0]}/{trace.pad[1]}"))
everything = [image, trace.output] + (list(pooled.values()) if pooled else [])
shared_range = conv.value_range(*everything)


def rng(*arrays: np.ndarray) -> tuple[float, float]:
    """The colour range of ``arrays``: the page's one range when the scale is shared."""
    return shared_range if same_scale else conv.value_range(*arrays)


draw("convolution",
     panel(image, t("convolution.plots.input", n=n), rng(image), text=cell_text(image)),
     panel(kernel, t("convolution.plots.kernel", k=k), conv.value_range(kernel), text=conv.cell_text(kernel)),
     panel(trace.output, t("convolution.plots.output", o=trace.output.shape[0]), rng(trace.output),
           text=cell_text(trace.output)))
downloads.png_button(t, lambda: [trace.output], "convolution-output.png", key="convolution_output_png", scale=8)

# ---------------------------------------------------------------- step by step
st.header(t("convolution.steps.header"))
st.markdown(t("convolution.steps.intro"))

player(t, trace, rng)

# ---------------------------------------------------------------- pooling and upsampling
st.header(t("convolution.pool.header"))
st.markdown(t("convolution.pool.intro"))
if pooled is None:
    st.info(t("convolution.pool.too_small"))
else:
    mode = st.radio(t("convolution.pool.mode"), conv.POOL_MODES, horizontal=True, key="convolution_pool_mode",
                    format_func=pool_label, bind=links.URL)
    small = pooled[mode]
    upsampled = conv.upsample_nearest(small, 2)
    st.latex(conv.output_size_latex(trace.output.shape[0], 2, 2, 0))
    draw("pooling",
         panel(trace.output, t("convolution.plots.output", o=trace.output.shape[0]), rng(trace.output),
               text=cell_text(trace.output)),
         panel(small, t("convolution.pool.pooled", mode=t(f"convolution.pool.{mode}"), o=small.shape[0]),
               rng(small), text=cell_text(small)),
         panel(upsampled, t("convolution.pool.upsampled", o=upsampled.shape[0]), rng(upsampled),
               text=cell_text(upsampled)))
    st.caption(t("convolution.pool.upsample_note"))

    # ------------------------------------------------------------ transposed convolution
    st.header(t("convolution.transpose.header"))
    st.markdown(t("convolution.transpose.intro"))
    tk = st.radio(t("convolution.transpose.kernel"), (2, 3, 4), index=1, horizontal=True,
                  key="convolution_transpose_size", bind=links.URL)
    counts = conv.overlap_counts(4, tk, 2)
    stamped = conv.conv2d_transpose(small, np.ones((tk, tk)), 2)
    draw("transposed",
         panel(counts, t("convolution.transpose.counts", k=tk), conv.value_range(counts, symmetric=False),
               text=conv.cell_text(counts)),
         panel(stamped, t("convolution.transpose.output", k=tk, o=stamped.shape[0]), conv.value_range(stamped),
               text=cell_text(stamped)), height=400)
    st.markdown(t("convolution.transpose.why" if tk % 2 else "convolution.transpose.even"))
report_link()

# ---------------------------------------------------------------- a trained network
st.header(t("convolution.network.header"))
st.markdown(t("convolution.network.intro"))


def learned_filters():
    """The shipped CNN's first layer; Keras is imported only here, when the student asks."""
    try:
        from core.models import classifier
        return conv_learned.first_conv_filters(classifier.load_classifier("cnn")), None
    except Exception as exc:  # noqa: BLE001 - no TensorFlow, no shipped model yet...
        return None, f"{type(exc).__name__}: {exc}"


if digit is None:
    st.info(t("convolution.network.needs_digit"))
elif st.toggle(t("convolution.network.show"), key="convolution_network"):
    with st.spinner(t("convolution.network.loading")):
        filters, problem = learned_filters()
    if filters is None:
        st.info(t("convolution.network.unavailable", error=problem or "-"), icon=":material/info:")
    else:
        with chrome.guard(t):
            count = min(16, len(filters.kernels))
            maps = conv_learned.learned_feature_maps(digit, filters, count)
            kernels = filters.kernels[:count]
            if not same_scale:
                kernels, maps = conv.scale_each(kernels, symmetric=True), conv.scale_each(maps)
            st.caption(t("convolution.network.caption", layer=filters.name, count=count,
                         total=len(filters.kernels), k=kernels.shape[1], o=maps.shape[1]))
            draw("network",
                 panel(plots.tile(kernels, cols=4, pad=1, value=np.nan), t("convolution.network.filters"),
                       conv.value_range(kernels, symmetric=True)),
                 panel(plots.tile(maps, cols=4, pad=2, value=np.nan), t("convolution.network.maps"),
                       conv.value_range(maps)), height=420)
            downloads.png_button(t, lambda: list(maps), "convolution-feature-maps.png", key="convolution_maps_png",
                                 columns=4)
