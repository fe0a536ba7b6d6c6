"""Checkers for chapter 5, the depthwise separable block."""

from __future__ import annotations

import math
from typing import Any

from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

BLOCK_PARAMS = "ex-05-block-params"
STRIDE_FRACTION = "ex-05-stride-fraction"

_BLOCK_HINT = (
    "depthwise 3×3: 9 weights per input channel; pointwise 1×1: one weight per (input, output) "
    "pair; each BatchNorm learns a scale and a shift per channel (its running mean and variance "
    "are buffers, not parameters)"
)
_BLOCK_CASES = ((32, 64), (64, 128), (512, 512), (3, 16), (1, 1))


def _block_params(m: int, n: int) -> int:
    return 9 * m + 2 * m + m * n + 2 * n


@checker(BLOCK_PARAMS, _BLOCK_HINT)
def check_block_params(block_params: Any) -> Feedback:
    """Check ``block_params(m, n)``: parameters of ``DepSepConv(m, n)`` (convs and BatchNorms)."""
    for m, n in _BLOCK_CASES:
        got = call_answer(block_params, m, n)
        expected = _block_params(m, n)
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


def _fraction_read(h: int, w: int) -> float:
    return math.ceil(h / 2) * math.ceil(w / 2) / (h * w)


_FRACTION_HINT = (
    "a 1×1 conv with stride 2 reads rows 0, 2, 4, … and the same columns: "
    "ceil(h/2)·ceil(w/2) of the h·w pixels"
)
_FRACTION_CASES = ((224, 224), (112, 112), (7, 7), (5, 8), (1, 1))


@checker(STRIDE_FRACTION, _FRACTION_HINT)
def check_stride_fraction(fraction_read: Any) -> Feedback:
    """Check ``fraction_read(h, w)``: share of an h×w map a stride-2 1×1 conv reads."""
    for h, w in _FRACTION_CASES:
        got = call_answer(fraction_read, h, w)
        expected = _fraction_read(h, w)
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
