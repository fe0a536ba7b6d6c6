"""The four animations of chapters 1–4, each computed by real ``nn.Conv2d`` layers.

- :func:`animate_standard_conv`: every filter reads every input channel (chapter 1);
- :func:`animate_depthwise_conv`: one filter per channel, channels never mix (chapter 2);
- :func:`animate_pointwise_conv`: each pixel's column of channels mixed into new ones (chapter 3);
- :func:`animate_separable_conv`: depthwise then pointwise beside the standard convolution, with
  the running count of mult-adds of each (chapter 4).

The layers have weights in {-1, 0, 1} and the input values in {0, 1, 2} (seeded), so every
number drawn is the layer's exact output. A frame is one output position (after an opening
frame): ``frames == size * size + 1``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .._validation import check_positive_int
from ..factorisation import factorised_kernel
from ..i18n import tr
from .animation import ConvAnimation
from .figure import PanelSpec, render
from .steps import integer_conv, integer_input, run, running_counts, sweep

MAX_CHANNELS = 8  # the book's channel colours
MAX_SIZE = 8  # at most 65 frames
KERNELS = (1, 3, 5, 7)


def _check(name: str, value: Any, high: int) -> int:
    value = check_positive_int(name, value)
    if value > high:
        raise ValueError(
            f"{name} must be an int from 1 to {high} (a legible animation), got {value}"
        )
    return value


def _check_kernel(k: Any, size: int) -> int:
    k = check_positive_int("k", k)
    if k not in KERNELS or k > 2 * size + 1:
        raise ValueError(f"k must be one of {KERNELS} and at most 2·size + 1, got {k}")
    return k


def _animation(title: str, alt: str, x: torch.Tensor, specs: list[PanelSpec]) -> ConvAnimation:
    layers = {name: conv for spec in specs for name, conv in spec.layers.items()}
    outputs = {name: y[None] for spec in specs for name, y in zip(spec.layers, spec.outputs)}
    steps = sweep(layers, x.shape[2])
    counts = {spec.counter: running_counts(steps, tuple(spec.layers)) for spec in specs}
    return ConvAnimation(
        title=title,
        alt=alt,
        steps=steps,
        counts=counts,
        layers=layers,
        input=x,
        outputs=outputs,
        draw=lambda: render(title, x, specs, steps),
    )


def _filters(conv: nn.Conv2d) -> str:
    n, depth, k, _ = conv.weight.shape
    return tr("{n} filters", n=n) + f"\n{k}×{k}×{depth}"


def _map(word: str, size: int, channels: int) -> str:
    return f"{word}\n{size}×{size}×{channels}"


def _position(formula: str) -> str:
    return tr("per output position: {formula}", formula=formula)


def _checked(m: Any, size: Any, k: Any = 1, n: Any = 1) -> tuple[int, int, int, int]:
    m, n = _check("m", m, MAX_CHANNELS), _check("n", n, MAX_CHANNELS)
    size = _check("size", size, MAX_SIZE)
    return m, n, size, _check_kernel(k, size)


def _spec(layer: str, x: torch.Tensor, conv: nn.Conv2d, formula: str, name: str = "") -> PanelSpec:
    """A panel of one layer (``layer``: its counter's name too) reading ``x``."""
    size = x.shape[2]
    headings = [
        _map(tr("input"), size, conv.in_channels),
        _filters(conv),
        _map(tr("output"), size, conv.out_channels),
    ]
    return PanelSpec({layer: conv}, [run(conv, x)], headings, layer, _position(formula), name)


def _standard_spec(x: torch.Tensor, conv: nn.Conv2d, name: str = "") -> PanelSpec:
    n, m, k, _ = conv.weight.shape
    return _spec("standard", x, conv, f"D_K·D_K·M·N = {k}·{k}·{m}·{n} = {k * k * m * n:,}", name)


def animate_standard_conv(m: int = 3, n: int = 2, size: int = 5, k: int = 3) -> ConvAnimation:
    """A standard ``k×k`` convolution from ``m`` to ``n`` channels on a ``size×size`` input
    ('same' zero padding), one output position per frame: the window is outlined on all ``m``
    input channels at once, and every filter reads every one of them."""
    m, n, size, k = _checked(m, size, k, n)
    x = integer_input(m, size)
    spec = _standard_spec(x, integer_conv(m, n, k))
    title = tr("Standard convolution: every filter reads every input channel")
    alt = tr(
        "Animation of a standard {k}×{k} convolution from {m} to {n} channels on a {size}×{size}"
        " input, computed by a real nn.Conv2d. At each output position the same {k}×{k} window"
        " is outlined on all {m} input channels, a line runs from every channel to every one of"
        " the {n} filters, and each filter writes one number into its output channel. The"
        " count of mult-adds grows by {per:,} per position to {total:,}.",
        k=k,
        m=m,
        n=n,
        size=size,
        per=k * k * m * n,
        total=k * k * m * n * size * size,
    )
    return _animation(title, alt, x, [spec])


def animate_depthwise_conv(m: int = 3, size: int = 5, k: int = 3) -> ConvAnimation:
    """A depthwise ``k×k`` convolution over ``m`` channels (``groups=m``) on a ``size×size``
    input, one output position per frame: each channel's window is read by its own filter only,
    and writes its own output channel (drawn in the same colour)."""
    m, _, size, k = _checked(m, size, k)
    x = integer_input(m, size)
    formula = f"D_K·D_K·M = {k}·{k}·{m} = {k * k * m:,}"
    spec = _spec("depthwise", x, integer_conv(m, m, k, groups=m), formula)
    title = tr("Depthwise convolution: one filter per channel, channels never mix")
    alt = tr(
        "Animation of a depthwise {k}×{k} convolution over {m} channels on a {size}×{size}"
        " input, computed by a real nn.Conv2d with groups={m}. At each output position the"
        " {k}×{k} window is outlined on every input channel, each channel's window is read by"
        " its own filter only, and that filter writes the output channel of the same colour: no"
        " line crosses from one channel to another. The count of mult-adds grows by {per:,} per"
        " position to {total:,}.",
        k=k,
        m=m,
        size=size,
        per=k * k * m,
        total=k * k * m * size * size,
    )
    return _animation(title, alt, x, [spec])


def animate_pointwise_conv(m: int = 3, n: int = 4, size: int = 5) -> ConvAnimation:
    """A pointwise (``1×1``) convolution from ``m`` to ``n`` channels on a ``size×size`` input,
    one pixel per frame: the pixel's column of ``m`` values is read by every filter, and each
    filter writes one output channel at that pixel."""
    m, n, size, _ = _checked(m, size, 1, n)
    x = integer_input(m, size)
    spec = _spec("pointwise", x, integer_conv(m, n, 1), f"M·N = {m}·{n} = {m * n:,}")
    title = tr("Pointwise (1×1) convolution: each pixel's channels mixed into new channels")
    alt = tr(
        "Animation of a pointwise (1×1) convolution from {m} to {n} channels on a {size}×{size}"
        " input, computed by a real nn.Conv2d. At each pixel the column of its {m} input values"
        " is outlined, a line runs from every input channel to every one of the {n} filters of"
        " 1×1×{m} weights, and each filter writes one number at the same pixel of its output"
        " channel; no neighbouring pixel is read. The count of mult-adds grows by {per:,} per"
        " pixel to {total:,}.",
        m=m,
        n=n,
        size=size,
        per=m * n,
        total=m * n * size * size,
    )
    return _animation(title, alt, x, [spec])


def animate_separable_conv(m: int = 3, n: int = 4, size: int = 5, k: int = 3) -> ConvAnimation:
    """A depthwise separable convolution (depthwise ``k×k``, then pointwise ``1×1`` to ``n``
    channels) beside the standard ``k×k`` convolution it factorises, with the running mult-adds
    of each. The standard layer's kernel is the pair's :func:`~mobilenet_lab.factorised_kernel`,
    so both write the same numbers; only the cost differs."""
    m, n, size, k = _checked(m, size, k, n)
    x = integer_input(m, size)
    depthwise, pointwise = integer_conv(m, m, k, groups=m), integer_conv(m, n, 1)
    standard = integer_conv(m, n, k)
    with torch.no_grad():
        standard.weight.copy_(factorised_kernel(depthwise.weight, pointwise.weight))
    middle = run(depthwise, x)
    formula = f"D_K·D_K·M + M·N = {k}·{k}·{m} + {m}·{n} = {k * k * m + m * n:,}"
    separable = PanelSpec(
        {"depthwise": depthwise, "pointwise": pointwise},
        [middle, run(pointwise, middle[None].float())],
        [
            _map(tr("input"), size, m),
            _filters(depthwise),
            _map(tr("depthwise"), size, m),
            _filters(pointwise),
            _map(tr("output"), size, n),
        ],
        "separable",
        _position(formula),
        tr("depthwise, then pointwise"),
    )
    specs = [_standard_spec(x, standard, tr("standard convolution")), separable]
    title = tr("Standard against depthwise separable convolution: same output, fewer mult-adds")
    std, sep = k * k * m * n * size * size, (k * k * m + m * n) * size * size
    alt = tr(
        "Animation of a standard {k}×{k} convolution from {m} to {n} channels beside a"
        " depthwise {k}×{k} convolution followed by a pointwise 1×1 convolution, on the same"
        " {size}×{size} input, both computed by real nn.Conv2d layers and writing the same"
        " numbers. At each output position the standard convolution draws a line from every"
        " channel to every filter, the separable pair one line per channel and then one per"
        " channel and filter of 1×1 weights. The running counts of mult-adds end at {std:,}"
        " for the standard convolution and {sep:,} for the separable one.",
        k=k,
        m=m,
        n=n,
        size=size,
        std=std,
        sep=sep,
    )
    return _animation(title, alt, x, specs)
