"""What the book's notebook cells hold: their tags, their code, and which ones are check cells.

A notebook cell is read as a plain dict (``nbformat`` nodes are dicts too), so these work on
the committed JSON and on ``nbformat`` notebooks alike.
"""

from __future__ import annotations

import ast
from typing import Any

CHECK_PREFIX = "check_"  # an exercise's checker: check_conv_params(conv_params)
SOLUTION = "solution"  # the tag of an exercise's solution cell
BOOK_ONLY = "book-only"  # a book cell that only glues, which a run puts back but no edition shows
SKIP_GRADING = "skip-grading"  # the tag of a cell the autograder skips (booktools.dataflow)


def tags(cell: dict[str, Any]) -> list[str]:
    """The cell's tags (an empty list when it has none)."""
    return cell.get("metadata", {}).get("tags", [])


def source(cell: dict[str, Any]) -> str:
    """The cell's source as one string (the committed JSON may hold a list of lines)."""
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def parse(code: str) -> ast.Module | None:
    """A code cell's AST (``None`` for cells with IPython magics or shell lines)."""
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def checker_name(cell: dict[str, Any]) -> str | None:
    """The checker a check cell calls as its last expression (``"check_conv_params"``), or None
    for every other cell (solution cells included)."""
    if cell.get("cell_type") != "code" or SOLUTION in tags(cell):
        return None
    tree = parse(source(cell))
    last = tree.body[-1] if tree is not None and tree.body else None
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        name = getattr(last.value.func, "id", "")
        if name.startswith(CHECK_PREFIX):
            return name
    return None


def is_check(cell: dict[str, Any]) -> bool:
    """A check cell: its last expression calls an exercise's checker."""
    return checker_name(cell) is not None
