"""Chapter 9 exercises: speed in practice (records: ``ch09.toml``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
import torch.nn.functional as F

from ._answers import as_number, shown
from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_intensity = standard_checker("ex-09-intensity")
TIME_CALLS = record("ex-09-time-calls")


def _conv(case: dict[str, Any], weight: torch.Tensor, bias: Any = None) -> torch.Tensor:
    """The case's input through a convolution with ``weight`` (and ``bias``)."""
    return F.conv2d(case["x"], weight, bias, padding=1, groups=case["groups"])


def _conv_then_bn(case: dict[str, Any]) -> torch.Tensor:
    """conv → BatchNorm (eval mode), the output the folded conv must give."""
    bn = [case[k] for k in ("mean", "var", "gamma", "beta")]
    return F.batch_norm(_conv(case, case["weight"]), *bn, False, 0.0, case["eps"])


def _fold_mistake(case: dict[str, Any], w: torch.Tensor) -> str:
    """Which mistake a wrong fold made: the weight alone is right when conv → BatchNorm minus
    conv with that weight (no bias) is one constant per output channel, the missing bias."""
    gap = _conv_then_bn(case) - _conv(case, w)
    if torch.allclose(gap, gap.mean(dim=(0, 2, 3), keepdim=True).expand_as(gap), 1e-5, 1e-6):
        return "bias_only"
    scale_by_var = (case["gamma"] / case["var"]).reshape(-1, 1, 1, 1)
    return "variance" if torch.allclose(w, case["weight"] * scale_by_var) else "differs"


def _fold_cases() -> list[dict[str, Any]]:
    g = torch.Generator().manual_seed(9)
    cases = []
    for c_out, c_in, groups in ((4, 3, 1), (6, 6, 6), (5, 2, 1)):
        new = {"generator": g, "dtype": torch.float64}
        weight = torch.randn(c_out, c_in // groups, 3, 3, **new)
        gamma, beta = 0.5 + torch.rand(c_out, **new), torch.randn(c_out, **new)
        mean, var = torch.randn(c_out, **new), 0.5 + torch.rand(c_out, **new)
        x = torch.randn(2, c_in, 7, 7, **new)
        fold = {"weight": weight, "gamma": gamma, "beta": beta, "mean": mean, "var": var}
        cases.append({**fold, "eps": 1e-3, "groups": groups, "x": x})
    return cases


@checker(record("ex-09-fold-bn"))
def check_fold_bn(fold_bn: Any) -> Feedback:
    """Check ``fold_bn(weight, gamma, beta, mean, var, eps) -> (weight, bias)``: a BatchNorm
    (eval mode) folded into the bias-free convolution before it."""
    for case in _fold_cases():
        args = [case[k].clone() for k in ("weight", "gamma", "beta", "mean", "var")]
        got = call_answer(fold_bn, *args, case["eps"])
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return wrong("not_pair", shown=shown(got))
        w, b = got
        if not isinstance(w, torch.Tensor) or not isinstance(b, torch.Tensor):
            return wrong("not_tensors")
        shapes = {"want_weight": tuple(case["weight"].shape), "want_bias": (len(case["beta"]),)}
        if (tuple(w.shape), tuple(b.shape)) != (shapes["want_weight"], shapes["want_bias"]):
            return wrong("shapes", weight=tuple(w.shape), bias=tuple(b.shape), **shapes)
        w, b = w.to(torch.float64), b.to(torch.float64)
        if not torch.allclose(_conv(case, w, b), _conv_then_bn(case), rtol=1e-6, atol=1e-8):
            key = _fold_mistake(case, w)
            return wrong(key, channels=len(case["beta"]), groups=case["groups"])
    return correct()


class _FakeMachine:
    """A model whose calls take a known time on a fake clock: the first (cold) call is slow."""

    def __init__(self, cold: float, warm: float) -> None:
        self.now, self.calls = 100.0, 0
        self.cold, self.warm = cold, warm

    def fn(self) -> None:
        self.now += self.cold if self.calls == 0 else self.warm
        self.calls += 1

    def clock(self) -> float:
        return self.now


def _timing_mistake(values: list[float], warm: float, number: int) -> str:
    """Which mistake gave these times (per call, each call ``warm`` seconds once warm)."""

    def all_near(times: list[float], value: float) -> bool:
        return all(math.isclose(v, value, rel_tol=1e-6) for v in times)

    if values[0] > warm * 1.5 and all_near(values[1:], warm):
        return "cold_call"
    if number > 1 and all_near(values, warm * number):
        return "per_block"
    return "zero" if all(abs(v) < warm / 10 for v in values) else "differs"


@checker(TIME_CALLS)
def check_time_calls(time_calls: Any) -> Feedback:
    """Check ``time_calls(fn, clock, rounds, number, warmup) -> list of seconds per call``.

    The checker never looks at a real clock: it passes a fake model whose calls advance a fake
    clock by known amounts (the first, cold call much more), so only the *procedure* is judged.
    """
    cold, warm = 0.5, 0.002
    for case in TIME_CALLS.cases:
        (rounds, number, warmup), what = case.args, TIME_CALLS.what(case)
        fake = _FakeMachine(cold, warm)
        got = call_answer(
            time_calls, fake.fn, fake.clock, rounds=rounds, number=number, warmup=warmup
        )
        listed = isinstance(got, Iterable) and not isinstance(got, (str, bytes))
        values = [as_number(v) for v in got] if listed else [None]
        if None in values:
            return wrong("not_list", what=what, rounds=rounds, type=type(got).__name__)
        facts = {"what": what, "rounds": rounds, "number": number, "warmup": warmup}
        if len(values) != rounds:
            return wrong("count", count=len(values), **facts)
        if fake.calls != warmup + rounds * number:
            return wrong("calls", calls=fake.calls, expected=warmup + rounds * number, **facts)
        if not all(math.isclose(v, warm, rel_tol=1e-6) for v in values):
            measured = ", ".join(f"{v * 1e3:.3g}" for v in values[:3])
            key = _timing_mistake(values, warm, number)
            return wrong(key, warm=warm * 1e3, measured=measured, **facts)
    return correct()
