"""Chapter 2 exercises: the depthwise convolution (records: ``ch02.toml``)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_depthwise_params = standard_checker("ex-02-depthwise-params")
MAKE_DEPTHWISE = record("ex-02-make-depthwise")


@checker(MAKE_DEPTHWISE)
def check_make_depthwise(make_depthwise: Any) -> Feedback:
    """``make_depthwise(channels, kernel_size)`` returns a depthwise ``nn.Conv2d`` (no bias) that
    keeps the feature map's size."""
    for channels, k in (case.args for case in MAKE_DEPTHWISE.cases):
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
