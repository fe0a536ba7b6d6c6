"""Exercises as data, and the one way they are checked.

An :class:`Exercise` is a record (written in ``chNN.toml``, read by :mod:`._records`): its id,
title and hint, its kind (``value``: the reader gives a number; ``function``: a function the
checker calls on its cases; ``module``: a function that builds a network the checker inspects),
how an answer is read (:data:`READERS`), its :class:`Case` s with their expected and known wrong
answers, a tolerance, typical slips (:data:`SLIPS`) and its messages by key. A standard checker
compares the answer with the cases (:func:`compare_cases`); one with logic of its own calls
:func:`wrong` and :func:`correct` with a message key. The :func:`checker` decorator supplies the
exercise, so no check repeats its id or hint, and keeps the checkers' promise: a stub (``None``,
``...``, ``NotImplementedError``) is "not done yet", and an answer that raises is "not quite",
never an error.

Messages are English gettext messages with named ``str.format`` placeholders: ``what`` (the case,
e.g. ``pool_size(33)``, or the exercise's title), ``answer``, ``expected``, ``shown`` (a short
``repr`` of the answer) and the case's ``facts``; they are translated when shown.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, Message
from ._answers import READERS, UNREADABLE, as_number, shown
from ._feedback import CORRECT, NOT_DONE, WRONG, Feedback

__all__ = ["CORRECT", "NOT_DONE", "WRONG", "Case", "Exercise", "Feedback", "as_number"]

KINDS = ("value", "function", "module")
#: Typical slips, named by how the answer relates to the expected value (never the answer itself).
SLIPS: dict[str, Callable[[float, float, Callable[[float, float], bool]], bool]] = {
    "percentage": lambda got, want, close: want != 0 and close(got, 100 * want),
    "inverse": lambda got, want, close: want != 0 and close(got, 1 / want),
    "complement": lambda got, want, close: close(got, 1 - want),
    "millions": lambda got, want, close: got > 0 and math.isclose(got * 1e6, want, rel_tol=0.05),
    "near": lambda got, want, close: math.isclose(got, want, rel_tol=0.02),
}
#: The messages every exercise has, unless its own ``messages`` say otherwise.
DEFAULTS: dict[str, str] = {
    "not_done": N_("replace the stub (None, ... or NotImplementedError) with your answer"),
    "raised": N_("your answer raised {error}"),
    "not_function": N_("expected a function, got {type}"),
    "correct": N_("right for every case tried"),
    "correct_value": N_("{what} = {expected:,}"),
    "not_whole": N_("{what} should be a whole number, got {shown}"),
    "not_real": N_("{what} should be a number, got {shown}"),
    "not_bool": N_("{what} should be True or False, got {shown}"),
    "not_str": N_("{what} should be a str, got {shown}"),
    "not_pair": N_("{what} should be a pair of whole numbers, got {shown}"),
    "not_module": N_("{what} should return a torch.nn.Module, got {type}"),
    "too_high": N_("{what}: {answer:,} is too high"),
    "too_low": N_("{what}: {answer:,} is too low"),
    "unexpected": N_("{what} = {shown}, expected {expected!r}"),
    "unexpected_real": N_("{what} = {answer:.4g}, expected {expected:.4g}"),
    "percentage": N_("{what} = {answer:.4g} looks like a percentage: give a fraction from 0 to 1"),
    "inverse": N_("{what}: {answer:.4g} is the ratio upside down (its inverse)"),
    "millions": N_("{what} = {answer:,}: give the count itself, not millions"),
    # mistakes several exercises share
    "batchnorm": N_("{answer:,} includes BatchNorm; count the conv's weights only"),
    "bias": N_("{answer:,} includes a bias, but this conv has none (bias=False)"),
}


@dataclass(frozen=True)
class Case:
    """One input of an exercise (``args``) and the expected answer for it. ``wrong`` names known
    mistakes and the wrong value each gives here (a set: any of these); ``facts`` are more values
    its messages may show."""

    args: tuple = ()
    expected: Any = None
    wrong: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exercise:
    """One exercise as data (see the module's docstring)."""

    id: str
    title: str
    hint: str = ""
    kind: str = "value"
    answer: str = "whole"
    cases: tuple[Case, ...] = ()
    call: str = ""  # how a case is shown: "pool_size" → pool_size(33), or "f(k={}, n={})"
    rel_tol: float = 1e-9
    abs_tol: float = 0.0
    slips: tuple[str, ...] = ()
    # a message, or (message, hint): a hint shown instead of the exercise's
    messages: Mapping[str, str | tuple[str, str]] = field(default_factory=dict)
    checker: str = ""  # the public checker's name, check_…
    doc: str = ""  # a standard checker's docstring

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("kind", self.kind, KINDS),
            ("answer", self.answer, tuple(READERS)),
            ("slips", self.slips, tuple(SLIPS)),
        ):
            if not set([value] if isinstance(value, str) else value) <= set(allowed):
                raise ValueError(f"{name} must be among {', '.join(allowed)}, got {value!r}")

    def message(self, key: str) -> tuple[str, str]:
        """The message under ``key`` and the hint shown with it."""
        entry = self.messages.get(key) or DEFAULTS[key]
        return entry if isinstance(entry, tuple) else (entry, self.hint)

    def what(self, case: Case) -> str | Message:
        """How ``case`` is named in a message: the call, or (a value) the exercise's title."""
        if self.kind == "value":
            return Message(self.title)
        args = [repr(arg) for arg in case.args]
        return self.call.format(*args) if "{}" in self.call else f"{self.call}({', '.join(args)})"

    def same(self, got: Any, want: Any) -> bool:
        """Whether ``got`` (read) is ``want``: within the tolerance for real numbers."""
        if self.answer == "real":
            return math.isclose(got, want, rel_tol=self.rel_tol, abs_tol=self.abs_tol)
        try:
            return bool(got == want)
        except Exception:  # an array compared element by element, say
            return False


