"""Checkers for chapter 5, the depthwise separable block."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from ..layers import DepSepConv
from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

BLOCK_PARAMS = "ex-05-block-params"
STRIDE_FRACTION = "ex-05-stride-fraction"
BUILD_BLOCK = "ex-05-build-block"

_BLOCK_HINT = (
    "count the four layers one by one: how many weights does one depthwise filter have, how "
    "many does one 1×1 filter have, and what does a BatchNorm learn per channel?"
)
#: (m, n, parameters of DepSepConv(m, n)): answers for these cases only
_BLOCK_CASES = ((32, 64, 2528), (64, 128, 9152), (512, 512, 268800), (3, 16, 113), (1, 1, 14))


@checker(BLOCK_PARAMS, _BLOCK_HINT)
def check_block_params(block_params: Any) -> Feedback:
    """Check ``block_params(m, n)``: parameters of ``DepSepConv(m, n)`` (convs and BatchNorms)."""
    for m, n, expected in _BLOCK_CASES:
        got = call_answer(block_params, m, n)
        feedback = expect_int(BLOCK_PARAMS, got, expected, f"block_params({m}, {n})", _BLOCK_HINT)
        if not feedback:
            if got == 9 * m + m * n:
                return wrong(
                    BLOCK_PARAMS,
                    f"block_params({m}, {n}) = {got:,} counts the convolution weights only",
                    "the two BatchNorms add 2 learned numbers per channel each",
                )
            if got == 9 * m + 4 * m + m * n + 4 * n:
                return wrong(
                    BLOCK_PARAMS,
                    f"block_params({m}, {n}) = {got:,} counts 4 numbers per BatchNorm channel",
                    "running_mean and running_var are buffers, not parameters",
                )
            return feedback
    return correct(BLOCK_PARAMS, "block_params(m, n) = 11·m + m·n + 2·n for every case tried")


_FRACTION_HINT = (
    "a 1×1 conv with stride 2 reads rows 0, 2, 4, … and the same columns: count those rows "
    "for an even and for an odd number of rows"
)
#: (h, w, share read): answers for these cases only
_FRACTION_CASES = ((224, 224, 0.25), (112, 112, 0.25), (7, 7, 16 / 49), (5, 8, 0.3), (1, 1, 1.0))


@checker(STRIDE_FRACTION, _FRACTION_HINT)
def check_stride_fraction(fraction_read: Any) -> Feedback:
    """Check ``fraction_read(h, w)``: share of an h×w map a stride-2 1×1 conv reads."""
    for h, w, expected in _FRACTION_CASES:
        got = call_answer(fraction_read, h, w)
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            try:
                got = float(got)  # numpy and torch scalars
            except (TypeError, ValueError):
                return wrong(
                    STRIDE_FRACTION,
                    f"fraction_read({h}, {w}) should be a number, got {type(got).__name__}",
                    _FRACTION_HINT,
                )
        if math.isclose(got, expected, rel_tol=1e-9):
            continue
        if math.isclose(got, 1 - expected, rel_tol=1e-9):
            return wrong(
                STRIDE_FRACTION,
                f"fraction_read({h}, {w}) = {got:.4g} is the share the conv skips",
                "return the share it reads",
            )
        if math.isclose(got, 100 * expected, rel_tol=1e-9):
            return wrong(
                STRIDE_FRACTION,
                f"fraction_read({h}, {w}) = {got:.4g} looks like a percentage",
                "return a fraction between 0 and 1",
            )
        return wrong(
            STRIDE_FRACTION,
            f"fraction_read({h}, {w}) = {got:.4g}, expected {expected:.4g}",
            _FRACTION_HINT + " (odd sizes too: 7×7 gives 16/49)",
        )
    return correct(
        STRIDE_FRACTION, "a stride-2 1×1 conv reads ceil(h/2)·ceil(w/2) of h·w pixels (1/4 at 224)"
    )


_BUILD_HINT = (
    "Figure 5.1 lists the six layers in order; the depthwise conv is the one with one filter "
    "per channel, and only one of the two convolutions may change the map size"
)
_BUILD_CASES = ((32, 64, 1), (64, 128, 2), (8, 8, 2))
_ACTIVATIONS = (nn.ReLU, nn.ReLU6)


def _leaves(module: nn.Module) -> list[nn.Module]:
    return [m for m in module.modules() if not list(m.children())]


def _layer_word(m: nn.Module) -> str:
    if isinstance(m, nn.Conv2d):
        return "conv"
    if isinstance(m, nn.BatchNorm2d):
        return "bn"
    if isinstance(m, _ACTIVATIONS):
        return "relu"
    return type(m).__name__


@checker(BUILD_BLOCK, _BUILD_HINT)
def check_build_block(make_block: Any) -> Feedback:
    """Check ``make_block(m, n, stride)``: the separable block of Figure 5.1 built from
    ``torch.nn`` layers (conv, BN, ReLU, conv, BN, ReLU; stride on the depthwise conv)."""
    for m, n, stride in _BUILD_CASES:
        what = f"make_block({m}, {n}, {stride})"
        block = call_answer(make_block, m, n, stride)
        if not isinstance(block, nn.Module):
            return wrong(
                BUILD_BLOCK,
                f"{what} should return a torch.nn.Module, got {type(block).__name__}",
                _BUILD_HINT,
            )
        words = [w for w in map(_layer_word, _leaves(block)) if w != "Identity"]
        if words.count("conv") != 2:
            return wrong(
                BUILD_BLOCK, f"{what} has {words.count('conv')} convolutions, not 2", _BUILD_HINT
            )
        if words == ["conv", "bn", "conv", "bn", "relu"] or words[:3] == ["conv", "bn", "conv"]:
            return wrong(
                BUILD_BLOCK,
                f"{what}: no ReLU between the two convolutions",
                "without it the pair is linear, one factorised standard convolution",
            )
        if words != ["conv", "bn", "relu", "conv", "bn", "relu"]:
            return wrong(
                BUILD_BLOCK,
                f"{what} has the layers {' → '.join(words)}",
                "conv → bn → relu → conv → bn → relu, in that order",
            )
        dw, pw = (x for x in _leaves(block) if isinstance(x, nn.Conv2d))
        if dw.groups != m or dw.kernel_size != (3, 3) or dw.out_channels != m:
            return wrong(
                BUILD_BLOCK,
                f"{what}: the first convolution is not a 3×3 depthwise conv over {m} channels",
                _BUILD_HINT,
            )
        if pw.kernel_size != (1, 1) or pw.groups != 1 or pw.out_channels != n:
            return wrong(
                BUILD_BLOCK,
                f"{what}: the second convolution is not a 1×1 conv from {m} to {n} channels",
                _BUILD_HINT,
            )
        if pw.stride != (1, 1):
            return wrong(
                BUILD_BLOCK,
                f"{what} puts the stride on the 1×1 convolution",
                "section 5.4 measured what that throws away",
            )
        if dw.bias is not None or pw.bias is not None:
            return wrong(
                BUILD_BLOCK,
                f"{what}: a convolution has a bias",
                "the BatchNorm that follows cancels it (section 5.1)",
            )
        block.eval()
        with torch.no_grad():
            out = block(torch.zeros(1, m, 12, 12))
        side = math.ceil(12 / stride)
        if tuple(out.shape) != (1, n, side, side):
            return wrong(
                BUILD_BLOCK,
                f"{what} maps a 12×12 input to {tuple(out.shape)}, expected {(1, n, side, side)}",
                "a 3×3 convolution needs padding 1 to keep the map's size at stride 1",
            )
        expected = sum(p.numel() for p in DepSepConv(m, n, stride).parameters())
        got = sum(p.numel() for p in block.parameters())
        if got != expected:
            return wrong(
                BUILD_BLOCK, f"{what} has {got:,} parameters, expected {expected:,}", _BUILD_HINT
            )
    return correct(BUILD_BLOCK, "your block has the layers, shapes and size of ml.DepSepConv")
