"""Checkers for chapter 5, the depthwise separable block."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from ..i18n import N_
from ..layers import DepSepConv
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, wrong

BLOCK_PARAMS = Exercise(
    "ex-05-block-params",
    title=N_("parameters of DepSepConv(m, n)"),
    hint=N_(
        "count the four layers one by one: how many weights does one depthwise filter have, how "
        "many does one 1×1 filter have, and what does a BatchNorm learn per channel?"
    ),
    kind="function",
    call="block_params",
    # (m, n) → parameters of DepSepConv(m, n), and the convs' weights alone, and with 4 numbers
    # per BatchNorm channel
    cases=(
        Case((32, 64), 2_528, {"convs_only": 2_336, "buffers": 2_720}),
        Case((64, 128), 9_152, {"convs_only": 8_768, "buffers": 9_536}),
        Case((512, 512), 268_800, {"convs_only": 266_752, "buffers": 270_848}),
        Case((3, 16), 113, {"convs_only": 75, "buffers": 151}),
        Case((1, 1), 14, {"convs_only": 10, "buffers": 18}),
    ),
    messages={
        "convs_only": (
            N_("{what} = {answer:,} counts the convolution weights only"),
            N_("the two BatchNorms add 2 learned numbers per channel each"),
        ),
        "buffers": (
            N_("{what} = {answer:,} counts 4 numbers per BatchNorm channel"),
            N_("running_mean and running_var are buffers, not parameters"),
        ),
        "correct": N_("block_params(m, n) = 11·m + m·n + 2·n for every case tried"),
    },
)


@checker(BLOCK_PARAMS)
def check_block_params(block_params: Any) -> Feedback:
    """Check ``block_params(m, n)``: parameters of ``DepSepConv(m, n)`` (convs and BatchNorms)."""
    return compare_cases(block_params)


STRIDE_FRACTION = Exercise(
    "ex-05-stride-fraction",
    title=N_("the share of a map a stride-2 1×1 conv reads"),
    hint=N_(
        "a 1×1 conv with stride 2 reads rows 0, 2, 4, … and the same columns: count those rows "
        "for an even and for an odd number of rows"
    ),
    kind="function",
    answer="real",
    call="fraction_read",
    # (h, w) → the share read
    cases=(
        Case((224, 224), 0.25),
        Case((112, 112), 0.25),
        Case((7, 7), 16 / 49),
        Case((5, 8), 0.3),
        Case((1, 1), 1.0),
    ),
    slips=("complement", "percentage"),
    messages={
        "complement": (
            N_("{what} = {answer:.4g} is the share the conv skips"),
            N_("return the share it reads"),
        ),
        "unexpected_real": N_(
            "{what} = {answer:.4g}, expected {expected:.4g}; mind odd sizes (7×7 gives 16/49)"
        ),
        "correct": N_("a stride-2 1×1 conv reads ceil(h/2)·ceil(w/2) of h·w pixels (1/4 at 224)"),
    },
)


@checker(STRIDE_FRACTION)
def check_stride_fraction(fraction_read: Any) -> Feedback:
    """Check ``fraction_read(h, w)``: share of an h×w map a stride-2 1×1 conv reads."""
    return compare_cases(fraction_read)


BUILD_BLOCK = Exercise(
    "ex-05-build-block",
    title=N_("the separable block from torch.nn layers"),
    hint=N_(
        "Figure 5.1 lists the six layers in order; the depthwise conv is the one with one filter "
        "per channel, and only one of the two convolutions may change the map size"
    ),
    kind="module",
    messages={
        "convs": N_("{what} has {count} convolutions, not 2"),
        "no_relu": (
            N_("{what}: no ReLU between the two convolutions"),
            N_("without it the pair is linear, one factorised standard convolution"),
        ),
        "order": (
            N_("{what} has the layers {layers}"),
            N_("conv → bn → relu → conv → bn → relu, in that order"),
        ),
        "not_depthwise": N_(
            "{what}: the first convolution is not a 3×3 depthwise conv over {m} channels"
        ),
        "not_pointwise": N_(
            "{what}: the second convolution is not a 1×1 conv from {m} to {n} channels"
        ),
        "stride_on_1x1": (
            N_("{what} puts the stride on the 1×1 convolution"),
            N_("section 5.4 measured what that throws away"),
        ),
        "has_bias": (
            N_("{what}: a convolution has a bias"),
            N_("the BatchNorm that follows cancels it (section 5.1)"),
        ),
        "size": (
            N_("{what} maps a 12×12 input to {got}, expected {want}"),
            N_("a 3×3 convolution needs padding 1 to keep the map's size at stride 1"),
        ),
        "parameters": N_("{what} has {got:,} parameters, expected {want:,}"),
        "correct": N_("your block has the layers, shapes and size of ml.DepSepConv"),
    },
)
_LAYERS = ((nn.Conv2d, "conv"), (nn.BatchNorm2d, "bn"), ((nn.ReLU, nn.ReLU6), "relu"))


def _layers(block: nn.Module) -> tuple[list[str], list[nn.Conv2d]]:
    """The block's leaf layers as words (conv, bn, relu; Identity left out), and its convs."""
    leaves = [m for m in block.modules() if not list(m.children())]
    words = [next((w for t, w in _LAYERS if isinstance(m, t)), type(m).__name__) for m in leaves]
    convs = [m for m in leaves if isinstance(m, nn.Conv2d)]
    return [w for w in words if w != "Identity"], convs


