"""Chapter 4 exercises: the depthwise separable convolution."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

PARAMS = "ex-04-separable-params"
PARAMS_HINT = "depthwise D_K · D_K · M plus pointwise M · N"


@checker(PARAMS, PARAMS_HINT)
def check_separable_params(answer: Any) -> Feedback:
    """Weights of a 3×3 depthwise separable conv, 32 → 64 channels (no BatchNorm)."""
    k, m, n = 3, 32, 64
    if isinstance(answer, int) and not isinstance(answer, bool):
        if answer == k * k * m * n:
            return wrong(PARAMS, f"{answer:,} is the standard 3×3 conv", PARAMS_HINT)
        if answer == k * k * m:
            return wrong(PARAMS, f"{answer:,} is the depthwise part only", PARAMS_HINT)
        if answer == m * n:
            return wrong(PARAMS, f"{answer:,} is the pointwise part only", PARAMS_HINT)
        if answer == k * k * m * n + m * n or answer == k * k * m * m + m * n:
            return wrong(
                PARAMS, "the depthwise part has one filter per channel, not M·M", PARAMS_HINT
            )
    return expect_int(
        PARAMS, answer, k * k * m + m * n, "weights of the separable conv", PARAMS_HINT
    )


CHEAPER = "ex-04-when-cheaper"
CHEAPER_HINT = (
    "compare k·k·m·n with k·k·m + m·n; the difference vanishes or flips sign for a 1×1 kernel "
    "and for a single output channel"
)


@checker(CHEAPER, CHEAPER_HINT)
def check_when_cheaper(separable_is_cheaper: Any) -> Feedback:
    """``separable_is_cheaper(k, m, n)``: True when a ``k×k`` depthwise separable conv from ``m``
    to ``n`` channels has strictly fewer weights than the standard conv."""
    for k in (1, 2, 3, 5, 7):
        for m in (1, 3, 32):
            for n in (1, 2, 3, 16, 1024):
                got = call_answer(separable_is_cheaper, k, m, n)
                if isinstance(got, np.bool_):
                    got = bool(got)
                if not isinstance(got, bool):
                    return wrong(
                        CHEAPER,
                        f"separable_is_cheaper returned {type(got).__name__}; expected True or False",
                        CHEAPER_HINT,
                    )
                want = k * k * m + m * n < k * k * m * n
                if got != want:
                    sep, std = k * k * m + m * n, k * k * m * n
                    return wrong(
                        CHEAPER,
                        f"for k={k}, m={m}, n={n} you said {got}: separable {sep:,} vs standard {std:,}",
                        CHEAPER_HINT,
                    )
    return correct(CHEAPER, "separable pays off whenever k > 1 and n > 1")


SPEEDUP = "ex-04-table3-speedup"
SPEEDUP_HINT = (
    "standard k·k·m·n·f·f divided by separable k·k·m·f·f + m·n·f·f, or 1 / (1/n + 1/k²): "
    "the feature map cancels"
)


@checker(SPEEDUP, SPEEDUP_HINT)
def check_table3_speedup(answer: Any) -> Feedback:
    """How many times fewer mult-adds: Table 3's layer (3×3, 512 → 512, 14×14 map)."""
    k, m, n, f = 3, 512, 512, 14
    expected = (k * k * m * n * f * f) / (k * k * m * f * f + m * n * f * f)
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        try:
            answer = float(answer)
        except (TypeError, ValueError):
            return wrong(SPEEDUP, f"expected a number, got {type(answer).__name__}", SPEEDUP_HINT)
    answer = float(answer)
    if math.isnan(answer):
        return wrong(SPEEDUP, "your answer is NaN", SPEEDUP_HINT)
    if abs(answer - 1 / expected) < 1e-3:
        return wrong(
            SPEEDUP,
            f"{answer:.4f} is the cost ratio; the question asks for its inverse",
            SPEEDUP_HINT,
        )
    if abs(answer - expected) <= 0.01:
        return correct(SPEEDUP, f"{expected:.2f}× fewer mult-adds")
    if abs(answer - 9) < 1e-9:
        return wrong(SPEEDUP, "9 is the limit for n → ∞; n = 512 is large but finite", SPEEDUP_HINT)
    return wrong(SPEEDUP, f"{answer:.4f} is not the ratio standard / separable", SPEEDUP_HINT)
