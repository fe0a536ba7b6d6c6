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
    "without padding, output (i, j) reads the k×k window whose top-left corner is input (i, j), "
    "in every channel; pair each number of that window with the weight at the same place in "
    "filter o and add up all the products"
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


SIZE = "ex-01-output-size"
SIZE_HINT = (
    "count the positions where the window fits: the padded input is size + 2·padding long, the "
    "first position uses kernel_size of it, and every further position needs stride more"
)


_SIZE_CASES = (
    (7, 3, 2, 1),
    (112, 1, 2, 0),
    (224, 3, 2, 1),
    (14, 3, 1, 1),
    (10, 3, 1, 0),
    (9, 5, 2, 2),
    (8, 3, 3, 0),
    (5, 5, 1, 0),
)
_SIZE_MISTAKES = (
    (lambda n, k, s, p: (n + 2 * p - k) // s, "one short: the first position counts too"),
    (lambda n, k, s, p: (n + p - k) // s + 1, "the padding goes on both sides"),
    (lambda n, k, s, p: (n - k) // s + 1, "the padding is missing"),
    (
        lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
        "a window that does not fit entirely is not used: round down",
    ),
)


@checker(SIZE, SIZE_HINT)
def check_output_size(conv_output_size: Any) -> Feedback:
    """``conv_output_size(size, kernel_size, stride, padding)``: output length of a convolution
    along one axis, compared with what ``F.conv2d`` produces."""
    answers = []
    for n, k, s, p in _SIZE_CASES:
        got = call_answer(conv_output_size, n, k, s, p)
        if isinstance(got, torch.Tensor) and got.numel() == 1:
            got = got.item()
        if isinstance(got, float) and got.is_integer():
            got = int(got)
        where = f"for size={n}, kernel_size={k}, stride={s}, padding={p} you returned {got!r}"
        if isinstance(got, float):
            return wrong(
                SIZE, f"{where}: a size is a whole number (the window must fit entirely)", SIZE_HINT
            )
        if not _is_int(got):
            return wrong(
                SIZE, f"conv_output_size returned {type(got).__name__}; expected an int", SIZE_HINT
            )
        answers.append(got)
    for (n, k, s, p), got in zip(_SIZE_CASES, answers):
        x = torch.zeros(1, 1, n, 1)
        want = F.conv2d(x, torch.zeros(1, 1, k, 1), stride=(s, 1), padding=(p, 0)).shape[2]
        if got != want:
            why = f"F.conv2d gives {want}"
            for mistake, explanation in _SIZE_MISTAKES:
                if all(a == mistake(*case) for case, a in zip(_SIZE_CASES, answers)):
                    why = explanation
                    break
            return wrong(
                SIZE,
                f"for size={n}, kernel_size={k}, stride={s}, padding={p} you returned {got}: {why}",
                SIZE_HINT,
            )
    return correct(SIZE, "your formula matches F.conv2d for every case tested")
