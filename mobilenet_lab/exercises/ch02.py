"""Chapter 2 exercises: the depthwise convolution."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..i18n import N_
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, wrong

DEPTHWISE_PARAMS = Exercise(
    "ex-02-depthwise-params",
    title=N_("weights of a 3×3 depthwise conv over 32 channels"),
    hint=N_(
        "a depthwise conv has one k×k filter per channel, each spanning one channel: D_K · D_K · M"
    ),
    cases=(Case(expected=288, wrong={"standard": 9_216, "batchnorm": 352, "one_filter": 9}),),
    messages={
        "standard": N_(
            "{answer:,} is a standard 3×3 conv 32 → 32; depthwise filters see one channel each"
        ),
        "one_filter": N_("{answer} is one filter; there is one filter per channel"),
    },
)


@checker(DEPTHWISE_PARAMS)
def check_depthwise_params(answer: Any) -> Feedback:
    """Weights of MobileNet's first depthwise layer: 3×3 over 32 channels."""
    return compare_cases(answer)


MAKE_DEPTHWISE = Exercise(
    "ex-02-make-depthwise",
    title=N_("a depthwise nn.Conv2d that keeps the size"),
    hint=N_(
        "start from a standard nn.Conv2d that keeps the channel count; one of its arguments "
        "splits the channels into independent groups (how many groups gives one channel per "
        "filter?); the padding must make up for the k - 1 positions a k×k window loses; no bias"
    ),
    kind="module",
    messages={
        "not_conv": N_("make_depthwise returned {type}, not an nn.Conv2d"),
        "channels": N_(
            "for {channels} channels you built {built}; a depthwise conv keeps the channel count"
        ),
        "groups": N_(
            "groups={groups} for {channels} channels: each filter would mix {mixed} channels; "
            "depthwise needs groups=channels"
        ),
        "kernel": N_("kernel_size {got}, expected ({k}, {k})"),
        "has_bias": N_("your conv has a bias; the BatchNorm after it shifts instead"),
        "size": N_(
            "an input of shape {shape} came out as {out}: use stride 1 and padding kernel_size // 2"
        ),
        "correct": N_("one k×k filter per channel, groups=channels, same size out"),
    },
)


@checker(MAKE_DEPTHWISE)
def check_make_depthwise(make_depthwise: Any) -> Feedback:
    """``make_depthwise(channels, kernel_size)`` returns a depthwise ``nn.Conv2d`` (no bias) that
    keeps the feature map's size."""
    for channels, k in ((5, 3), (8, 5), (1, 3)):
        conv = call_answer(make_depthwise, channels, k)
        if not isinstance(conv, nn.Conv2d):
            return wrong("not_conv", type=type(conv).__name__)
        if conv.in_channels != channels or conv.out_channels != channels:
            built = f"{conv.in_channels} → {conv.out_channels}"
            return wrong("channels", channels=channels, built=built)
        if conv.groups != channels:
            mixed = channels // conv.groups
            return wrong("groups", groups=conv.groups, channels=channels, mixed=mixed)
        if conv.kernel_size != (k, k):
            return wrong("kernel", got=conv.kernel_size, k=k)
        if conv.bias is not None:
            return wrong("has_bias")
        x = torch.zeros(1, channels, 11, 11)
        with torch.no_grad():
            out = conv(x)
        if out.shape != x.shape:
            return wrong("size", shape=tuple(x.shape), out=tuple(out.shape))
    return correct()
