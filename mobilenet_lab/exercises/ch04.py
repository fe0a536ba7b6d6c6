"""Chapter 4 exercises: the depthwise separable convolution."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

PARAMS = "ex-04-separable-params"
PARAMS_HINT = "depthwise D_K · D_K · M plus pointwise M · N"


@checker(PARAMS, PARAMS_HINT)
def check_separable_params(answer: Any) -> Feedback:
    """Weights of a 3×3 depthwise separable conv, 32 → 64 channels (no BatchNorm)."""
    k, m, n = 3, 32, 64
    if isinstance(answer, int) and not isinstance(answer, bool):
        if answer == k * k * m * n:
            return wrong(PARAMS, f"{answer:,} is the standard 3×3 conv", PARAMS_HINT)
        if answer == k * k * m:
            return wrong(PARAMS, f"{answer:,} is the depthwise part only", PARAMS_HINT)
        if answer == m * n:
            return wrong(PARAMS, f"{answer:,} is the pointwise part only", PARAMS_HINT)
        if answer == k * k * m * n + m * n or answer == k * k * m * m + m * n:
            return wrong(
                PARAMS, "the depthwise part has one filter per channel, not M·M", PARAMS_HINT
            )
    return expect_int(
        PARAMS, answer, k * k * m + m * n, "weights of the separable conv", PARAMS_HINT
    )


CHEAPER = "ex-04-when-cheaper"
CHEAPER_HINT = (
    "write the weight counts of the standard conv and of depthwise + pointwise with k, m and n; "
    "then try k = 1 or n = 1 by hand"
)


@checker(CHEAPER, CHEAPER_HINT)
def check_when_cheaper(separable_is_cheaper: Any) -> Feedback:
    """``separable_is_cheaper(k, m, n)``: True when a ``k×k`` depthwise separable conv from ``m``
    to ``n`` channels has strictly fewer weights than the standard conv."""
    for k in (1, 2, 3, 5, 7):
        for m in (1, 3, 32):
            for n in (1, 2, 3, 16, 1024):
                got = call_answer(separable_is_cheaper, k, m, n)
                if isinstance(got, np.bool_):
                    got = bool(got)
                if not isinstance(got, bool):
                    return wrong(
                        CHEAPER,
                        f"separable_is_cheaper returned {type(got).__name__}; expected True or False",
                        CHEAPER_HINT,
                    )
                want = k * k * m + m * n < k * k * m * n
                if got != want:
                    sep, std = k * k * m + m * n, k * k * m * n
                    return wrong(
                        CHEAPER,
                        f"for k={k}, m={m}, n={n} you said {got}: separable {sep:,} vs standard {std:,}",
                        CHEAPER_HINT,
                    )
    return correct(CHEAPER, "separable pays off whenever k > 1 and n > 1")


SPEEDUP = "ex-04-table3-speedup"
SPEEDUP_HINT = (
    "divide the standard conv's mult-adds by the separable conv's (depthwise plus pointwise); "
    "the feature-map size cancels, so the chapter's cost ratio, turned upside down, also works"
)


@checker(SPEEDUP, SPEEDUP_HINT)
def check_table3_speedup(answer: Any) -> Feedback:
    """How many times fewer mult-adds: Table 3's layer (3×3, 512 → 512, 14×14 map)."""
    k, m, n, f = 3, 512, 512, 14
    expected = (k * k * m * n * f * f) / (k * k * m * f * f + m * n * f * f)
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        try:
            answer = float(answer)
        except (TypeError, ValueError):
            return wrong(SPEEDUP, f"expected a number, got {type(answer).__name__}", SPEEDUP_HINT)
    answer = float(answer)
    if math.isnan(answer):
        return wrong(SPEEDUP, "your answer is NaN", SPEEDUP_HINT)
    if abs(answer - 1 / expected) < 1e-3:
        return wrong(
            SPEEDUP,
            f"{answer:.4f} is the cost ratio; the question asks for its inverse",
            SPEEDUP_HINT,
        )
    if abs(answer - expected) <= 0.01:
        return correct(SPEEDUP, f"{expected:.2f}× fewer mult-adds")
    if abs(answer - 9) < 1e-9:
        return wrong(SPEEDUP, "9 is the limit for n → ∞; n = 512 is large but finite", SPEEDUP_HINT)
    return wrong(SPEEDUP, f"{answer:.4f} is not the ratio standard / separable", SPEEDUP_HINT)


FIT = "ex-04-fit-separable"
FIT_HINT = (
    "make D (M, k, k) and P (N, M) tensors with requires_grad=True, build the factorised kernel "
    "P[o, c] · D[c] by broadcasting, and let an optimiser (torch.optim.Adam) reduce the squared "
    "difference to the given kernel for a few hundred steps; return the detached tensors"
)


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
        ("a factorised kernel (4, 2, 3, 3)", p[:, :, None, None] * d[None]),
        ("a random kernel (6, 3, 3, 3)", torch.randn(6, 3, 3, 3, generator=g)),
    ]


@checker(FIT, FIT_HINT)
def check_fit_separable(fit_separable: Any) -> Feedback:
    """``fit_separable(kernel)`` returns ``(D, P)``, depthwise ``(M, k, k)`` and pointwise
    ``(N, M)`` weights whose factorised kernel ``P[o, c] · D[c]`` is close to ``kernel``
    ``(N, M, k, k)``: as close as the SVD's best rank-1 approximation allows."""
    report = []
    for what, kernel in _fit_kernels():
        n, m, k, _ = kernel.shape
        got = call_answer(fit_separable, kernel.clone())
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return wrong(FIT, "fit_separable should return two tensors: (D, P)", FIT_HINT)
        d, p = got
        if not isinstance(d, torch.Tensor) or not isinstance(p, torch.Tensor):
            return wrong(FIT, "D and P should be torch tensors", FIT_HINT)
        if d.numel() != m * k * k or p.numel() != n * m:
            swapped = d.numel() == n * m and p.numel() == m * k * k
            return wrong(
                FIT,
                f"for {what} D should have shape ({m}, {k}, {k}) and P ({n}, {m}); you returned "
                f"{tuple(d.shape)} and {tuple(p.shape)}" + (" (swapped?)" if swapped else ""),
                FIT_HINT,
            )
        if p.dim() == 2 and tuple(p.shape) == (m, n) and m != n:
            return wrong(FIT, f"P has shape {(m, n)}; it should be (N, M) = {(n, m)}", FIT_HINT)
        d = d.detach().float().reshape(m, k, k)
        p = p.detach().float().reshape(n, m)
        approx = p[:, :, None, None] * d[None]
        error = _relative_error(kernel, approx)
        best = _relative_error(kernel, _svd_optimum(kernel))
        if not math.isfinite(error) or error > best + 0.02:
            return wrong(
                FIT,
                f"for {what} your factorised kernel misses by {error:.0%} (relative error); "
                f"the SVD's best rank-1 kernel misses by {best:.0%}",
                FIT_HINT,
            )
        report.append(f"{what}: yours {error:.1%}, SVD optimum {best:.1%}")
    return correct(FIT, "gradient descent reaches the SVD optimum. " + "; ".join(report))
