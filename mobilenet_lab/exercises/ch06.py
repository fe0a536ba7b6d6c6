"""Checkers for chapter 6, assembling MobileNet v1."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..counting import count_parameters, layer_counts
from ..i18n import N_, Message
from ..model import MobileNetV1
from ._core import (
    Case,
    Exercise,
    Feedback,
    call_answer,
    checker,
    compare_cases,
    correct,
    judge,
    wrong,
)

POINTWISE_PARAMS = Exercise(
    "ex-06-pointwise-params",
    title=N_("pointwise parameters of the 0.5 MobileNet"),
    hint=N_(
        "ml.layer_counts lists every layer with its kind and its weights: which rows are the 1×1 "
        "convolutions, and which network are you counting?"
    ),
    # the 0.5 MobileNet's pointwise weights; the 1.0 MobileNet's; all of the 0.5 MobileNet's
    cases=(Case(expected=784_896, wrong={"alpha_one": 3_139_584, "whole_network": 1_331_592}),),
    messages={
        "alpha_one": (N_("that is the 1.0 MobileNet's count"), N_("use alpha=0.5")),
        "whole_network": (
            N_("that is the whole 0.5 MobileNet"),
            N_("keep only the pointwise convs"),
        ),
    },
)


@checker(POINTWISE_PARAMS)
def check_pointwise_params(answer: Any) -> Feedback:
    """Check the number of pointwise-conv parameters of the 0.5 MobileNet (224, 1000 classes)."""
    return compare_cases(answer)


FIX_SEED = Exercise(
    "ex-06-fix-seed",
    title=N_("the blog's class, fixed for every alpha"),
    hint=N_("read how the blocks of dsconv4 are built: which channel counts there ignore alpha?"),
    kind="module",
    messages={
        "fails": N_("at alpha={alpha} the model still fails: {error}"),
        "output": (
            N_("at alpha={alpha} with n_classes={classes} the output is {got}, expected {want}"),
            N_("keep the seed's classifier: nn.Linear(int(1024 * alpha), n_classes)"),
        ),
        "parameters": (
            N_(
                "at alpha={alpha} your model has {got:,} parameters; the {alpha} MobileNet has {want:,}"
            ),
            N_("every layer, the five 14×14 blocks included, needs int(c * alpha) channels"),
        ),
        "correct": N_("the fixed seed runs at alpha 0.5, 0.75 and 1 with the right size"),
    },
)


def _check_seed(model: Any, alpha: float, classes: int) -> Feedback | None:
    """What is wrong with the reader's model for one alpha (None: nothing)."""
    if not isinstance(model, nn.Module):
        return wrong("not_module", what=f"build({alpha}, {classes})", type=type(model).__name__)
    model.eval()
    try:
        with torch.no_grad():
            out = model(torch.zeros(1, 3, 64, 64))
    except RuntimeError as err:
        return wrong("fails", alpha=alpha, error=(str(err).splitlines() or [type(err).__name__])[0])
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (1, classes):
        got = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        return wrong("output", alpha=alpha, classes=classes, got=got, want=(1, classes))
    got, want = count_parameters(model), count_parameters(MobileNetV1(alpha, classes))
    return wrong("parameters", alpha=alpha, got=got, want=want) if got != want else None


@checker(FIX_SEED)
def check_fix_seed(build: Any) -> Feedback:
    """Check ``build(alpha, n_classes)``: the seed's network, fixed so it runs for any alpha."""
    for alpha, classes in ((0.5, 1000), (0.75, 10), (1.0, 1000)):
        feedback = _check_seed(call_answer(build, alpha, classes), alpha, classes)
        if feedback is not None:
            return feedback
    return correct()


HOOK_COUNTER = Exercise(
    "ex-06-hook-counter",
    title=N_("a mult-add counter built on forward hooks"),
    hint=N_(
        "register a forward hook on every nn.Conv2d and nn.Linear; in the hook, the output's "
        "size times the multiplications per output value (mind groups) is the layer's count; "
        "remove the hooks before returning"
    ),
    kind="function",
    messages={
        "hooks_left": (
            N_("on {network} your hooks are still registered after the call"),
            N_("register_forward_hook returns a handle: call its remove()"),
        ),
        "ignores_groups": N_("on {network} your count ignores groups"),
        "no_classifier": N_("on {network} your count leaves out the fully connected layer"),
        "second_call": (
            N_("a second call on {network} gives {again:,} instead of {answer:,}"),
            N_("start each call from zero and remove the hooks you registered"),
        ),
        "correct": N_("your hook counter agrees with ml.count_mult_adds"),
    },
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


def _count_case(model: nn.Module, size: tuple[int, int, int, int], network: Message) -> Case:
    """The network's exact count (``ml.layer_counts``), and two typical wrong counts."""
    rows = layer_counts(model, size)
    modules = dict(model.named_modules())
    groups = [getattr(modules[r.name], "groups", 1) for r in rows]
    wrong_counts = {
        "ignores_groups": sum(r.mult_adds * g for r, g in zip(rows, groups)),
        "no_classifier": sum(r.mult_adds for r in rows if r.kind != "linear"),
    }
    total = sum(r.mult_adds for r in rows)
    return Case(expected=total, wrong=wrong_counts, facts={"network": network})


@checker(HOOK_COUNTER)
def check_hook_counter(count_macs: Any) -> Feedback:
    """Check ``count_macs(model, input_size)``: a forward-hook mult-add counter that agrees
    with ``ml.count_mult_adds`` and leaves no hook behind."""
    for label, model, size in (
        (N_("a small network"), _small_net(), (1, 3, 16, 16)),
        (N_("MobileNetV1(0.25) at 64×64"), MobileNetV1(0.25), (1, 3, 64, 64)),
    ):
        network = Message(label)
        got = call_answer(count_macs, model, size)
        if any(m._forward_hooks for m in model.modules()):
            return wrong("hooks_left", network=network)
        what = Message(N_("mult-adds of {network}"), {"network": network})
        feedback = judge([got], [_count_case(model, size, network)], [what])
        if not feedback:
            return feedback
        again = call_answer(count_macs, model, size)
        if again != got:
            return wrong("second_call", network=network, again=again, answer=got)
    return correct()
