"""Chapter 3 exercises: the pointwise (1×1) convolution."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ..i18n import N_
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, wrong

POINTWISE_PARAMS = Exercise(
    "ex-03-pointwise-params",
    title=N_("weights of a 1×1 conv, 32 → 64"),
    hint=N_("a 1×1 conv from M to N channels is an N×M matrix: M · N weights"),
    cases=(
        Case(expected=2_048, wrong={"three_by_three": 18_432, "batchnorm": 2_176, "bias": 2_112}),
    ),
    messages={"three_by_three": N_("{answer:,} is a 3×3 conv; a pointwise kernel is 1×1")},
)


@checker(POINTWISE_PARAMS)
def check_pointwise_params(answer: Any) -> Feedback:
    """Weights of MobileNet's first pointwise layer: 1×1, 32 → 64 channels."""
    return compare_cases(answer)


MATMUL = Exercise(
    "ex-03-pointwise-matmul",
    title=N_("a 1×1 conv as a matrix multiply"),
    hint=N_(
        "at one pixel, the M input channels form a vector and the N outputs are the weight matrix "
        "times that vector; do it for all pixels at once, either by moving the channel axis last "
        "or with torch.einsum, and put the channels back in position 1"
    ),
    kind="function",
    messages={
        "not_tensor": N_("pointwise returned {type}, not a tensor"),
        "shape": N_(
            "for x of shape {x} and weight {weight} you returned shape {got}, expected {want}"
        ),
        "transposed": N_("you used the transposed weight (weight.T vs weight)"),
        "differs": N_("your output differs from the 1×1 convolution"),
        "correct": N_("a 1×1 conv is one matrix multiply per pixel"),
    },
)


@checker(MATMUL)
def check_pointwise_matmul(pointwise: Any) -> Feedback:
    """``pointwise(x, weight)``: a 1×1 conv without ``nn.Conv2d``/``F.conv2d``, for ``x`` of shape
    ``(B, M, H, W)`` and ``weight`` of shape ``(N, M)``; returns ``(B, N, H, W)``."""
    g = torch.Generator().manual_seed(3)
    for b, m, n, h, w in ((1, 4, 4, 3, 3), (2, 3, 5, 4, 6)):
        x = torch.randn(b, m, h, w, generator=g)
        weight = torch.randn(n, m, generator=g)
        got = call_answer(pointwise, x.clone(), weight.clone())
        if not isinstance(got, torch.Tensor):
            return wrong("not_tensor", type=type(got).__name__)
        if tuple(got.shape) != (b, n, h, w):
            shapes = {"x": tuple(x.shape), "weight": tuple(weight.shape)}
            return wrong("shape", **shapes, got=tuple(got.shape), want=(b, n, h, w))
        if not torch.allclose(got.float(), F.conv2d(x, weight[:, :, None, None]), atol=1e-4):
            transposed = F.conv2d(x, weight.T[:, :, None, None]) if m == n else None
            if transposed is not None and torch.allclose(got.float(), transposed, atol=1e-4):
                return wrong("transposed")
            return wrong("differs")
    return correct()
