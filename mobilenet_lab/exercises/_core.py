"""The feedback mechanism every exercise checker uses.

A checker takes the reader's answer (a value, or a function the checker calls) and returns a
:class:`Feedback`: shown as the last expression of a cell it prints a friendly message; ``bool()``
of it says whether the answer is right. Checkers never raise on a wrong or malformed answer: a stub
that is still ``None``/``...`` or raises ``NotImplementedError`` is "not done yet", any other
error becomes a message.

Messages are written in English and shown in the chosen language: ``set_language("ko")`` (or the
environment variable ``MOBILENET_LAB_LANG=ko``) makes every check speak Korean; the translations
live in ``_messages.py``, the one place that holds the checkers' words in both languages.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any, Callable

from . import _messages

CORRECT, WRONG, NOT_DONE = "correct", "wrong", "not done"
LANGUAGES = tuple(_messages.MARKS)
_language = {"code": os.environ.get("MOBILENET_LAB_LANG", "en")}


def set_language(code: str) -> None:
    """Show every checker's feedback in ``code`` ("en" or "ko") from now on."""
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {code!r}")
    _language["code"] = code


def get_language() -> str:
    """The language feedback is shown in ("en" unless set_language or MOBILENET_LAB_LANG)."""
    code = _language["code"]
    return code if code in LANGUAGES else "en"


@dataclass(frozen=True)
class Feedback:
    """The outcome of one check: ``status`` is ``"correct"``, ``"wrong"`` or ``"not done"``."""

    exercise: str
    status: str
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        language = get_language()
        mark = _messages.MARKS[language][self.status]
        text = f"{mark} [{self.exercise}]: {_messages.translate(self.message, language)}"
        if self.hint and self.status != CORRECT:
            hint = _messages.translate(self.hint, language)
            text += f"\n   {_messages.HINT[language]}: {hint}"
        return text

    __str__ = __repr__


def correct(exercise: str, message: str) -> Feedback:
    return Feedback(exercise, CORRECT, message)


def wrong(exercise: str, message: str, hint: str = "") -> Feedback:
    return Feedback(exercise, WRONG, message, hint)


def not_done(exercise: str, hint: str = "") -> Feedback:
    return Feedback(
        exercise,
        NOT_DONE,
        "replace the stub (None, ... or NotImplementedError) with your answer",
        hint,
    )


class _NotDone(Exception):
    """Raised inside a checker when the reader's answer is still a stub."""


def is_stub(answer: Any) -> bool:
    """True for answers the reader has not written yet: ``None`` or ``...``."""
    return answer is None or answer is Ellipsis


def call_answer(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the reader's function; a stub (``NotImplementedError``, ``None``) means not done yet."""
    if is_stub(fn):
        raise _NotDone
    if not callable(fn):
        raise TypeError(f"expected a function, got {type(fn).__name__}")
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise _NotDone from None
    return result


def checker(
    exercise: str, hint: str = ""
) -> Callable[[Callable[..., Feedback]], Callable[..., Feedback]]:
    """Decorate a checker: stubs become "not done yet", unexpected errors become a message."""

    def decorate(check: Callable[..., Feedback]) -> Callable[..., Feedback]:
        @functools.wraps(check)
        def wrapper(*args: Any, **kwargs: Any) -> Feedback:
            if args and is_stub(args[0]):
                return not_done(exercise, hint)
            try:
                return check(*args, **kwargs)
            except _NotDone:
                return not_done(exercise, hint)
            except Exception as err:  # a malformed answer must never crash the notebook
                return wrong(exercise, f"your answer raised {type(err).__name__}: {err}", hint)

        wrapper.exercise = exercise  # type: ignore[attr-defined]
        return wrapper

    return decorate


def expect_int(exercise: str, answer: Any, expected: int, what: str, hint: str = "") -> Feedback:
    """Compare an integer answer, with a friendly word on type and direction."""
    if isinstance(answer, bool) or not isinstance(answer, int):
        try:
            import numbers

            if isinstance(answer, numbers.Real) and float(answer).is_integer():
                answer = int(answer)
            else:
                raise TypeError
        except (TypeError, ValueError):
            return wrong(exercise, f"{what} should be a whole number, got {answer!r}", hint)
    if answer == expected:
        return correct(exercise, f"{what} = {expected:,}")
    direction = "too high" if answer > expected else "too low"
    return wrong(exercise, f"{what}: {answer:,} is {direction}", hint)
