"""Chapter 8 exercises: training on real data (records: ``ch08.toml``)."""

from __future__ import annotations

from typing import Any

from ._core import Feedback, call_answer, checker, correct, wrong
from ._records import record, standard_checker

check_pool_size = standard_checker("ex-08-pool-size")
check_accuracy = standard_checker("ex-08-accuracy")
check_cheapest = standard_checker("ex-08-cheapest")
CHOOSE_LR = record("ex-08-choose-lr")


def _sweeps(sweep: Any) -> list[tuple[dict, Any]]:
    """The record's sweeps (learning rates as floats: TOML's keys are strings) and the chapter's
    own sweep, when the check cell passes it, each with the right choice."""
    sweeps = [({float(lr): v for lr, v in c.args[0].items()}, c.expected) for c in CHOOSE_LR.cases]
    if not isinstance(sweep, dict) or not sweep:
        return sweeps
    if not all(isinstance(v, dict) and "val" in v for v in sweep.values()):
        return sweeps
    best = max(v["val"] for v in sweep.values())
    return [*sweeps, (sweep, next(lr for lr, v in sweep.items() if v["val"] == best))]


@checker(CHOOSE_LR)
def check_choose_lr(choose_lr: Any, sweep: Any = None) -> Feedback:
    """Check ``choose_lr(sweep)``: the learning rate with the best validation accuracy.

    ``sweep`` (optional) is the chapter's own sweep, checked as well."""
    for rates, expected in _sweeps(sweep):
        got = call_answer(choose_lr, {lr: dict(v) for lr, v in rates.items()})
        if got in rates and rates[got]["val"] == rates[expected]["val"]:
            continue  # a tie on the validation split: either is right
        if got not in rates:
            return wrong("not_a_rate", answer=got, rates=", ".join(map(str, rates)))
        by_training = max(rates, key=lambda lr: rates[lr]["train"])
        return wrong("by_training" if got == by_training else "not_best", sweep=rates, answer=got)
    return correct()
