"""Checkers for chapter 9, speed in practice."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from ._core import Feedback, call_answer, checker, correct, wrong

FOLD_BN = "ex-09-fold-bn"
INTENSITY = "ex-09-intensity"

_FOLD_HINT = (
    "with s = gamma / sqrt(var + eps): scale every output channel's filter by s "
    "(weight * s.reshape(-1, 1, 1, 1)) and use bias = beta - mean * s"
)


@checker(FOLD_BN, _FOLD_HINT)
def check_fold_bn(fold_bn: Any) -> Feedback:
    """Check ``fold_bn(weight, gamma, beta, mean, var, eps) -> (weight, bias)``: a BatchNorm
    (eval mode) folded into the bias-free convolution before it."""
    g = torch.Generator().manual_seed(9)
    for c_out, c_in, groups in ((4, 3, 1), (6, 6, 6), (5, 2, 1)):
        weight = torch.randn(c_out, c_in // groups, 3, 3, generator=g, dtype=torch.float64)
        gamma = 0.5 + torch.rand(c_out, generator=g, dtype=torch.float64)
        beta = torch.randn(c_out, generator=g, dtype=torch.float64)
        mean = torch.randn(c_out, generator=g, dtype=torch.float64)
        var = 0.5 + torch.rand(c_out, generator=g, dtype=torch.float64)
        eps = 1e-3
        args = (weight.clone(), gamma.clone(), beta.clone(), mean.clone(), var.clone(), eps)
        got = call_answer(fold_bn, *args)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return wrong(
                FOLD_BN, f"fold_bn should return (weight, bias), got {got!r:.80}", _FOLD_HINT
            )
        w, b = got
        if not isinstance(w, torch.Tensor) or not isinstance(b, torch.Tensor):
            return wrong(FOLD_BN, "weight and bias should both be tensors", _FOLD_HINT)
        if tuple(w.shape) != tuple(weight.shape) or tuple(b.shape) != (c_out,):
            return wrong(
                FOLD_BN,
                f"shapes: weight {tuple(w.shape)} (expected {tuple(weight.shape)}), "
                f"bias {tuple(b.shape)} (expected {(c_out,)})",
                _FOLD_HINT,
            )
        x = torch.randn(2, c_in, 7, 7, generator=g, dtype=torch.float64)
        want = F.batch_norm(
            F.conv2d(x, weight, padding=1, groups=groups), mean, var, gamma, beta, False, 0.0, eps
        )
        have = F.conv2d(x, w.to(torch.float64), b.to(torch.float64), padding=1, groups=groups)
        if not torch.allclose(have, want, rtol=1e-6, atol=1e-8):
            # the weight alone is right when conv → BatchNorm minus conv with that weight (no
            # bias) is one constant per output channel: the missing bias
            gap = want - F.conv2d(x, w.to(torch.float64), padding=1, groups=groups)
            per_channel = gap.mean(dim=(0, 2, 3), keepdim=True).expand_as(gap)
            if torch.allclose(gap, per_channel, rtol=1e-5, atol=1e-6):
                return wrong(FOLD_BN, "the weight is right, the bias is not", _FOLD_HINT)
            if torch.allclose(w.to(torch.float64), weight * (gamma / var).reshape(-1, 1, 1, 1)):
                return wrong(
                    FOLD_BN, "divide by the standard deviation sqrt(var + eps)", _FOLD_HINT
                )
            return wrong(
                FOLD_BN,
                f"conv with your (weight, bias) differs from conv → BatchNorm ({c_out} channels, "
                f"groups={groups})",
                _FOLD_HINT,
            )
    return correct(FOLD_BN, "conv(x, W', b') equals BatchNorm(conv(x, W)) for every case tried")


_INTENSITY_HINT = (
    "mult-adds: 9·C·F² (depthwise 3×3) or C·C·F² (pointwise C→C); floats moved: the input "
    "(C·F²), the output (C·F²) and the weights (9·C or C·C), each once"
)
#: (kind, channels, size, mult-adds per float moved): answers for these cases only
_INTENSITY_CASES = (
    ("depthwise", 32, 112, 4.498386261306132),
    ("pointwise", 32, 112, 15.979617834394904),
    ("depthwise", 512, 14, 4.399002493765586),
    ("pointwise", 512, 14, 111.00884955752213),
    ("pointwise", 1024, 7, 44.72014260249554),
)


@checker(INTENSITY, _INTENSITY_HINT)
def check_intensity(intensity: Any) -> Feedback:
    """Check ``intensity(kind, channels, size)``: mult-adds per float moved for a stride-1
    ``"depthwise"`` 3×3 or ``"pointwise"`` C→C convolution on a size×size map."""
    for kind, c, f, expected in _INTENSITY_CASES:
        got = call_answer(intensity, kind, c, f)
        try:
            value = float(got)
        except (TypeError, ValueError):
            return wrong(
                INTENSITY,
                f"intensity({kind!r}, {c}, {f}) should be a number, got {type(got).__name__}",
                _INTENSITY_HINT,
            )
        if isinstance(got, bool) or not math.isclose(value, expected, rel_tol=1e-6):
            return wrong(
                INTENSITY,
                f"intensity({kind!r}, {c}, {f}) = {value:.4g}, expected about {expected:.4g}",
                _INTENSITY_HINT,
            )
    return correct(
        INTENSITY,
        "a depthwise 3×3 does about 4.5 mult-adds per float moved, whatever C; a pointwise "
        f"512→512 on 14×14 about {_INTENSITY_CASES[3][3]:.0f}",
    )


TIME_CALLS = "ex-09-time-calls"

_TIME_CALLS_HINT = (
    "three things matter: the warm-up calls are not timed, each round gives one value, and "
    "a value is the time of ONE call, read on the clock you were given"
)


class _FakeMachine:
    """A model whose calls take a known time on a fake clock: the first (cold) call is slow."""

    def __init__(self, cold: float, warm: float) -> None:
        self.now = 100.0
        self.calls = 0
        self.cold, self.warm = cold, warm

    def fn(self) -> None:
        self.now += self.cold if self.calls == 0 else self.warm
        self.calls += 1

    def clock(self) -> float:
        return self.now


_TIME_CALLS_CASES = ((5, 4, 2), (3, 1, 1), (7, 10, 3))  # (rounds, number, warmup)


@checker(TIME_CALLS, _TIME_CALLS_HINT)
def check_time_calls(time_calls: Any) -> Feedback:
    """Check ``time_calls(fn, clock, rounds, number, warmup) -> list of seconds per call``.

    The checker never looks at a real clock: it passes a fake model whose calls advance a fake
    clock by known amounts (the first, cold call much more), so only the *procedure* is judged.
    """
    cold, warm = 0.5, 0.002
    for rounds, number, warmup in _TIME_CALLS_CASES:
        fake = _FakeMachine(cold, warm)
        got = call_answer(
            time_calls, fake.fn, fake.clock, rounds=rounds, number=number, warmup=warmup
        )
        where = f"(rounds={rounds}, number={number}, warmup={warmup})"
        try:
            values = [float(v) for v in got]
        except (TypeError, ValueError):
            return wrong(
                TIME_CALLS,
                f"time_calls should return a list of {rounds} numbers {where}, got "
                f"{type(got).__name__}",
                _TIME_CALLS_HINT,
            )
        if len(values) != rounds:
            return wrong(
                TIME_CALLS,
                f"expected one time per round: {rounds} values {where}, got {len(values)}",
                _TIME_CALLS_HINT,
            )
        expected_calls = warmup + rounds * number
        if fake.calls != expected_calls:
            return wrong(
                TIME_CALLS,
                f"fn() was called {fake.calls} times {where}; expected {warmup} warm-up "
                f"calls + {rounds} rounds × {number} = {expected_calls}",
                _TIME_CALLS_HINT,
            )
        if all(math.isclose(v, warm, rel_tol=1e-6) for v in values):
            continue
        if any(v > warm * 1.5 for v in values[:1]) and all(
            math.isclose(v, warm, rel_tol=1e-6) for v in values[1:]
        ):
            return wrong(
                TIME_CALLS,
                f"the first round includes the slow cold call {where}: warm up before timing",
                _TIME_CALLS_HINT,
            )
        if all(math.isclose(v, warm * number, rel_tol=1e-6) for v in values) and number > 1:
            return wrong(
                TIME_CALLS,
                f"each value is the time of the whole block of {number} calls {where}; "
                "report the time per call",
                _TIME_CALLS_HINT,
            )
        if all(abs(v) < warm / 10 for v in values):
            return wrong(
                TIME_CALLS,
                f"the values are (almost) zero {where}: time with the clock you are given, "
                "clock(), not another one",
                _TIME_CALLS_HINT,
            )
        return wrong(
            TIME_CALLS,
            f"each call takes {warm * 1e3:.0f} ms on the test clock {where}, but you measured "
            f"{', '.join(f'{v * 1e3:.3g}' for v in values[:3])} ms …",
            _TIME_CALLS_HINT,
        )
    return correct(
        TIME_CALLS,
        "warm-up untimed, one time per round, per call, on the clock you were given",
    )
