"""Chapter 3 exercises: the pointwise (1×1) convolution."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

PARAMS = "ex-03-pointwise-params"
PARAMS_HINT = "a 1×1 conv from M to N channels is an N×M matrix: M · N weights"


@checker(PARAMS, PARAMS_HINT)
def check_pointwise_params(answer: Any) -> Feedback:
    """Weights of MobileNet's first pointwise layer: 1×1, 32 → 64 channels."""
    m, n = 32, 64
    if isinstance(answer, int) and not isinstance(answer, bool):
        if answer == 3 * 3 * m * n:
            return wrong(
                PARAMS, f"{answer:,} is a 3×3 conv; a pointwise kernel is 1×1", PARAMS_HINT
            )
        if answer == m * n + 2 * n:
            return wrong(
                PARAMS, f"{answer:,} includes BatchNorm; count the conv's weights only", PARAMS_HINT
            )
        if answer == m * n + n:
            return wrong(PARAMS, f"{answer:,} includes a bias; this conv has none", PARAMS_HINT)
    return expect_int(PARAMS, answer, m * n, "weights of a 1×1 conv, 32 → 64", PARAMS_HINT)


MATMUL = "ex-03-pointwise-matmul"
MATMUL_HINT = (
    "at one pixel, the M input channels form a vector and the N outputs are the weight matrix "
    "times that vector; do it for all pixels at once, either by moving the channel axis last "
    "or with torch.einsum, and put the channels back in position 1"
)


@checker(MATMUL, MATMUL_HINT)
def check_pointwise_matmul(pointwise: Any) -> Feedback:
    """``pointwise(x, weight)``: a 1×1 conv without ``nn.Conv2d``/``F.conv2d``, for ``x`` of shape
    ``(B, M, H, W)`` and ``weight`` of shape ``(N, M)``; returns ``(B, N, H, W)``."""
    g = torch.Generator().manual_seed(3)
    for b, m, n, h, w in ((1, 4, 4, 3, 3), (2, 3, 5, 4, 6)):
        x = torch.randn(b, m, h, w, generator=g)
        weight = torch.randn(n, m, generator=g)
        got = call_answer(pointwise, x.clone(), weight.clone())
        if not isinstance(got, torch.Tensor):
            return wrong(
                MATMUL, f"pointwise returned {type(got).__name__}, not a tensor", MATMUL_HINT
            )
        if tuple(got.shape) != (b, n, h, w):
            return wrong(
                MATMUL,
                f"for x of shape {tuple(x.shape)} and weight {tuple(weight.shape)} you returned "
                f"shape {tuple(got.shape)}, expected {(b, n, h, w)}",
                MATMUL_HINT,
            )
        want = F.conv2d(x, weight[:, :, None, None])
        if not torch.allclose(got.float(), want, atol=1e-4):
            transposed = F.conv2d(x, weight.T[:, :, None, None]) if m == n else None
            if transposed is not None and torch.allclose(got.float(), transposed, atol=1e-4):
                return wrong(
                    MATMUL, "you used the transposed weight (weight.T vs weight)", MATMUL_HINT
                )
            return wrong(MATMUL, "your output differs from the 1×1 convolution", MATMUL_HINT)
    return correct(MATMUL, "a 1×1 conv is one matrix multiply per pixel")
