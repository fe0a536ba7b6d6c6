"""Self-checking exercises: one checker per exercise, grouped by chapter (``ch01``, ``ch02``…).

Every checker returns a :class:`Feedback` and never raises on a wrong or malformed answer. Its
words are translated when it is shown: ``set_language("ko")`` (the one language state of
:mod:`mobilenet_lab.i18n`, re-exported here for the notebooks) shows it in Korean.
"""

from ..i18n import get_language, set_language
from ._feedback import CORRECT, NOT_DONE, WRONG, Feedback

__all__ = ["CORRECT", "NOT_DONE", "WRONG", "Feedback", "get_language", "set_language"]
