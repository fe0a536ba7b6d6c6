"""A clean torchinfo summary for readers.

torchinfo 1.8.0 on Python 3.11 prints ``Total mult-adds (Units.GIGABYTES)`` instead of ``(G)``;
:func:`summary_text` fixes the units so the book shows what torchinfo meant.
"""

from __future__ import annotations

import re

from torch import nn

from ._validation import check_input_size

_UNITS = {"GIGABYTES": "G", "MEGABYTES": "M", "KILOBYTES": "K", "TERABYTES": "T", "NONE": ""}


def clean_units(text: str) -> str:
    """Replace torchinfo's ``(Units.GIGABYTES)`` style labels with ``(G)``."""
    return re.sub(r"\(Units\.(\w+)\)", lambda m: f"({_UNITS.get(m.group(1), m.group(1))})", text)


def summary_text(
    model: nn.Module,
    input_size: tuple[int, int, int, int] = (1, 3, 224, 224),
    *,
    depth: int = 3,
    **kwargs: object,
) -> str:
    """torchinfo's summary of ``model`` as a string, with clean units (runs on the CPU)."""
    from torchinfo import summary

    input_size = check_input_size("input_size", input_size)
    stats = summary(model, input_size=input_size, depth=depth, device="cpu", verbose=0, **kwargs)
    return clean_units(str(stats))
