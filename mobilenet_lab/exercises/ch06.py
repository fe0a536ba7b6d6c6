"""Checkers for chapter 6, assembling MobileNet v1."""

from __future__ import annotations

from functools import cache
from typing import Any

import torch
from torch import nn

from ..counting import count_parameters, layer_counts
from ..model import MobileNetV1
from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

POINTWISE_PARAMS = "ex-06-pointwise-params"
FIX_SEED = "ex-06-fix-seed"
HOOK_COUNTER = "ex-06-hook-counter"

_POINTWISE_HINT = (
    "ml.layer_counts lists every layer with its kind and its weights: which rows are the 1×1 "
    "convolutions, and which network are you counting?"
)


@cache
def _pointwise(alpha: float) -> int:
    return sum(r.weights for r in layer_counts(MobileNetV1(alpha)) if r.kind == "pointwise")


@checker(POINTWISE_PARAMS, _POINTWISE_HINT)
def check_pointwise_params(answer: Any) -> Feedback:
    """Check the number of pointwise-conv parameters of the 0.5 MobileNet (224, 1000 classes)."""
    if callable(answer):
        answer = call_answer(answer)
    expected = _pointwise(0.5)
    if answer == _pointwise(1.0):
        return wrong(POINTWISE_PARAMS, "that is the 1.0 MobileNet's count", "use alpha=0.5")
    if answer == count_parameters(MobileNetV1(0.5)):
        return wrong(
            POINTWISE_PARAMS, "that is the whole 0.5 MobileNet", "keep only the pointwise convs"
        )
    return expect_int(POINTWISE_PARAMS, answer, expected, "pointwise parameters", _POINTWISE_HINT)


_FIX_HINT = "read how the blocks of dsconv4 are built: which channel counts there ignore alpha?"


@checker(FIX_SEED, _FIX_HINT)
def check_fix_seed(build: Any) -> Feedback:
    """Check ``build(alpha, n_classes)``: the seed's network, fixed so it runs for any alpha."""
    for alpha, n_classes in ((0.5, 1000), (0.75, 10), (1.0, 1000)):
        model = call_answer(build, alpha, n_classes)
        if not isinstance(model, nn.Module):
            return wrong(
                FIX_SEED,
                f"build({alpha}, {n_classes}) should return a torch.nn.Module, "
                f"got {type(model).__name__}",
                _FIX_HINT,
            )
        model.eval()
        try:
            with torch.no_grad():
                out = model(torch.zeros(1, 3, 64, 64))
        except RuntimeError as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            return wrong(FIX_SEED, f"at alpha={alpha} the model still fails: {first}", _FIX_HINT)
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != (1, n_classes):
            shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
            return wrong(
                FIX_SEED,
                f"at alpha={alpha} with n_classes={n_classes} the output is {shape}, "
                f"expected (1, {n_classes})",
                "keep the seed's classifier: nn.Linear(int(1024 * alpha), n_classes)",
            )
        got = count_parameters(model)
        expected = count_parameters(MobileNetV1(alpha, n_classes))
        if got != expected:
            return wrong(
                FIX_SEED,
                f"at alpha={alpha} your model has {got:,} parameters; "
                f"the {alpha} MobileNet has {expected:,}",
                "every layer, the five 14×14 blocks included, needs int(c * alpha) channels",
            )
    return correct(FIX_SEED, "the fixed seed runs at alpha 0.5, 0.75 and 1 with the right size")


_HOOK_HINT = (
    "register a forward hook on every nn.Conv2d and nn.Linear; in the hook, the output's size "
    "times the multiplications per output value (mind groups) is the layer's count; remove the "
    "hooks before returning"
)


def _small_net() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False),
        nn.Conv2d(8, 16, 1, bias=False),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(16, 10),
    )


def _variants(model: nn.Module, size: tuple[int, int, int, int]) -> dict[str, int]:
    """Typical wrong counts: groups ignored, the classifier left out."""
    rows = layer_counts(model, size)
    convs = {id(m): m for m in model.modules() if isinstance(m, nn.Conv2d)}
    names = {n: m for n, m in model.named_modules()}
    no_groups = 0
    for r in rows:
        module = names[r.name]
        no_groups += r.mult_adds * (module.groups if id(module) in convs else 1)
    return {
        "ignores groups": no_groups,
        "leaves out the fully connected layer": sum(
            r.mult_adds for r in rows if r.kind != "linear"
        ),
    }


def _hooks_left(model: nn.Module) -> bool:
    return any(m._forward_hooks for m in model.modules())


@checker(HOOK_COUNTER, _HOOK_HINT)
def check_hook_counter(count_macs: Any) -> Feedback:
    """Check ``count_macs(model, input_size)``: a forward-hook mult-add counter that agrees
    with ``ml.count_mult_adds`` and leaves no hook behind."""
    cases = (
        ("a small network", _small_net(), (1, 3, 16, 16)),
        ("MobileNetV1(0.25) at 64×64", MobileNetV1(0.25), (1, 3, 64, 64)),
    )
    for label, model, size in cases:
        expected = sum(r.mult_adds for r in layer_counts(model, size))
        got = call_answer(count_macs, model, size)
        if _hooks_left(model):
            return wrong(
                HOOK_COUNTER,
                f"on {label} your hooks are still registered after the call",
                "register_forward_hook returns a handle: call its remove()",
            )
        feedback = expect_int(HOOK_COUNTER, got, expected, f"mult-adds of {label}", _HOOK_HINT)
        if not feedback:
            for mistake, value in _variants(model, size).items():
                if got == value:
                    return wrong(HOOK_COUNTER, f"on {label} your count {mistake}", _HOOK_HINT)
            return feedback
        again = call_answer(count_macs, model, size)
        if again != got:
            return wrong(
                HOOK_COUNTER,
                f"a second call on {label} gives {again:,} instead of {got:,}",
                "start each call from zero and remove the hooks you registered",
            )
    return correct(HOOK_COUNTER, "your hook counter agrees with ml.count_mult_adds")
