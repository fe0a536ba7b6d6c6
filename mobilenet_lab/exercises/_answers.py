"""Reading a reader's answer: one number parser, and one reader per kind of answer.

``as_number`` is the one place that decides what counts as a number: ints and floats, NumPy and
torch scalars (and one-element arrays or tensors); ``bool`` and NaN are not numbers, and a float
with no fractional part is a whole number. A reader returns the answer in plain Python, or
``UNREADABLE``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

UNREADABLE = object()


def _scalar(value: Any) -> Any:
    """A NumPy or torch scalar, or a one-element array or tensor, as a Python value."""
    if isinstance(value, (numbers.Number, str)) or not callable(getattr(value, "item", None)):
        return value
    numel = getattr(value, "numel", None)
    size = numel() if callable(numel) else getattr(value, "size", 1)
    return value.item() if size == 1 else value


def as_number(value: Any) -> int | float | None:
    """``value`` as an ``int`` (whole numbers, integral floats too) or a ``float``; ``None`` when it
    is not a number (``bool``, NaN, text, a sequence, a tensor of several values…)."""
    value = _scalar(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    number = float(value)
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else number


def _number(value: Any) -> Any:
    number = as_number(value)
    return UNREADABLE if number is None else number


def _bool(value: Any) -> Any:
    value = _scalar(value)
    return value if isinstance(value, bool) else UNREADABLE


def _text(value: Any) -> Any:
    return value if isinstance(value, str) else UNREADABLE


def _pair(value: Any) -> Any:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return UNREADABLE
    pair = tuple(as_number(v) for v in value)
    return pair if all(isinstance(v, int) for v in pair) else UNREADABLE


#: How each kind of answer is read; "whole" answers are checked for a fractional part only after
#: the known mistakes (``2.5`` may be a known slip before it is "not a whole number").
READERS: dict[str, Callable[[Any], Any]] = {
    "whole": _number,
    "real": _number,
    "bool": _bool,
    "str": _text,
    "pair": _pair,
    "any": lambda value: value,
}


def shown(value: Any, width: int = 60) -> str:
    """A short, one-line ``repr`` of an answer, for a message."""
    text = " ".join(repr(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
