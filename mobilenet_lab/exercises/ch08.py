"""Chapter 8 exercises: training on real data."""

from __future__ import annotations

from typing import Any

from ..i18n import N_
from ._core import Case, Exercise, Feedback, call_answer, checker, compare_cases, correct, wrong

POOL_SIZE = Exercise(
    "ex-08-pool-size",
    title=N_("the side of the map that reaches the average pool"),
    hint=N_(
        "a 3×3 convolution with padding 1 and stride 2 turns n pixels into ceil(n / 2), i.e. "
        "(n + 1) // 2; MobileNet v1 has five such layers"
    ),
    kind="function",
    call="pool_size",
    # input side → the side read off the built network
    cases=tuple(
        Case((size,), side)
        for size, side in ((224, 7), (32, 1), (64, 2), (48, 2), (33, 2), (100, 4), (8, 1), (1, 1))
    ),
    messages={
        "correct": N_(
            "224 px reaches the pool as 7×7, 64 px as 2×2 and 32 px as 1×1: at 32 px the five "
            "512-channel blocks see 2×2 maps and the last two layers a single pixel"
        )
    },
)


@checker(POOL_SIZE)
def check_pool_size(pool_size: Any) -> Feedback:
    """Check ``pool_size(input_size)`` against the five stride-2 layers of Table 1."""
    return compare_cases(pool_size)


ACCURACY = Exercise(
    "ex-08-accuracy",
    title=N_("accuracy"),
    hint=N_("count the positions where prediction and label agree, divide by the number of labels"),
    kind="function",
    answer="real",
    call="accuracy",
    # (predictions, labels) → accuracy
    cases=(
        Case(([3, 1, 4, 1, 5], [3, 1, 4, 1, 5]), 1.0),
        Case(([0, 1, 2, 3], [0, 1, 0, 0]), 0.5),
        Case(([7, 7, 7], [1, 2, 3]), 0.0),
        Case(([2, 9, 9, 4, 0, 0, 1, 8], [2, 9, 1, 4, 0, 6, 1, 8]), 0.75),
    ),
    abs_tol=1e-9,
    slips=("percentage",),
    messages={"correct": N_("accuracy = correct predictions / all predictions")},
)


@checker(ACCURACY)
def check_accuracy(accuracy: Any) -> Feedback:
    """Check ``accuracy(predictions, labels)``: a fraction in [0, 1] from two equal-length lists."""
    return compare_cases(accuracy)


CHEAPEST = Exercise(
    "ex-08-cheapest",
    title=N_("the cheapest model that reaches a target"),
    hint=N_(
        "keep only the models whose accuracy is at least the target, then take the one with the "
        "fewest mult-adds; return None when no model reaches the target"
    ),
    kind="function",
    answer="any",
    call="cheapest",
    # (results, target) → the name of the cheapest model reaching the target
    cases=(
        Case(
            (
                [
                    ("conv", 6_200_000, 0.99),
                    ("sep-0.5", 3_000_000, 0.98),
                    ("sep-0.25", 800_000, 0.96),
                ],
                0.975,
            ),
            "sep-0.5",
        ),
        Case(([("a", 10, 0.5), ("b", 5, 0.9), ("c", 20, 0.95)], 0.9), "b"),
        Case(([("a", 10, 0.5), ("b", 5, 0.6)], 0.9), None),
        Case(([("big", 100, 0.97), ("small", 1, 0.97)], 0.97), "small"),
    ),
    messages={
        "correct": N_(
            "the cheapest model that is good enough is the one to deploy, not the most accurate one"
        )
    },
)


@checker(CHEAPEST)
def check_cheapest(cheapest: Any) -> Feedback:
    """Check ``cheapest(results, target)``: the name of the cheapest model reaching ``target``."""
    return compare_cases(cheapest)


CHOOSE_LR = Exercise(
    "ex-08-choose-lr",
    title=N_("the learning rate to train with"),
    hint=N_(
        "compare the learning rates on the split that training never saw, the validation split; "
        "return the key of the winner"
    ),
    kind="function",
    # a sweep (learning rate → final (train, val) accuracies) → the right choice; the best
    # training accuracy is never the right choice here
    cases=tuple(
        Case(({lr: {"train": train, "val": val} for lr, train, val in sweep},), best)
        for sweep, best in (
            (((0.005, 0.80, 0.78), (0.05, 0.95, 0.93), (0.5, 0.99, 0.90)), 0.05),
            (((0.001, 0.60, 0.61), (0.03, 0.97, 0.90), (0.3, 0.93, 0.94)), 0.3),
            (((0.01, 0.99, 0.96), (0.1, 0.96, 0.95), (1.0, 0.10, 0.10)), 0.01),
        )
    ),
    messages={
        "by_training": N_(
            "for {sweep} you chose {answer!r}, the best *training* accuracy; training accuracy "
            "rewards memorising the training images"
        ),
        "not_a_rate": N_(
            "choose_lr returned {answer!r}, which is not one of the learning rates tried ({rates})"
        ),
        "not_best": N_(
            "for {sweep} you chose {answer!r}, whose validation accuracy is not the best"
        ),
        "correct": N_(
            "choose on the validation split, then look at the test set once, for the chosen "
            "setting only"
        ),
    },
)


def _own_sweep(sweep: Any) -> list[Case]:
    """The chapter's own sweep as one more case, when the check cell passes it."""
    if not isinstance(sweep, dict) or not sweep:
        return []
    if not all(isinstance(v, dict) and "val" in v for v in sweep.values()):
        return []
    best = max(v["val"] for v in sweep.values())
    return [Case((sweep,), next(lr for lr, v in sweep.items() if v["val"] == best))]


@checker(CHOOSE_LR)
def check_choose_lr(choose_lr: Any, sweep: Any = None) -> Feedback:
    """Check ``choose_lr(sweep)``: the learning rate with the best validation accuracy.

    ``sweep`` (optional) is the chapter's own sweep, checked as well."""
    for case in [*CHOOSE_LR.cases, *_own_sweep(sweep)]:
        (rates,), expected = case.args, case.expected
        got = call_answer(choose_lr, {lr: dict(v) for lr, v in rates.items()})
        if got in rates and rates[got]["val"] == rates[expected]["val"]:
            continue  # a tie on the validation split: either is right
        if got not in rates:
            return wrong("not_a_rate", answer=got, rates=", ".join(map(str, rates)))
        by_training = max(rates, key=lambda lr: rates[lr]["train"])
        return wrong("by_training" if got == by_training else "not_best", sweep=rates, answer=got)
    return correct()
