"""The exercise index of the teacher's page, generated from the notebooks so it cannot drift.

For every ``{exercise-start}`` label: its chapter, the task's first sentence, what the reader
writes (a value or a function, from the ``solution`` cell), the checker (from the check cell) and
what it checks (the checker's docstring), and a difficulty estimated from the solution's size:
★ one assignment, ★★ a function of up to 4 lines, ★★★ longer (one list per chapter). ``make notebooks`` writes the table
to ``_build/notebooks/exercises.md`` and each chapter's learning objectives (from its first cell)
to ``_build/notebooks/objectives.md``; ``book/teachers.md`` includes both.

Usage: python scripts/exercise_index.py [book/*.ipynb] (prints the table).
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LABEL = re.compile(r"\{exercise-start\}[^\n]*\n(?:[^\n]*\n)*?:label:\s*(\S+)")
CHECK = re.compile(r"^(check_\w+)\s*\(", re.MULTILINE)


@dataclass
class Exercise:
    chapter: str
    notebook: str
    label: str
    task: str
    answer: str = "?"
    checker: str = "?"
    checks: str = "?"
    difficulty: str = "?"


def _title(nb: nbformat.NotebookNode) -> str:
    first = nb.cells[0].source.strip().splitlines()[0] if nb.cells else ""
    return first.lstrip("# ").strip()


def _task(markdown: str) -> str:
    body = re.split(r"(?s)```+\{exercise-start\}.*?\n```+", markdown, maxsplit=1)[-1]
    body = re.sub(r"(?s)```+\{exercise-end\}.*", "", body).strip()
    body = re.sub(r"\*\*([^*]+)\*\*\s*", "", body, count=1) if body.startswith("**") else body
    sentence = re.split(r"(?<=[.?!])\s", " ".join(body.split()), maxsplit=1)[0]
    return sentence.replace("|", "\\|")


def _difficulty(source: str) -> tuple[str, str]:
    tree = ast.parse(source)
    funcs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not funcs:
        return "a value", "★"
    names = ", ".join(f"`{f.name}()`" for f in funcs)
    lines = sum(f.end_lineno - f.body[0].lineno + 1 for f in funcs)
    return f"function {names}", "★★" if lines <= 4 else "★★★"


def _checker_doc(notebook: Path, name: str) -> str:
    module = f"mobilenet_lab.exercises.ch{notebook.name[:2]}"
    try:
        doc = getattr(importlib.import_module(module), name).__doc__ or ""
    except (ImportError, AttributeError):
        return "?"
    doc = " ".join(doc.replace("Check ", "", 1).split())
    return doc.replace("|", "\\|")


def exercises(notebooks: list[Path]) -> list[Exercise]:
    """Every exercise of the given notebooks, in reading order."""
    found = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        current = None
        for cell in nb.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            match = LABEL.search(cell.source) if cell.cell_type == "markdown" else None
            if match:
                current = Exercise(_title(nb), path.stem, match[1], _task(cell.source))
                found.append(current)
            elif current and cell.cell_type == "code" and "solution" in tags:
                current.answer, current.difficulty = _difficulty(cell.source)
            elif current and cell.cell_type == "code" and CHECK.search(cell.source):
                current.checker = CHECK.search(cell.source)[1]
                current.checks = _checker_doc(path, current.checker)
                current = None
    return found


def markdown_table(items: list[Exercise]) -> str:
    """The index as Markdown: one list per chapter (a table is too wide for the page)."""
    lines, chapter = [], None
    for ex in items:
        if ex.chapter != chapter:
            chapter = ex.chapter
            lines.append(f"\n**{{doc}}`{ex.chapter} <{ex.notebook}>`**\n")
        lines.append(
            f"- {ex.difficulty} {{ref}}`{ex.label} <{ex.label}>` — {ex.task} "
            f"*You write:* {ex.answer}. *Checked by* `{ex.checker}`: {ex.checks}"
        )
    return "\n".join(lines).strip() + "\n"


def _glue_from(notebook: Path, text: str) -> str:
    """``{glue:text}`key``` in a chapter becomes ``{glue:text}`chapter.ipynb::key:s``` here.

    (Without a format spec myst-nb 1.4 splits ``path::key`` at its last colon.)
    """

    def qualify(match: re.Match) -> str:
        role, content = match[1], match[2]
        if "::" not in content:
            content = f"{notebook.name}::{content}"
            if role == "{glue:text}" and content.count(":") == 2:
                content += ":s"
        return f"{role}`{content}`"

    return re.sub(r"(\{glue(?::\w+)?\})`([^`]+)`", qualify, text)


def objectives_markdown(notebooks: list[Path]) -> str:
    """Each chapter's learning objectives, copied from its first cell."""
    parts = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        text = nb.cells[0].source if nb.cells else ""
        _, _, after = text.partition("Learning objectives")
        items = re.findall(r"(?m)^[-*] .*(?:\n[ \t]+\S.*)*", after.split("\n\n#")[0])
        items = [_glue_from(path, item) for item in items]
        parts.append(f"**{{doc}}`{_title(nb)} <{path.stem}>`**\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    paths = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "book").glob("*.ipynb"))
    print(objectives_markdown(paths))
    print(markdown_table(exercises(paths)), end="")
