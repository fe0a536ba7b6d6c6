"""Refresh the committed output of every chapter's quiz cell without re-executing the chapter.

A quiz cell (``show_quiz("chNN")``) embeds the quiz as it is when the chapter ran, in every
language; after a quiz or its translation changes, ``python -m booktools.quiz_outputs`` runs each
quiz cell alone in a fresh kernel and puts its outputs into the committed notebook
(``tests/test_quiz.py`` fails while an output is stale). Nothing else in the notebook changes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from booktools import book


def is_current(chapter: str, cell: nbformat.NotebookNode) -> bool:
    """Whether the quiz cell's output embeds ``chapter``'s quiz as it is now, in every language."""
    from mobilenet_lab.i18n import LANGUAGES
    from mobilenet_lab.quiz import quiz_for_display

    shown = "".join(
        "".join(out.get("data", {}).get("application/javascript", "")) for out in cell.outputs
    )
    return all(json.dumps(quiz_for_display(chapter, lang)) in shown for lang in LANGUAGES)


def refresh(chapter: str, path: Path) -> bool:
    """Re-run ``path``'s quiz cell alone if its output is stale; whether it did."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "show_quiz(" in c.source)
    if is_current(chapter, cell):
        return False
    alone = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell.source)])
    client = NotebookClient(alone, timeout=120, kernel_name="python3", record_timing=False)
    client.execute(cwd=str(book.ROOT))
    cell.outputs = alone.cells[0].outputs
    nbformat.write(nb, path)
    return True


def main() -> int:
    for chapter in book.chapters():
        changed = refresh(chapter.key, chapter.path)
        print(f"{chapter.path.name}: {'refreshed' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
