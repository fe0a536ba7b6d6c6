"""Chapter 4 exercises: the depthwise separable convolution (records: ``ch04.toml``)."""

from __future__ import annotations

import math
from typing import Any

import torch

from ..i18n import N_, Message
from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_separable_params = standard_checker("ex-04-separable-params")
check_when_cheaper = standard_checker("ex-04-when-cheaper")
check_table3_speedup = standard_checker("ex-04-table3-speedup")


def _relative_error(kernel: torch.Tensor, approx: torch.Tensor) -> float:
    return (torch.linalg.norm(kernel - approx) / torch.linalg.norm(kernel)).item()


def _svd_optimum(kernel: torch.Tensor) -> torch.Tensor:
    """The best factorised kernel (least squares): a rank-1 SVD per input channel."""
    n, m, kh, kw = kernel.shape
    out = torch.zeros_like(kernel)
    for c in range(m):
        u, s, vh = torch.linalg.svd(kernel[:, c].reshape(n, kh * kw), full_matrices=False)
        out[:, c] = (s[0] * torch.outer(u[:, 0], vh[0])).reshape(n, kh, kw)
    return out


def _fit_kernels() -> list[tuple[str, torch.Tensor]]:
    g = torch.Generator().manual_seed(4)
    d = torch.randn(2, 3, 3, generator=g)
    p = torch.randn(4, 2, generator=g)
    return [
        (N_("a factorised kernel (4, 2, 3, 3)"), p[:, :, None, None] * d[None]),
        (N_("a random kernel (6, 3, 3, 3)"), torch.randn(6, 3, 3, 3, generator=g)),
    ]


def _fit_one(fit_separable: Any, what: str, kernel: torch.Tensor) -> Feedback | tuple[float, float]:
    """``fit_separable`` on one kernel: a Feedback on a wrong answer, else (error, SVD's error)."""
    n, m, k, _ = kernel.shape
    shapes = {"kernel": Message(what), "m": m, "n": n, "k": k}
    got = call_answer(fit_separable, kernel.clone())
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return wrong("not_pair")
    d, p = got
    if not isinstance(d, torch.Tensor) or not isinstance(p, torch.Tensor):
        return wrong("not_tensors")
    if d.numel() != m * k * k or p.numel() != n * m:
        swapped = d.numel() == n * m and p.numel() == m * k * k
        return wrong(
            "swapped" if swapped else "shapes", d=tuple(d.shape), p=tuple(p.shape), **shapes
        )
    if p.dim() == 2 and tuple(p.shape) == (m, n) and m != n:
        return wrong("p_transposed", got=(m, n), want=(n, m))
    d, p = d.detach().float().reshape(m, k, k), p.detach().float().reshape(n, m)
    approx = p[:, :, None, None] * d[None]
    error = _relative_error(kernel, approx)
    best = _relative_error(kernel, _svd_optimum(kernel))
    if not math.isfinite(error) or error > best + 0.02:
        return wrong("misses", error=error, best=best, **shapes)
    return error, best


@checker(record("ex-04-fit-separable"))
def check_fit_separable(fit_separable: Any) -> Feedback:
    """``fit_separable(kernel)`` returns ``(D, P)``, depthwise ``(M, k, k)`` and pointwise
    ``(N, M)`` weights whose factorised kernel ``P[o, c] · D[c]`` is close to ``kernel``
    ``(N, M, k, k)``: as close as the SVD's best rank-1 approximation allows."""
    report: dict[str, Any] = {}
    for number, (what, kernel) in enumerate(_fit_kernels(), start=1):
        result = _fit_one(fit_separable, what, kernel)
        if isinstance(result, Feedback):
            return result
        report |= {f"kernel_{number}": Message(what), f"error_{number}": result[0]}
        report[f"best_{number}"] = result[1]
    return correct(**report)
