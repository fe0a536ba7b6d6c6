"""Chapter 2 exercises: the depthwise convolution."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

PARAMS = "ex-02-depthwise-params"
PARAMS_HINT = (
    "a depthwise conv has one k×k filter per channel, each spanning one channel: D_K · D_K · M"
)


@checker(PARAMS, PARAMS_HINT)
def check_depthwise_params(answer: Any) -> Feedback:
    """Weights of MobileNet's first depthwise layer: 3×3 over 32 channels."""
    k, m = 3, 32
    if isinstance(answer, int) and not isinstance(answer, bool):
        if answer == k * k * m * m:
            return wrong(
                PARAMS,
                f"{answer:,} is a standard 3×3 conv 32 → 32; depthwise filters see one channel each",
                PARAMS_HINT,
            )
        if answer == k * k * m + 2 * m:
            return wrong(
                PARAMS, f"{answer:,} includes BatchNorm; count the conv's weights only", PARAMS_HINT
            )
        if answer == k * k:
            return wrong(PARAMS, "9 is one filter; there is one filter per channel", PARAMS_HINT)
    return expect_int(
        PARAMS, answer, k * k * m, "weights of a 3×3 depthwise conv over 32 channels", PARAMS_HINT
    )


MAKE = "ex-02-make-depthwise"
MAKE_HINT = (
    "start from a standard nn.Conv2d that keeps the channel count; one of its arguments splits "
    "the channels into independent groups (how many groups gives one channel per filter?); "
    "the padding must make up for the k - 1 positions a k×k window loses; no bias"
)


@checker(MAKE, MAKE_HINT)
def check_make_depthwise(make_depthwise: Any) -> Feedback:
    """``make_depthwise(channels, kernel_size)`` returns a depthwise ``nn.Conv2d`` (no bias) that
    keeps the feature map's size."""
    for channels, k in ((5, 3), (8, 5), (1, 3)):
        conv = call_answer(make_depthwise, channels, k)
        if not isinstance(conv, nn.Conv2d):
            return wrong(
                MAKE, f"make_depthwise returned {type(conv).__name__}, not an nn.Conv2d", MAKE_HINT
            )
        if conv.in_channels != channels or conv.out_channels != channels:
            return wrong(
                MAKE,
                f"for {channels} channels you built {conv.in_channels} → {conv.out_channels}; "
                "a depthwise conv keeps the channel count",
                MAKE_HINT,
            )
        if conv.groups != channels:
            return wrong(
                MAKE,
                f"groups={conv.groups} for {channels} channels: each filter would mix "
                f"{channels // conv.groups} channels; depthwise needs groups=channels",
                MAKE_HINT,
            )
        if conv.kernel_size != (k, k):
            return wrong(MAKE, f"kernel_size {conv.kernel_size}, expected ({k}, {k})", MAKE_HINT)
        if conv.bias is not None:
            return wrong(
                MAKE, "your conv has a bias; the BatchNorm after it shifts instead", MAKE_HINT
            )
        x = torch.zeros(1, channels, 11, 11)
        with torch.no_grad():
            out = conv(x)
        if out.shape != x.shape:
            return wrong(
                MAKE,
                f"an input of shape {tuple(x.shape)} came out as {tuple(out.shape)}: "
                "use stride 1 and padding kernel_size // 2",
                MAKE_HINT,
            )
    return correct(MAKE, "one k×k filter per channel, groups=channels, same size out")
