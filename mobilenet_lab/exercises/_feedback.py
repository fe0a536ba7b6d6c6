"""What a check answers: a :class:`Feedback`, translated when it is shown.

A checker returns a ``Feedback``; shown as the last expression of a cell it prints a friendly
message, and ``bool()`` of it says whether the answer is right. The message and the hint are kept
as English gettext messages with their values (``"{answer:,} is too high"``, ``answer=12_801``)
and translated each time the feedback is shown, so ``set_language("ko")`` after a check still
applies. A translation that cannot be filled in falls back to English: showing never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, Message, tr

CORRECT, WRONG, NOT_DONE = "correct", "wrong", "not done"
MARKS = {CORRECT: N_("✅ Correct"), WRONG: N_("❌ Not quite"), NOT_DONE: N_("⏳ Not done yet")}
HINT = N_("Hint")


def _show(message: Message) -> str:
    """``message`` in the current language; in English if its translation cannot be filled in."""
    for show in (message.__str__, lambda: message.in_language("en")):
        try:
            return show()
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            continue
    return f"{message.text} {dict(message.values)!r}"


@dataclass(frozen=True)
class Feedback:
    """The outcome of one check: ``status`` is ``"correct"``, ``"wrong"`` or ``"not done"``;
    ``text`` and ``hint_text`` are English messages, ``values`` fill in ``text``."""

    exercise: str
    status: str
    text: str
    values: Mapping[str, Any] = field(default_factory=dict)
    hint_text: str = ""

    @property
    def message(self) -> str:
        """The message in the current language."""
        return _show(Message(self.text, self.values))

    @property
    def hint(self) -> str:
        """The hint in the current language ("" when there is none)."""
        return _show(Message(self.hint_text)) if self.hint_text else ""

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        text = f"{tr(MARKS[self.status])} [{self.exercise}]: {self.message}"
        if self.hint_text and self.status != CORRECT:
            text += f"\n   {tr(HINT)}: {self.hint}"
        return text

    __str__ = __repr__
