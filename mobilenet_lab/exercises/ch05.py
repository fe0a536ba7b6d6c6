"""Chapter 5 exercises: the depthwise separable block (records: ``ch05.toml``)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_block_params = standard_checker("ex-05-block-params")
check_stride_fraction = standard_checker("ex-05-stride-fraction")
SEPARABLE_LIKE = record("ex-05-separable-like")

_LAYERS = ((nn.Conv2d, "conv"), (nn.BatchNorm2d, "bn"), ((nn.ReLU, nn.ReLU6), "relu"))
_INPUT = (13, 11)  # neither square nor even, so every stride and padding shows


def _layers(block: nn.Module) -> tuple[list[str], list[nn.Conv2d]]:
    """The block's leaf layers as words (conv, bn, relu; Identity left out), and its convs."""
    leaves = [m for m in block.modules() if not list(m.children())]
    words = [next((w for t, w in _LAYERS if isinstance(m, t)), type(m).__name__) for m in leaves]
    convs = [m for m in leaves if isinstance(m, nn.Conv2d)]
    return [w for w in words if w != "Identity"], convs


def _check_structure(block: Any, conv: nn.Conv2d, what: str) -> Feedback | None:
    """What is wrong with the layers of the reader's block for ``conv`` (None: nothing)."""
    m, n = conv.in_channels, conv.out_channels
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
    if dw.in_channels != m or dw.out_channels != m or dw.groups != m:
        return wrong("not_depthwise", what=what, m=m)
    if dw.kernel_size != conv.kernel_size:
        return wrong("kernel", what=what, got=dw.kernel_size, want=conv.kernel_size)
    if pw.kernel_size != (1, 1) or pw.groups != 1 or pw.out_channels != n:
        return wrong("not_pointwise", what=what, m=m, n=n)
    for key, got, want in (
        ("stride_on_1x1", pw.stride, (1, 1)),
        ("padded_1x1", pw.padding, (0, 0)),
        ("stride", dw.stride, conv.stride),
        ("padding", dw.padding, conv.padding),
    ):
        if got != want:
            return wrong(key, what=what, got=got, want=want)
    if dw.bias is not None or pw.bias is not None:
        return wrong("has_bias", what=what)
    return None


def _check_block(block: Any, conv: nn.Conv2d, what: str) -> Feedback | None:
    """What is wrong with the reader's block for ``conv``: its layers, then what it computes."""
    feedback = _check_structure(block, conv, what)
    if feedback is not None:
        return feedback
    x = torch.zeros(1, conv.in_channels, *_INPUT)
    block.eval()
    with torch.no_grad():
        got, want = tuple(block(x).shape), tuple(conv(x).shape)
    if got != want:
        return wrong("size", what=what, got=got, want=want)
    m, n, (d_k, _) = conv.in_channels, conv.out_channels, conv.kernel_size
    want_params = d_k * d_k * m + m * n + 2 * m + 2 * n  # two convs, two BatchNorms
    got_params = sum(p.numel() for p in block.parameters())
    if got_params != want_params:
        return wrong("parameters", what=what, got=got_params, want=want_params)
    return None


@checker(SEPARABLE_LIKE)
def check_separable_like(separable_like: Any) -> Feedback:
    """Check ``separable_like(conv)``: the depthwise separable block (conv, BN, ReLU, 1×1 conv,
    BN, ReLU) that replaces the standard convolution ``conv``, with its kernel size, stride and
    padding on the depthwise convolution."""
    for case in SEPARABLE_LIKE.cases:
        m, n, d_k, stride, padding = case.args
        conv = nn.Conv2d(m, n, d_k, stride=stride, padding=padding, bias=False)
        block = call_answer(separable_like, conv)
        feedback = _check_block(block, conv, SEPARABLE_LIKE.what(case))
        if feedback is not None:
            return feedback
    m, n, d_k, _, _ = next(case.args for case in SEPARABLE_LIKE.cases if case.args[2] == 5)
    ratio = d_k * d_k * m * n / (d_k * d_k * m + m * n)  # standard / separable weights
    return correct(ratio=ratio)