def _check_block(block: Any, m: int, n: int, stride: int, what: str) -> Feedback | None:
    """What is wrong with one block built by the reader (None: nothing)."""
    if not isinstance(block, nn.Module):
        return wrong("not_module", what=what, type=type(block).__name__)
    words, convs = _layers(block)
    if len(convs) != 2:
        return wrong("convs", what=what, count=len(convs))
    if words == ["conv", "bn", "conv", "bn", "relu"] or words[:3] == ["conv", "bn", "conv"]:
        return wrong("no_relu", what=what)
    if words != ["conv", "bn", "relu", "conv", "bn", "relu"]:
        return wrong("order", what=what, layers=" → ".join(words))
    dw, pw = convs
    if dw.groups != m or dw.kernel_size != (3, 3) or dw.out_channels != m:
        return wrong("not_depthwise", what=what, m=m)
    if pw.kernel_size != (1, 1) or pw.groups != 1 or pw.out_channels != n:
        return wrong("not_pointwise", what=what, m=m, n=n)
    if pw.stride != (1, 1):
        return wrong("stride_on_1x1", what=what)
    if dw.bias is not None or pw.bias is not None:
        return wrong("has_bias", what=what)
    block.eval()
    with torch.no_grad():
        out = block(torch.zeros(1, m, 12, 12))
    side = math.ceil(12 / stride)
    if tuple(out.shape) != (1, n, side, side):
        return wrong("size", what=what, got=tuple(out.shape), want=(1, n, side, side))
    want = sum(p.numel() for p in DepSepConv(m, n, stride).parameters())
    got = sum(p.numel() for p in block.parameters())
    return wrong("parameters", what=what, got=got, want=want) if got != want else None


@checker(BUILD_BLOCK)
def check_build_block(make_block: Any) -> Feedback:
    """Check ``make_block(m, n, stride)``: the separable block of Figure 5.1 built from
    ``torch.nn`` layers (conv, BN, ReLU, conv, BN, ReLU; stride on the depthwise conv)."""
    for m, n, stride in ((32, 64, 1), (64, 128, 2), (8, 8, 2)):
        block = call_answer(make_block, m, n, stride)
        feedback = _check_block(block, m, n, stride, f"make_block({m}, {n}, {stride})")
        if feedback is not None:
            return feedback
    return correct()
