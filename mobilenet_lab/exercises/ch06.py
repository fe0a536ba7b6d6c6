"""Chapter 6 exercises: assembling MobileNet v1 (records: ``ch06.toml``)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..counting import count_parameters, layer_counts
from ..i18n import N_, Message
from ..model import MobileNetV1
from ._core import Case, Feedback, call_answer, checker, correct, judge, wrong
from ._records import record, standard_checker

check_pointwise_params = standard_checker("ex-06-pointwise-params")
FIX_SEED = record("ex-06-fix-seed")


def _check_seed(model: Any, case: Case) -> Feedback | None:
    """What is wrong with the reader's model for one case, (alpha, n_classes) (None: nothing)."""
    alpha, classes = case.args
    if not isinstance(model, nn.Module):
        return wrong("not_module", what=FIX_SEED.what(case), type=type(model).__name__)
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
    for case in FIX_SEED.cases:
        feedback = _check_seed(call_answer(build, *case.args), case)
        if feedback is not None:
            return feedback
    return correct()


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


@checker(record("ex-06-hook-counter"))
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