_current: contextvars.ContextVar[Exercise] = contextvars.ContextVar("exercise")


class _Verdict(Exception):
    """Ends a check early with ``feedback`` (a stub, or an answer that is not a function)."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.text)
        self.feedback = feedback


def _feedback(status: str, key: str, values: Mapping[str, Any]) -> Feedback:
    exercise = _current.get()
    text, hint = exercise.message(key)
    return Feedback(exercise.id, status, text, dict(values), hint)


def wrong(key: str, **values: Any) -> Feedback:
    """Feedback "not quite": the current exercise's message ``key``, with its hint."""
    return _feedback(WRONG, key, values)


def correct(key: str = "correct", **values: Any) -> Feedback:
    """Feedback "correct": the current exercise's message ``key``."""
    return _feedback(CORRECT, key, values)


def is_stub(answer: Any) -> bool:
    """True for answers the reader has not written yet: ``None`` or ``...``."""
    return answer is None or answer is Ellipsis


def call_answer(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the reader's function; a stub (``NotImplementedError``) means "not done yet"."""
    if is_stub(fn):
        raise _Verdict(_feedback(NOT_DONE, "not_done", {}))
    if not callable(fn):
        raise _Verdict(wrong("not_function", type=type(fn).__name__))
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise _Verdict(_feedback(NOT_DONE, "not_done", {})) from None


def checker(exercise: Exercise) -> Callable[[Callable[..., Feedback]], Callable[..., Feedback]]:
    """Make ``check`` the checker of ``exercise``: it runs with the exercise as the current one,
    a stub is "not done yet" and an error in the answer a message, never an exception."""

    def decorate(check: Callable[..., Feedback]) -> Callable[..., Feedback]:
        if exercise.checker not in ("", check.__name__):
            raise ValueError(
                f"{exercise.id}: its checker is {exercise.checker}, not {check.__name__}"
            )

        @functools.wraps(check)
        def wrapper(*args: Any, **kwargs: Any) -> Feedback:
            token = _current.set(exercise)
            try:
                if args and is_stub(args[0]):
                    return _feedback(NOT_DONE, "not_done", {})
                return check(*args, **kwargs)
            except _Verdict as verdict:
                return verdict.feedback
            except Exception as err:  # a malformed answer must never crash the notebook
                return wrong("raised", error=f"{type(err).__name__}: {err}")
            finally:
                _current.reset(token)

        wrapper.exercise = exercise.id  # type: ignore[attr-defined]
        wrapper.record = exercise  # type: ignore[attr-defined]
        return wrapper

    return decorate


def compare_cases(answer: Any) -> Feedback:
    """The current exercise's standard check: a value (or a function of no arguments giving it),
    or a function called on every case, compared with the expected answers."""
    exercise = _current.get()
    if exercise.kind == "value":
        answers = [call_answer(answer) if callable(answer) else answer]
    else:
        answers = [call_answer(answer, *copy.deepcopy(case.args)) for case in exercise.cases]
    return judge(answers, exercise.cases)


def judge(
    answers: Sequence[Any], cases: Sequence[Case], whats: Sequence[Any] | None = None
) -> Feedback:
    """Compare ``answers`` (one per case) with ``cases``: the first wrong one is explained by a
    known mistake, a slip, or the generic message of the exercise's kind of answer. ``whats``
    name the cases in messages (by default :meth:`Exercise.what`)."""
    exercise = _current.get()
    whats = [exercise.what(case) for case in cases] if whats is None else whats
    read = []
    for answer, what in zip(answers, whats):
        value = READERS[exercise.answer](answer)
        if value is UNREADABLE:
            return wrong(f"not_{exercise.answer}", what=what, shown=shown(answer))
        read.append(value)
    for index, (value, case) in enumerate(zip(read, cases)):
        if not exercise.same(value, case.expected):
            key = _explain(read, cases, index)
            values = {"what": whats[index], "answer": value, "shown": shown(value)}
            return wrong(key, expected=case.expected, **values, **case.facts)
    value = exercise.kind == "value" and "correct" not in exercise.messages
    return correct(
        "correct_value" if value else "correct", what=whats[0], expected=cases[0].expected
    )


def _fits(exercise: Exercise, value: Any, listed: Any) -> bool:
    options = listed if isinstance(listed, (set, frozenset)) else (listed,)
    return any(exercise.same(value, option) for option in options)


def _explain(read: list[Any], cases: Sequence[Case], index: int) -> str:
    """The message key for the wrong answer at ``index``. A known mistake is named when it gives
    every answer (where it lists no value it gives the right one), or when it is the only one
    that gives this answer; then a slip; then the generic message."""
    exercise, value, case = _current.get(), read[index], cases[index]
    known = [key for key, listed in case.wrong.items() if _fits(exercise, value, listed)]
    everywhere = [
        key
        for key in known
        if all(_fits(exercise, v, c.wrong.get(key, c.expected)) for v, c in zip(read, cases))
    ]
    if everywhere or len(known) == 1:
        return (everywhere or known)[0]
    numeric = exercise.answer in ("whole", "real")
    for slip in exercise.slips if numeric else ():
        if SLIPS[slip](value, case.expected, exercise.same):
            return slip
    if exercise.answer == "whole" and not isinstance(value, int):
        return "not_whole"
    if exercise.answer == "whole" or (numeric and exercise.kind == "value"):
        return "too_high" if value > case.expected else "too_low"
    return "unexpected_real" if numeric else "unexpected"
