"""Chapter 1 exercises: the standard convolution."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

PARAMS = "ex-01-conv-params"


def _is_int(answer: Any) -> bool:
    return isinstance(answer, int) and not isinstance(answer, bool)


PARAMS_HINT = (
    "a standard conv has D_K · D_K · M · N weights: every one of the N filters spans all M channels"
)


@checker(PARAMS, PARAMS_HINT)
def check_conv_params(answer: Any) -> Feedback:
    """``nn.Conv2d(16, 32, kernel_size=5, bias=False)``: how many weights?"""
    k, m, n = 5, 16, 32
    expected = k * k * m * n
    if not _is_int(answer):
        return expect_int(PARAMS, answer, expected, "weights of the 5×5 conv, 16 → 32", PARAMS_HINT)
    if answer in (k * k * n, k * k * m):
        return wrong(PARAMS, f"{answer:,} counts each filter as if it saw one channel", PARAMS_HINT)
    if answer in (k * m * n, 3 * 3 * m * n):
        return wrong(PARAMS, f"{answer:,}: check the kernel's area (5 × 5)", PARAMS_HINT)
    if answer == expected + n:
        return wrong(
            PARAMS, f"{answer:,} includes a bias, but this conv has bias=False", PARAMS_HINT
        )
    return expect_int(PARAMS, answer, expected, "weights of the 5×5 conv, 16 → 32", PARAMS_HINT)


SUM = "ex-01-weighted-sum"
SUM_HINT = (
    "take the patch x[:, i:i+k, j:j+k] (shape M×k×k), multiply it element-wise by "
    "weight[o] (same shape) and add up all M·k·k products"
)


@checker(SUM, SUM_HINT)
def check_weighted_sum(one_output: Any) -> Feedback:
    """``one_output(x, weight, o, i, j)``: output channel ``o`` at row ``i``, column ``j`` of a
    conv without padding or bias, for ``x`` of shape ``(M, H, W)`` and ``weight`` ``(N, M, k, k)``."""
    g = torch.Generator().manual_seed(1)
    for m, n, k, size in ((3, 4, 3, 7), (2, 5, 5, 9)):
        x = torch.randn(m, size, size, generator=g)
        weight = torch.randn(n, m, k, k, generator=g)
        reference = F.conv2d(x[None], weight)[0]
        for o, i, j in ((0, 0, 0), (n - 1, 2, 1), (1, size - k, size - k)):
            got = call_answer(one_output, x.clone(), weight.clone(), o, i, j)
            if isinstance(got, torch.Tensor):
                if got.numel() != 1:
                    return wrong(
                        SUM,
                        f"one_output returned a tensor of shape {tuple(got.shape)}; "
                        "expected a single number",
                        SUM_HINT,
                    )
                got = got.item()
            if isinstance(got, bool) or not isinstance(got, (int, float)):
                return wrong(
                    SUM, f"one_output returned {type(got).__name__}; expected a number", SUM_HINT
                )
            want = reference[o, i, j].item()
            if abs(got - want) > 1e-4 * max(1.0, abs(want)):
                only_first = (x[0, i : i + k, j : j + k] * weight[o, 0]).sum().item()
                if abs(got - only_first) <= 1e-4 * max(1.0, abs(only_first)):
                    return wrong(
                        SUM, "you summed one channel only; a standard filter sums all M", SUM_HINT
                    )
                return wrong(
                    SUM,
                    f"for M={m}, k={k}, (o, i, j)=({o}, {i}, {j}) you got {got:.4f}, "
                    f"the convolution gives {want:.4f}",
                    SUM_HINT,
                )
    return correct(SUM, "your weighted sum matches F.conv2d at every position tested")
