"""Chapter 4 exercises: the depthwise separable convolution."""

from __future__ import annotations

import math
from typing import Any

import torch

from ..i18n import N_, Message
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, wrong

SEPARABLE_PARAMS = Exercise(
    "ex-04-separable-params",
    title=N_("weights of the separable conv"),
    hint=N_("depthwise D_K · D_K · M plus pointwise M · N"),
    cases=(
        Case(
            expected=2_336,
            wrong={
                "standard": 18_432,
                "depthwise_only": 288,
                "pointwise_only": 2_048,
                "m_by_m": {20_480, 11_264},
            },
        ),
    ),
    messages={
        "standard": N_("{answer:,} is the standard 3×3 conv"),
        "depthwise_only": N_("{answer:,} is the depthwise part only"),
        "pointwise_only": N_("{answer:,} is the pointwise part only"),
        "m_by_m": N_("the depthwise part has one filter per channel, not M·M"),
    },
)


@checker(SEPARABLE_PARAMS)
def check_separable_params(answer: Any) -> Feedback:
    """Weights of a 3×3 depthwise separable conv, 32 → 64 channels (no BatchNorm)."""
    return compare_cases(answer)


def _weights(k: int, m: int, n: int, separable: int, standard: int) -> Case:
    """A case of ``separable_is_cheaper``, with both weight counts for the message."""
    facts = {"separable": separable, "standard": standard}
    return Case((k, m, n), separable < standard, facts=facts)


WHEN_CHEAPER = Exercise(
    "ex-04-when-cheaper",
    title=N_("when the separable conv has fewer weights"),
    hint=N_(
        "write the weight counts of the standard conv and of depthwise + pointwise with k, m and "
        "n; then try k = 1 or n = 1 by hand"
    ),
    kind="function",
    answer="bool",
    call="separable_is_cheaper(k={}, m={}, n={})",
    # (k, m, n) and the weights of the separable and of the standard conv there
    cases=(
        _weights(1, 3, 16, 51, 48),
        _weights(3, 32, 1, 320, 288),
        _weights(3, 32, 2, 352, 576),
        _weights(2, 1, 2, 6, 8),
        _weights(5, 1, 1, 26, 25),
        _weights(3, 3, 16, 75, 432),
        _weights(1, 1, 1, 2, 1),
        _weights(2, 3, 3, 21, 36),
        _weights(7, 32, 1024, 34_336, 1_605_632),
        _weights(1, 32, 1024, 32_800, 32_768),
        _weights(3, 1, 2, 11, 18),
    ),
    messages={
        "unexpected": N_(
            "{what} = {answer}: the separable conv has {separable:,} weights, the standard "
            "{standard:,}"
        ),
        "correct": N_("separable pays off whenever k > 1 and n > 1"),
    },
)


@checker(WHEN_CHEAPER)
def check_when_cheaper(separable_is_cheaper: Any) -> Feedback:
    """``separable_is_cheaper(k, m, n)``: True when a ``k×k`` depthwise separable conv from ``m``
    to ``n`` channels has strictly fewer weights than the standard conv."""
    return compare_cases(separable_is_cheaper)


SPEEDUP = Exercise(
    "ex-04-table3-speedup",
    title=N_("how many times fewer mult-adds"),
    hint=N_(
        "divide the standard conv's mult-adds by the separable conv's (depthwise plus "
        "pointwise); the feature-map size cancels, so the chapter's cost ratio, turned upside "
        "down, also works"
    ),
    answer="real",
    cases=(Case(expected=4_608 / 521, wrong={"limit": 9}),),  # 9·512 / (9 + 512)
    abs_tol=0.01,
    slips=("inverse",),
    messages={
        "inverse": N_("{answer:.4f} is the cost ratio; the question asks for its inverse"),
        "limit": N_("9 is the limit for n → ∞; n = 512 is large but finite"),
        "correct": N_("{expected:.2f}× fewer mult-adds"),
    },
)


@checker(SPEEDUP)
def check_table3_speedup(answer: Any) -> Feedback:
    """How many times fewer mult-adds: Table 3's layer (3×3, 512 → 512, 14×14 map)."""
    return compare_cases(answer)


FIT = Exercise(
    "ex-04-fit-separable",
    title=N_("a separable kernel fitted by gradient descent"),
    hint=N_(
        "make D (M, k, k) and P (N, M) tensors with requires_grad=True, build the factorised "
        "kernel P[o, c] · D[c] by broadcasting, and let an optimiser (torch.optim.Adam) reduce "
        "the squared difference to the given kernel for a few hundred steps; return the "
        "detached tensors"
    ),
    kind="function",
    messages={
        "not_pair": N_("fit_separable should return two tensors: (D, P)"),
        "not_tensors": N_("D and P should be torch tensors"),
        "shapes": N_(
            "for {kernel} D should have shape ({m}, {k}, {k}) and P ({n}, {m}); you returned "
            "{d} and {p}"
        ),
        "swapped": N_(
            "for {kernel} D should have shape ({m}, {k}, {k}) and P ({n}, {m}); you returned "
            "{d} and {p} (swapped?)"
        ),
        "p_transposed": N_("P has shape {got}; it should be (N, M) = {want}"),
        "misses": N_(
            "for {kernel} your factorised kernel misses by {error:.0%} (relative error); the "
            "SVD's best rank-1 kernel misses by {best:.0%}"
        ),
        "correct": N_(
            "gradient descent reaches the SVD optimum. {kernel_1}: yours {error_1:.1%}, SVD "
            "optimum {best_1:.1%}; {kernel_2}: yours {error_2:.1%}, SVD optimum {best_2:.1%}"
        ),
    },
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


@checker(FIT)
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
