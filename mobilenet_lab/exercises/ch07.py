"""Checkers for chapter 7, the width and resolution multipliers."""

from __future__ import annotations

from typing import Any

from ..i18n import N_
from ._core import Case, Exercise, Feedback, checker, compare_cases

PREDICT_MULT_ADDS = Exercise(
    "ex-07-predict-mult-adds",
    title=N_("the mult-adds of a MobileNet, predicted"),
    hint=N_(
        "walk all 14 layers (expand(TABLE_1): the 10 rows repeat) beside channel_plan(alpha), "
        "which zip would silently cut short; a stride-2 layer maps a side s to ceil(s/2); use the "
        "formula for each layer's kind, and remember the classifier"
    ),
    kind="function",
    call="predict",
    # (alpha, resolution) → the exact count of the built model (ml.count_mult_adds)
    cases=(
        Case((1.0, 160), 290_675_200),
        Case((0.5, 160), 76_524_800),
        Case((0.75, 128), 106_770_432),
        Case((0.25, 224), 41_030_272),
        Case((1.0, 200), 488_077_696),
    ),
    slips=("millions", "near"),
    messages={
        "near": N_(
            "{what} = {answer:,.0f} is close to the exact {expected:,} but not equal: scaling by "
            "α² or ρ² is only approximate"
        ),
        "correct": N_("your prediction matches the built model exactly, every time"),
    },
)


@checker(PREDICT_MULT_ADDS)
def check_predict_mult_adds(predict: Any) -> Feedback:
    """Check ``predict(alpha, resolution)`` against the exact count of the built model."""
    return compare_cases(predict)


PARAM_RATIO = Exercise(
    "ex-07-param-ratio",
    title=N_("the parameter ratio of the 0.5 to the 1.0 MobileNet"),
    hint=N_(
        "count both models with mobilenet_lab and divide the 0.5 model's count by the 1.0 "
        "model's; the α² rule is only an approximation"
    ),
    answer="real",
    # 1,331,592 / 4,231,976 parameters
    cases=(Case(expected=0.31465017760025105, wrong={"rule_of_thumb": 0.25}),),
    abs_tol=5e-4,
    slips=("inverse",),
    messages={
        "rule_of_thumb": N_("0.25 = α² is the rule of thumb, not the count"),
        "inverse": (
            N_("{answer:.3f} is the ratio upside down"),
            N_("the 0.5 MobileNet's count over the 1.0 MobileNet's"),
        ),
        "correct": N_("the 0.5 MobileNet keeps {expected:.3f} of the parameters"),
    },
)


@checker(PARAM_RATIO)
def check_param_ratio(ratio: Any) -> Feedback:
    """Check the parameter ratio of the 0.5 MobileNet to the 1.0 MobileNet."""
    return compare_cases(ratio)
