"""Self-checking exercises: one checker per exercise, grouped by chapter (``ch01``, ``ch02``…).

Every checker returns a :class:`Feedback` and never raises on a wrong or malformed answer.
``set_language("ko")`` shows the feedback in Korean (``_messages.py`` holds the translations).
"""

from ._core import CORRECT, NOT_DONE, WRONG, Feedback, get_language, set_language

__all__ = ["CORRECT", "NOT_DONE", "WRONG", "Feedback", "get_language", "set_language"]
