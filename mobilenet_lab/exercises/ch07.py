"""Checkers for chapter 7, the width and resolution multipliers."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from ..counting import count_mult_adds, count_parameters
from ..model import MobileNetV1
from ._core import Feedback, call_answer, checker, correct, expect_int, wrong

PREDICT_MULT_ADDS = "ex-07-predict-mult-adds"
PARAM_RATIO = "ex-07-param-ratio"

_PREDICT_HINT = (
    "walk all 14 layers (expand(TABLE_1): the 10 rows repeat) beside channel_plan(alpha), "
    "which zip would silently cut short; a stride-2 layer maps a side s to ceil(s/2); use the "
    "formula for each layer's kind, and remember the classifier"
)
_PREDICT_CASES = ((1.0, 160), (0.5, 160), (0.75, 128), (0.25, 224), (1.0, 200))


@cache
def _mult_adds(alpha: float, resolution: int) -> int:
    return count_mult_adds(MobileNetV1(alpha), (1, 3, resolution, resolution))


@checker(PREDICT_MULT_ADDS, _PREDICT_HINT)
def check_predict_mult_adds(predict: Any) -> Feedback:
    """Check ``predict(alpha, resolution)`` against the exact count of the built model."""
    for alpha, resolution in _PREDICT_CASES:
        got = call_answer(predict, alpha, resolution)
        expected = _mult_adds(alpha, resolution)
        what = f"predict({alpha}, {resolution})"
        feedback = expect_int(PREDICT_MULT_ADDS, got, expected, what, _PREDICT_HINT)
        if not feedback:
            if isinstance(got, (int, float)) and not isinstance(got, bool):
                if 0 < got < 1e5:
                    return wrong(
                        PREDICT_MULT_ADDS,
                        f"{what} = {got:,}: give the count itself, not millions",
                        _PREDICT_HINT,
                    )
                if abs(got - expected) <= 0.02 * expected:
                    return wrong(
                        PREDICT_MULT_ADDS,
                        f"{what} = {got:,.0f} is close to the exact {expected:,} but not equal: "
                        "scaling by α² or ρ² is only approximate",
                        _PREDICT_HINT,
                    )
            return feedback
    return correct(PREDICT_MULT_ADDS, "your prediction matches the built model exactly, every time")


_RATIO_HINT = (
    "count both models with mobilenet_lab and divide the 0.5 model's count by the 1.0 model's; "
    "the α² rule is only an approximation"
)


@cache
def _ratio() -> float:
    return count_parameters(MobileNetV1(0.5)) / count_parameters(MobileNetV1(1.0))


@checker(PARAM_RATIO, _RATIO_HINT)
def check_param_ratio(ratio: Any) -> Feedback:
    """Check the parameter ratio of the 0.5 MobileNet to the 1.0 MobileNet."""
    if callable(ratio):
        ratio = call_answer(ratio)
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)):
        try:
            ratio = float(ratio)
        except (TypeError, ValueError):
            return wrong(PARAM_RATIO, f"the ratio should be a number, got {ratio!r}", _RATIO_HINT)
    expected = _ratio()
    if math.isclose(ratio, expected, abs_tol=5e-4):
        return correct(PARAM_RATIO, f"the 0.5 MobileNet keeps {expected:.3f} of the parameters")
    if math.isclose(ratio, 0.25, abs_tol=1e-9):
        return wrong(PARAM_RATIO, "0.25 = α² is the rule of thumb, not the count", _RATIO_HINT)
    if math.isclose(ratio, 1 / expected, rel_tol=1e-3):
        return wrong(PARAM_RATIO, f"{ratio:.3f} is the ratio upside down", "0.5 over 1.0")
    return wrong(PARAM_RATIO, f"{ratio:.4g} is not the ratio of the two counts", _RATIO_HINT)
