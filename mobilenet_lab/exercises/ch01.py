"""Chapter 1 exercises: the standard convolution."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ..i18n import N_
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, judge

CONV_PARAMS = Exercise(
    "ex-01-conv-params",
    title=N_("weights of the 5×5 conv, 16 → 32"),
    hint=N_(
        "a standard conv has D_K · D_K · M · N weights: every one of the N filters spans all M "
        "channels"
    ),
    cases=(
        Case(
            expected=12_800,
            wrong={"one_channel": {800, 400}, "kernel_area": {2_560, 4_608}, "bias": 12_832},
        ),
    ),
    messages={
        "one_channel": N_("{answer:,} counts each filter as if it saw one channel"),
        "kernel_area": N_("{answer:,}: check the kernel's area (5 × 5)"),
    },
)


@checker(CONV_PARAMS)
def check_conv_params(answer: Any) -> Feedback:
    """``nn.Conv2d(16, 32, kernel_size=5, bias=False)``: how many weights?"""
    return compare_cases(answer)


WEIGHTED_SUM = Exercise(
    "ex-01-weighted-sum",
    title=N_("one output of a convolution, as a weighted sum"),
    hint=N_(
        "without padding, output (i, j) reads the k×k window whose top-left corner is input "
        "(i, j), in every channel; pair each number of that window with the weight at the same "
        "place in filter o and add up all the products"
    ),
    kind="function",
    answer="real",
    call="one_output(x, weight, o={}, i={}, j={})",
    rel_tol=1e-4,
    abs_tol=1e-4,
    messages={
        "one_channel": N_("you summed one channel only; a standard filter sums all M"),
        "unexpected_real": N_(
            "for M={m}, k={k}: {what} = {answer:.4f}, the convolution gives {expected:.4f}"
        ),
        "correct": N_("your weighted sum matches F.conv2d at every position tested"),
    },
)


@checker(WEIGHTED_SUM)
def check_weighted_sum(one_output: Any) -> Feedback:
    """``one_output(x, weight, o, i, j)``: output channel ``o`` at row ``i``, column ``j`` of a
    conv without padding or bias, for ``x`` of shape ``(M, H, W)`` and ``weight`` ``(N, M, k, k)``."""
    g = torch.Generator().manual_seed(1)
    for m, n, k, size in ((3, 4, 3, 7), (2, 5, 5, 9)):
        x = torch.randn(m, size, size, generator=g)
        weight = torch.randn(n, m, k, k, generator=g)
        reference = F.conv2d(x[None], weight)[0]
        for o, i, j in ((0, 0, 0), (n - 1, 2, 1), (1, size - k, size - k)):
            one_channel = (x[0, i : i + k, j : j + k] * weight[o, 0]).sum().item()
            case = Case(
                (o, i, j), reference[o, i, j].item(), {"one_channel": one_channel}, {"m": m, "k": k}
            )
            got = call_answer(one_output, x.clone(), weight.clone(), o, i, j)
            feedback = judge([got], [case])
            if not feedback:
                return feedback
    return correct()


OUTPUT_SIZE = Exercise(
    "ex-01-output-size",
    title=N_("the output size of a convolution"),
    hint=N_(
        "count the positions where the window fits: the padded input is size + 2·padding long, "
        "the first position uses kernel_size of it, and every further position needs stride more"
    ),
    kind="function",
    call="conv_output_size(size={}, kernel_size={}, stride={}, padding={})",
    # (size, kernel_size, stride, padding) → what F.conv2d gives, and what four mistakes give
    cases=(
        Case((7, 3, 2, 1), 4, {"one_short": 3, "one_side": 3, "no_padding": 3}),
        Case((112, 1, 2, 0), 56, {"one_short": 55, "round_up": 57}),
        Case((224, 3, 2, 1), 112, {"one_short": 111, "no_padding": 111, "round_up": 113}),
        Case((14, 3, 1, 1), 14, {"one_short": 13, "one_side": 13, "no_padding": 12}),
        Case((10, 3, 1, 0), 8, {"one_short": 7}),
        Case((9, 5, 2, 2), 5, {"one_short": 4, "one_side": 4, "no_padding": 3}),
        Case((8, 3, 3, 0), 2, {"one_short": 1, "round_up": 3}),
        Case((5, 5, 1, 0), 1, {"one_short": 0}),
    ),
    messages={
        "one_short": N_("{what} = {answer}: one short, the first position counts too"),
        "one_side": N_("{what} = {answer}: the padding goes on both sides"),
        "no_padding": N_("{what} = {answer}: the padding is missing"),
        "round_up": N_(
            "{what} = {answer}: a window that does not fit entirely is not used, round down"
        ),
        "not_whole": N_(
            "{what} = {shown}: a size is a whole number (the window must fit entirely)"
        ),
        "correct": N_("your formula matches F.conv2d for every case tested"),
    },
)


@checker(OUTPUT_SIZE)
def check_output_size(conv_output_size: Any) -> Feedback:
    """``conv_output_size(size, kernel_size, stride, padding)``: output length of a convolution
    along one axis, compared with what ``F.conv2d`` produces."""
    return compare_cases(conv_output_size)
