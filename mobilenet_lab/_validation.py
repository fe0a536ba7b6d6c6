"""Argument checks shared by the public API: clear errors at the boundary."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` if it is an int >= 1, else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int (>= 1), got {value!r}")
    return int(value)


def check_positive_real(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a finite number > 0, got {type(value).__name__} {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise naming the choices."""
    allowed = tuple(allowed)
    if isinstance(value, bool) or value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {choices}; got {value!r}")
    return value


def check_probability(name: str, value: Any) -> float:
    """Return ``value`` as a float if it lies in [0, 1), else raise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {type(value).__name__} {value!r}")
    value = float(value)
    if math.isnan(value) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return value


def check_input_size(name: str, value: Any) -> tuple[int, int, int, int]:
    """Return ``value`` as ``(B, C, H, W)`` of positive ints, else raise."""
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise ValueError(f"{name} must be a tuple (B, C, H, W) of 4 positive ints, got {value!r}")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, Integral) or v < 1:
            raise ValueError(
                f"{name} must be a tuple (B, C, H, W) of 4 positive ints, got {value!r}"
            )
    return tuple(int(v) for v in value)  # type: ignore[return-value]
