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

_POINTWISE_HINT = (
    "build MobileNetV1(0.5), then add the weights of the layers whose kind is 'pointwise' in "
    "layer_counts (BatchNorm parameters belong to the 'batchnorm' rows)"
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


_FIX_HINT = (
    "the five 14×14 blocks are built as DepSepConv(512, 512) whatever alpha is: "
    "give them int(512 * alpha) channels"
)


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
