"""Self-checking exercises: one checker per exercise, grouped by chapter (``ch01``, ``ch02``…).

Every checker returns a :class:`Feedback` and never raises on a wrong or malformed answer.
"""

from ._core import CORRECT, NOT_DONE, WRONG, Feedback

__all__ = ["CORRECT", "NOT_DONE", "WRONG", "Feedback"]
