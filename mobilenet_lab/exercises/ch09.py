"""Checkers for chapter 9, speed in practice."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
import torch.nn.functional as F

from ..i18n import N_
from ._answers import as_number, shown
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, wrong

FOLD_BN = Exercise(
    "ex-09-fold-bn",
    title=N_("a BatchNorm folded into its convolution"),
    hint=N_(
        "with s = gamma / sqrt(var + eps): scale every output channel's filter by s "
        "(weight * s.reshape(-1, 1, 1, 1)) and use bias = beta - mean * s"
    ),
    kind="function",
    messages={
        "not_pair": N_("fold_bn should return (weight, bias), got {shown}"),
        "not_tensors": N_("weight and bias should both be tensors"),
        "shapes": N_(
            "shapes: weight {weight} (expected {want_weight}), bias {bias} (expected {want_bias})"
        ),
        "bias_only": N_("the weight is right, the bias is not"),
        "variance": N_("divide by the standard deviation sqrt(var + eps)"),
        "differs": N_(
            "conv with your (weight, bias) differs from conv → BatchNorm ({channels} channels, "
            "groups={groups})"
        ),
        "correct": N_("conv(x, W', b') equals BatchNorm(conv(x, W)) for every case tried"),
    },
)


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


@checker(FOLD_BN)
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


INTENSITY = Exercise(
    "ex-09-intensity",
    title=N_("mult-adds per float moved"),
    hint=N_(
        "mult-adds: 9·C·F² (depthwise 3×3) or C·C·F² (pointwise C→C); floats moved: the input "
        "(C·F²), the output (C·F²) and the weights (9·C or C·C), each once"
    ),
    kind="function",
    answer="real",
    call="intensity",
    rel_tol=1e-6,
    # (kind, channels, size) → mult-adds per float moved
    cases=(
        Case(("depthwise", 32, 112), 4.498386261306132),
        Case(("pointwise", 32, 112), 15.979617834394904),
        Case(("depthwise", 512, 14), 4.399002493765586),
        Case(("pointwise", 512, 14), 111.00884955752213),
        Case(("pointwise", 1024, 7), 44.72014260249554),
    ),
    messages={
        "correct": N_(
            "a depthwise 3×3 does about 4.5 mult-adds per float moved, whatever C; a pointwise "
            "512→512 on 14×14 about 111"
        )
    },
)


@checker(INTENSITY)
def check_intensity(intensity: Any) -> Feedback:
    """Check ``intensity(kind, channels, size)``: mult-adds per float moved for a stride-1
    ``"depthwise"`` 3×3 or ``"pointwise"`` C→C convolution on a size×size map."""
    return compare_cases(intensity)


TIME_CALLS = Exercise(
    "ex-09-time-calls",
    title=N_("the time of one call, measured properly"),
    hint=N_(
        "three things matter: the warm-up calls are not timed, each round gives one value, and "
        "a value is the time of ONE call, read on the clock you were given"
    ),
    kind="function",
    call="time_calls(fn, clock, rounds={}, number={}, warmup={})",
    messages={
        "not_list": N_("{what} should return a list of {rounds} numbers, got {type}"),
        "count": N_("{what}: expected one time per round, {rounds} values, got {count}"),
        "calls": N_(
            "{what} called fn() {calls} times; expected {warmup} warm-up calls + {rounds} rounds "
            "× {number} = {expected}"
        ),
        "cold_call": N_(
            "{what}: the first round includes the slow cold call; warm up before timing"
        ),
        "per_block": N_(
            "{what}: each value is the time of the whole block of {number} calls; report the "
            "time per call"
        ),
        "zero": N_(
            "{what}: the values are (almost) zero; time with the clock you are given, clock(), "
            "not another one"
        ),
        "differs": N_(
            "{what}: each call takes {warm:.0f} ms on the test clock, but you measured {measured} "
            "ms …"
        ),
        "correct": N_("warm-up untimed, one time per round, per call, on the clock you were given"),
    },
)


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
    for rounds, number, warmup in ((5, 4, 2), (3, 1, 1), (7, 10, 3)):
        fake, what = _FakeMachine(cold, warm), TIME_CALLS.what(Case((rounds, number, warmup)))
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
