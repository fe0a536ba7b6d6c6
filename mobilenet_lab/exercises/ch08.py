"""Chapter 8 exercises: training on real data."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from ._core import call_answer, checker, correct, wrong

EX_POOL = "ex-08-pool-size"
EX_ACCURACY = "ex-08-accuracy"
EX_CHEAPEST = "ex-08-cheapest"

_POOL_HINT = (
    "a 3×3 convolution with padding 1 and stride 2 turns n pixels into ceil(n / 2), i.e. "
    "(n + 1) // 2; MobileNet v1 has five such layers"
)


#: (input side, side of the map that reaches the average pool), read off the built network;
#: the checker holds answers for these inputs only, never a function a student could call
_POOL_CASES = ((224, 7), (32, 1), (64, 2), (48, 2), (33, 2), (100, 4), (8, 1), (1, 1))


@checker(EX_POOL, _POOL_HINT)
def check_pool_size(pool_size: Any) -> Any:
    """Check ``pool_size(input_size)`` against the five stride-2 layers of Table 1."""
    for size, expected in _POOL_CASES:
        got = call_answer(pool_size, size)
        if isinstance(got, bool) or not isinstance(got, Real) or not float(got).is_integer():
            return wrong(
                EX_POOL, f"pool_size({size}) should be a whole number, got {got!r}", _POOL_HINT
            )
        if int(got) != expected:
            direction = "too high" if got > expected else "too low"
            return wrong(EX_POOL, f"pool_size({size}) = {got} is {direction}", _POOL_HINT)
    return correct(
        EX_POOL,
        "224 px reaches the pool as 7×7, 64 px as 2×2 and 32 px as 1×1: at 32 px the five "
        "512-channel blocks see 2×2 maps and the last two layers a single pixel",
    )


_ACC_HINT = "count the positions where prediction and label agree, divide by the number of labels"


#: (predictions, labels, accuracy)
_ACC_CASES: list[tuple[list[int], list[int], float]] = [
    ([3, 1, 4, 1, 5], [3, 1, 4, 1, 5], 1.0),
    ([0, 1, 2, 3], [0, 1, 0, 0], 0.5),
    ([7, 7, 7], [1, 2, 3], 0.0),
    ([2, 9, 9, 4, 0, 0, 1, 8], [2, 9, 1, 4, 0, 6, 1, 8], 0.75),
]


@checker(EX_ACCURACY, _ACC_HINT)
def check_accuracy(accuracy: Any) -> Any:
    """Check ``accuracy(predictions, labels)``: a fraction in [0, 1] from two equal-length lists."""
    for predictions, labels, expected in _ACC_CASES:
        got = call_answer(accuracy, list(predictions), list(labels))
        if hasattr(got, "item") and callable(got.item):
            got = got.item()  # a 0-d tensor or NumPy scalar is fine
        if isinstance(got, bool) or not isinstance(got, Real) or math.isnan(float(got)):
            return wrong(EX_ACCURACY, f"accuracy should return a number, got {got!r}", _ACC_HINT)
        got = float(got)
        if math.isclose(got, 100 * expected) and expected > 0:
            return wrong(
                EX_ACCURACY,
                f"{got} looks like a percentage; return a fraction between 0 and 1",
                _ACC_HINT,
            )
        if not math.isclose(got, expected, abs_tol=1e-9):
            return wrong(
                EX_ACCURACY,
                f"accuracy({predictions}, {labels}) = {got:.4g}, expected {expected:.4g}",
                _ACC_HINT,
            )
    return correct(EX_ACCURACY, "accuracy = correct predictions / all predictions")


_CHEAP_HINT = (
    "keep only the models whose accuracy is at least the target, then take the one with the "
    "fewest mult-adds; return None when no model reaches the target"
)

_CHEAP_CASES: list[tuple[list[tuple[str, int, float]], float, Any]] = [
    (
        [("conv", 6_200_000, 0.99), ("sep-0.5", 3_000_000, 0.98), ("sep-0.25", 800_000, 0.96)],
        0.975,
        "sep-0.5",
    ),
    ([("a", 10, 0.5), ("b", 5, 0.9), ("c", 20, 0.95)], 0.9, "b"),
    ([("a", 10, 0.5), ("b", 5, 0.6)], 0.9, None),
    ([("big", 100, 0.97), ("small", 1, 0.97)], 0.97, "small"),
]


@checker(EX_CHEAPEST, _CHEAP_HINT)
def check_cheapest(cheapest: Any) -> Any:
    """Check ``cheapest(results, target)``: the name of the cheapest model reaching ``target``."""
    for results, target, expected in _CHEAP_CASES:
        got = call_answer(cheapest, [tuple(r) for r in results], target)
        if got != expected:
            return wrong(
                EX_CHEAPEST,
                f"cheapest({results}, {target}) returned {got!r}, expected {expected!r}",
                _CHEAP_HINT,
            )
    return correct(
        EX_CHEAPEST,
        "the cheapest model that is good enough is the one to deploy, not the most accurate one",
    )


EX_CHOOSE_LR = "ex-08-choose-lr"

_LR_HINT = (
    "compare the learning rates on the split that training never saw, the validation split; "
    "return the key of the winner"
)

#: (sweep, the right choice): the best training accuracy is never the right choice here
_LR_CASES: list[tuple[dict[float, dict[str, float]], float]] = [
    (
        {
            0.005: {"train": 0.80, "val": 0.78},
            0.05: {"train": 0.95, "val": 0.93},
            0.5: {"train": 0.99, "val": 0.90},
        },
        0.05,
    ),
    (
        {
            0.001: {"train": 0.60, "val": 0.61},
            0.03: {"train": 0.97, "val": 0.90},
            0.3: {"train": 0.93, "val": 0.94},
        },
        0.3,
    ),
    (
        {
            0.01: {"train": 0.99, "val": 0.96},
            0.1: {"train": 0.96, "val": 0.95},
            1.0: {"train": 0.10, "val": 0.10},
        },
        0.01,
    ),
]


@checker(EX_CHOOSE_LR, _LR_HINT)
def check_choose_lr(choose_lr: Any, sweep: Any = None) -> Any:
    """Check ``choose_lr(sweep)``: the learning rate with the best validation accuracy.

    ``sweep`` (optional) is the chapter's own sweep, checked as well."""
    cases = list(_LR_CASES)
    if (
        isinstance(sweep, dict)
        and sweep
        and all(isinstance(v, dict) and "val" in v for v in sweep.values())
    ):
        best = max(v["val"] for v in sweep.values())
        cases.append((sweep, next(lr for lr, v in sweep.items() if v["val"] == best)))
    for case, expected in cases:
        got = call_answer(choose_lr, {lr: dict(v) for lr, v in case.items()})
        if got in case and case[got]["val"] == case[expected]["val"]:
            continue  # a tie on the validation split: either is right
        by_train = max(case, key=lambda lr: case[lr]["train"])
        if got == by_train:
            return wrong(
                EX_CHOOSE_LR,
                f"for {case} you chose {got!r}, the best *training* accuracy; training accuracy "
                "rewards memorising the training images",
                _LR_HINT,
            )
        if got not in case:
            return wrong(
                EX_CHOOSE_LR,
                f"choose_lr returned {got!r}, which is not one of the learning rates tried "
                f"({', '.join(map(str, case))})",
                _LR_HINT,
            )
        return wrong(
            EX_CHOOSE_LR,
            f"for {case} you chose {got!r}, whose validation accuracy is not the best",
            _LR_HINT,
        )
    return correct(
        EX_CHOOSE_LR,
        "choose on the validation split, then look at the test set once, for the chosen "
        "setting only",
    )
