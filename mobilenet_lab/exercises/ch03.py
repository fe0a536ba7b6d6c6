"""Chapter 3 exercises: the pointwise (1×1) convolution (records: ``ch03.toml``)."""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn

from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_pointwise_params = standard_checker("ex-03-pointwise-params")
LINEAR_AS_CONV = record("ex-03-linear-as-conv")


def _linear(m: int, n: int, bias: bool, g: torch.Generator) -> nn.Linear:
    """An ``nn.Linear(m, n)`` with seeded random weights (the global generator untouched)."""
    linear = nn.Linear(m, n, bias=bias)
    with torch.no_grad():
        linear.weight.copy_(torch.randn(n, m, generator=g))
        if bias:
            linear.bias.copy_(torch.randn(n, generator=g))
    return linear


def _judge_layout(conv: Any, linear: nn.Linear, layer: str) -> Feedback | None:
    """Feedback on the conv's type, channels, kernel and bias, or None when they are right."""
    if not isinstance(conv, nn.Conv2d):
        return wrong("not_conv", type=type(conv).__name__)
    if (conv.in_channels, conv.out_channels) != (linear.in_features, linear.out_features):
        return wrong("channels", layer=layer, built=f"{conv.in_channels} → {conv.out_channels}")
    if conv.kernel_size != (1, 1):
        return wrong("kernel", layer=layer, got=conv.kernel_size)
    if (conv.bias is None) != (linear.bias is None):
        return wrong("missing_bias" if conv.bias is None else "extra_bias", layer=layer)
    return None


@checker(LINEAR_AS_CONV)
def check_linear_as_conv(as_conv1x1: Any) -> Feedback:
    """``as_conv1x1(linear)`` returns an ``nn.Conv2d`` with a 1×1 kernel that computes what the
    ``nn.Linear`` computes, at every pixel of a map with ``linear.in_features`` channels."""
    g = torch.Generator().manual_seed(3)
    for m, n, bias in (case.args for case in LINEAR_AS_CONV.cases):
        linear = _linear(m, n, bias, g)
        layer = f"nn.Linear({m}, {n}, bias={bias})"
        conv = call_answer(as_conv1x1, copy.deepcopy(linear))
        feedback = _judge_layout(conv, linear, layer)
        if feedback is not None:
            return feedback
        x = torch.randn(2, m, 3, 4, generator=g)
        with torch.no_grad():
            want = linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
            got = conv(x)
            if torch.allclose(got, want, atol=1e-5):
                continue
            if m == n:
                flipped = nn.functional.linear(x.permute(0, 2, 3, 1), linear.weight.T, linear.bias)
                if torch.allclose(got, flipped.permute(0, 3, 1, 2), atol=1e-5):
                    return wrong("transposed", layer=layer)
        return wrong("differs", layer=layer)
    return correct()
