"""Chapter 5 exercises: the depthwise separable block (records: ``ch05.toml``)."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from ..layers import DepSepConv
from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_block_params = standard_checker("ex-05-block-params")
check_stride_fraction = standard_checker("ex-05-stride-fraction")
BUILD_BLOCK = record("ex-05-build-block")

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
    for case in BUILD_BLOCK.cases:
        block = call_answer(make_block, *case.args)
        feedback = _check_block(block, *case.args, BUILD_BLOCK.what(case))
        if feedback is not None:
            return feedback
    return correct()
