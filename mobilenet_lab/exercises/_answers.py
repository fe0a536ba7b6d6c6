"""Reading a reader's answer: one number parser, and one reader per kind of answer.

``as_number`` is the one place that decides what counts as a number: ints and floats, NumPy and
torch scalars and one-element arrays or tensors; never ``bool`` or NaN; a float without a
fractional part is a whole number. A reader returns the answer in plain Python, or UNREADABLE.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

UNREADABLE = object()


def _scalar(value: Any) -> Any:
    """A NumPy or torch scalar, or a one-element array or tensor, as a Python value."""
    if isinstance(value, (numbers.Number, str)) or not callable(getattr(value, "item", None)):
        return value
    numel = getattr(value, "numel", None)
    return (
        value.item() if (numel() if callable(numel) else getattr(value, "size", 1)) == 1 else value
    )


def as_number(value: Any) -> int | float | None:
    """``value`` as an ``int`` (integral floats too) or a ``float``; ``None`` if not a number."""
    value = _scalar(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    number = float(value)
    return None if math.isnan(number) else int(number) if number.is_integer() else number


def _pair(value: Any) -> Any:
    pair = tuple(map(as_number, value)) if isinstance(value, (tuple, list)) else ()
    return pair if len(pair) == 2 and all(isinstance(v, int) for v in pair) else UNREADABLE


def _number(value: Any) -> Any:
    number = as_number(value)
    return UNREADABLE if number is None else number


#: How each kind of answer is read. A "whole" answer with a fractional part is read as a number
#: and told "not a whole number" only after the known mistakes (it may be one of them).
READERS: dict[str, Callable[[Any], Any]] = {
    "whole": _number,
    "real": _number,
    "bool": lambda value: _scalar(value) if isinstance(_scalar(value), bool) else UNREADABLE,
    "str": lambda value: value if isinstance(value, str) else UNREADABLE,
    "pair": _pair,
    "any": lambda value: value,
}


def shown(value: Any, width: int = 60) -> str:
    """A short, one-line ``repr`` of an answer, for a message."""
    text = " ".join(repr(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
