"""The teacher page's per-chapter parts, generated from the chapter registry so they cannot drift.

``book/teachers.md`` includes what :func:`write_includes` writes into ``_build/teacher_page/``
(the Sphinx extension :mod:`booktools.sphinxext.teacher_page` writes it when a build starts, so
the English, the translated and the gettext builds all see it):

- ``objectives.md``: each notebook's learning objectives, copied from its first cell;
- ``student_links.md``: each chapter's student notebook, opened in Colab;
- ``expected.md``: the table of what students should see, and how long each chapter runs (a
  ``{chapter-times}`` role per chapter: :func:`run_time_text` reads the one measurement,
  ``benchmarks/results/chapter_times.json``, written by ``benchmarks/chapter_times.py``);
- ``exercises.md``: the exercise index. For every ``{exercise-start}`` label: the task's first
  sentence, what the reader writes (a value or a function, from the ``solution`` cell), the
  checker (from the check cell) and what it checks (its docstring), and a difficulty estimated
  from the solution's size: ★ one assignment, ★★ a function of up to 4 lines, ★★★ longer;
- ``think.md``: the answers to every chapter's "Think about it" questions;
- ``misconceptions.md``: the misconceptions students bring, by chapter;
- ``quiz_key.md``: the concept quizzes' answer key (``mobilenet_lab.quiz``).

A chapter's own entries live in its own files: ``book/think/chNN.md`` (think answers) and
``book/teacher_notes/chNN.md`` (sections "What students should see" and "Common
misconceptions"). Adding a chapter adds those files, and a new measurement of the run times; the
page itself is not edited.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import nbformat

from booktools import book as registry
from booktools.cells import SOLUTION, checker_name, tags
from mobilenet_lab.i18n import tr_in

LABEL = re.compile(r"\{exercise-start\}[^\n]*\n(?:[^\n]*\n)*?:label:\s*(\S+)")
NOTES = registry.ROOT / "book" / "teacher_notes"
THINK = registry.ROOT / "book" / "think"
NOTE_SECTIONS = ("What students should see", "Common misconceptions")
EXPECTED_HEADER = "| Chapter | What students should see | Run time (see below) |\n|---|---|---|\n"
#: The run-time measurement (``benchmarks/chapter_times.py`` writes it; the page shows it).
RUN_TIMES = registry.ROOT / "benchmarks" / "results" / "chapter_times.json"
#: A machine whose 1- and 5-minute load averages are below this before the run counts as idle.
IDLE_LOAD = 0.5


def is_idle(load_before: list[float]) -> bool:
    """Whether a run that started at these load averages (1, 5, 15 minutes) ran on an idle
    machine (:data:`IDLE_LOAD`)."""
    return max(load_before[:2]) < IDLE_LOAD


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


def _checker_doc(chapter: registry.Chapter, name: str) -> str:
    try:
        module = importlib.import_module(f"mobilenet_lab.exercises.{chapter.key}")
        doc = getattr(module, name).__doc__ or ""
    except (ImportError, AttributeError):
        return "?"
    doc = " ".join(doc.replace("Check ", "", 1).split())
    return doc.replace("|", "\\|")


def exercises(chapters: tuple[registry.Chapter, ...]) -> list[Exercise]:
    """Every exercise of the given chapters, in reading order."""
    found = []
    for chapter in chapters:
        nb = nbformat.read(chapter.path, as_version=4)
        current = None
        for cell in nb.cells:
            match = LABEL.search(cell.source) if cell.cell_type == "markdown" else None
            if match:
                current = Exercise(_title(nb), chapter.stem, match[1], _task(cell.source))
                found.append(current)
            elif current and cell.cell_type == "code" and SOLUTION in tags(cell):
                current.answer, current.difficulty = _difficulty(cell.source)
            elif current and checker_name(cell):
                current.checker = checker_name(cell)
                current.checks = _checker_doc(chapter, current.checker)
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
    """Each notebook's learning objectives (the chapters' and the appendix's), copied from its
    first cell."""
    parts = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        text = nb.cells[0].source if nb.cells else ""
        _, _, after = text.partition("Learning objectives")
        items = re.findall(r"(?m)^[-*] .*(?:\n[ \t]+\S.*)*", after.split("\n\n#")[0])
        items = [_glue_from(path, item) for item in items]
        parts.append(f"**{{doc}}`{_title(nb)} <{path.stem}>`**\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


def student_links(chapters: tuple[registry.Chapter, ...]) -> str:
    """Each chapter's student notebook, opened in Colab (plain links: the site loads nothing
    from other hosts, so no badge image)."""
    lines = []
    for chapter in chapters:
        title = _title(nbformat.read(chapter.path, as_version=4))
        url = registry.colab_url("student", chapter.name)
        lines.append(f"- {title}: [student notebook in Colab]({url})")
    return "\n".join(lines) + "\n"


def teacher_notes(chapter: registry.Chapter) -> dict[str, str]:
    """The sections of ``book/teacher_notes/chNN.md`` (``ValueError`` when one is missing)."""
    path = NOTES / f"{chapter.key}.md"
    if not path.exists():
        raise ValueError(f"{chapter.page}: no teacher notes ({path.relative_to(registry.ROOT)})")
    pieces = re.split(r"(?m)^## (.+)\n", path.read_text(encoding="utf-8"))[1:]
    sections = {name.strip(): text.strip() for name, text in zip(pieces[::2], pieces[1::2])}
    missing = [name for name in NOTE_SECTIONS if not sections.get(name)]
    if missing:
        raise ValueError(f"{path.relative_to(registry.ROOT)}: no section {missing}")
    return sections


def expected_table(chapters: tuple[registry.Chapter, ...]) -> str:
    """What students should see in each chapter, and its run time: one table row each."""
    rows = []
    for chapter in chapters:
        notes = teacher_notes(chapter)
        what = " ".join(notes["What students should see"].split())
        rows.append(f"| {chapter.number} | {what} | {{chapter-times}}`{chapter.key}` |")
    return EXPECTED_HEADER + "\n".join(rows) + "\n"


def run_times(path: Path = RUN_TIMES) -> dict:
    """The run-time measurement (``{}`` when there is none yet)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _duration(language: str, seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    if not minutes:
        return tr_in(language, "{seconds} s", seconds=seconds)
    return tr_in(language, "{minutes} min {seconds} s", minutes=minutes, seconds=seconds)


def _load(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def run_time_text(field: str, language: str, times: dict | None = None) -> str:
    """What the page's ``{chapter-times}`field``` shows, in ``language``: a chapter's median
    wall-clock time (``field`` = its key, ``ch08``) or a fact about the measurement (``threads``,
    ``rounds``, ``machine``, ``date``, ``load_before``, ``load_after``, ``status``)."""
    times = run_times() if times is None else times
    if not times:
        return tr_in(language, "not measured yet")
    if re.fullmatch(r"ch\d\d", field):
        chapter = times["chapters"].get(field)
        if chapter is None:
            return tr_in(language, "not measured yet")
        return _duration(language, statistics.median(chapter["wall_s"]))
    machine = times["machine"]
    texts = {
        "threads": lambda: (
            tr_in(language, "one thread per kernel")
            if times["threads"] == 1
            else tr_in(language, "{n} threads per kernel", n=times["threads"])
        ),
        "rounds": lambda: (
            tr_in(language, "a single run")
            if times["rounds"] == 1
            else tr_in(language, "the median of {n} runs", n=times["rounds"])
        ),
        "machine": lambda: tr_in(
            language,
            "{cpu}, {cores} logical cores, {gpu}",
            cpu=machine["cpu"],
            cores=machine["cores"],
            gpu=machine["gpu"] or tr_in(language, "no GPU"),
        ),
        "date": lambda: times["date"],
        "load_before": lambda: _load(times["load_before"]),
        "load_after": lambda: _load(times["load_after"]),
        "status": lambda: (
            tr_in(
                language,
                "an idle machine (1- and 5-minute load averages below {limit})",
                limit=IDLE_LOAD,
            )
            if is_idle(times["load_before"])  # read from the loads the page prints
            else tr_in(language, "NOT FINAL: a trial run on a busy machine")
        ),
    }
    if field not in texts:
        raise ValueError(f"{{chapter-times}}`{field}`: no such field; chNN or one of {list(texts)}")
    return texts[field]()


def misconceptions(chapters: tuple[registry.Chapter, ...]) -> str:
    return "\n\n".join(teacher_notes(c)["Common misconceptions"] for c in chapters) + "\n"


def think_answers(chapters: tuple[registry.Chapter, ...]) -> str:
    """Every chapter's answers to its "Think about it" questions (``book/think/chNN.md``)."""
    texts = []
    for chapter in chapters:
        path = THINK / f"{chapter.key}.md"
        if not path.exists():
            raise ValueError(
                f"{chapter.page}: no think answers ({path.relative_to(registry.ROOT)})"
            )
        texts.append(path.read_text(encoding="utf-8").strip())
    return "\n\n".join(texts) + "\n"


def includes() -> dict[str, str]:
    """Every generated part of the teacher page: file name → Markdown."""
    from mobilenet_lab.quiz import answer_key_markdown

    chapters = registry.chapters()
    return {
        "objectives.md": objectives_markdown(registry.notebooks()),
        "student_links.md": student_links(chapters),
        "expected.md": expected_table(chapters),
        "exercises.md": markdown_table(exercises(chapters)),
        "think.md": think_answers(chapters),
        "misconceptions.md": misconceptions(chapters),
        "quiz_key.md": answer_key_markdown(tuple(c.key for c in chapters)),
    }


def write_includes(out_dir: Path) -> list[Path]:
    """Write the teacher page's generated parts into ``out_dir`` (only files whose text
    changed, so that Sphinx rereads the page only when something did)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in includes().items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
