"""Chapter 3 exercises: the pointwise (1×1) convolution (records: ``ch03.toml``)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_pointwise_params = standard_checker("ex-03-pointwise-params")


@checker(record("ex-03-pointwise-matmul"))
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
