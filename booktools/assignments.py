"""Graded assignments: every chapter as an otter-grader assignment, from the book's own source.

For each chapter with exercises, this writes otter's notebook format (``_build/assignments/
<chapter>/source/<chapter>.ipynb``) and runs ``otter assign`` on it, which gives
``dist/student/<chapter>.ipynb`` (what students open, with ``tests/``, the public tests) and
``dist/autograder/<chapter>-autograder_*.zip`` (what Gradescope accepts; it holds the hidden
tests too). Nothing is written by hand twice:

- the notebook is the chapter's student edition (``booktools.editions``: plain Markdown,
  glued numbers filled in, solutions stubbed); each exercise becomes one otter question named
  after its label (``ex-01-conv-params``);
- the solution is the book's ``solution`` cell; otter strips it (``# BEGIN SOLUTION NO PROMPT``)
  and shows the student edition's stub in its place (``# BEGIN PROMPT``), so students see the same
  ``# YOUR CODE HERE`` in every edition;
- the public test is the chapter's check cell: the same checker the reader runs, which must say
  "✅ Correct" (its feedback is the failure message); the check cell itself is replaced by otter's
  ``grader.check(...)``, which runs that test;
- hidden tests come from ``grading/hidden/chNN.py`` (``booktools.hidden``: Python functions
  marked ``@hidden(label)``, their parameters the student's names they read): other inputs and
  edge cases. They live in that folder only, outside the package and ``book/``, and reach the
  autograder zip only.

Points: every test case is worth one point, so an exercise is worth 1 + its hidden tests.

Also in each notebook: a cell after the setup cell that installs otter in Colab and fetches the
public tests from the published notebooks branch (``assignments/<chapter>/tests/``) when they
are not next to the notebook, and the tag ``otter_ignore`` on the cells the book tags
``skip-grading`` (slow cells no answer needs: training runs, timings, figures; checked by
``booktools.dataflow``), so that grading a submission stays quick (chapter 8 trains for minutes;
graded, it runs in seconds). What grading runs depends on the book's source and tags only:
re-executing a chapter anywhere changes nothing the autograder does.

**Reproducible grading**: the autograder zip carries the package's wheel, built from the same
tree (``booktools.release``: version ``0.1.0+g<commit>``), and its ``requirements.txt`` installs
that file, pinned by its SHA-256, on the torch that built it: grading a submission installs the
package the assignment was built with, whatever ``main`` holds by then. The student notebook's
metadata (``mobilenet_lab_build``) names the same version.

**Translations**: every translated language gets the same assignments from its student edition
(``<out>/ko/<chapter>/``: Korean text and feedback, the same questions, points and public
tests), published under ``ko/assignments/``. They have no autograder zip of their own: the
English one grades them (``tests/test_assignments.py`` grades a Korean submission with it).

An assignment is rebuilt only when its inputs changed (its otter notebook, the wheel, otter's
version: ``<chapter>/.inputs``), so ``make grading`` and ``make publish`` share one build.

Usage: python -m booktools.assignments [--out _build/assignments] [--language en|ko|all]
       [--no-otter] [book/NN_….ipynb ...]
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sys
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from booktools import book as registry
from booktools import otter_cells as otter
from booktools import release
from booktools.cells import SOLUTION, is_check, parse, tags
from booktools.dataflow import defined, grading_problems, loads
from booktools.editions import edition_notebook, load_book
from booktools.hidden import HiddenTest, hidden_tests
from booktools.myst_book import Book
from booktools.myst_markdown import EXERCISE, ConversionError
from booktools.po_markdown import Catalog
from booktools.stubs import ConventionError
from mobilenet_lab.i18n import LANGUAGES, N_, tr_in

GRADED_NOTE = N_(
    "**Graded assignment.** Run the cells in order. Write each answer in place of "
    "`# YOUR CODE HERE`, then run the `grader.check(...)` cell below it: it runs the same check "
    "as the book. Each exercise is also graded by hidden tests (other inputs, edge cases), so "
    "write answers that work for any input, not only the example. At the end, run "
    "`grader.export()` and submit the zip file it makes. When your notebook is graded, every "
    "code cell runs apart from slow ones that no answer needs (training runs, timings, "
    "figures): an answer should use only what the exercise names."
)
OUT = registry.ROOT / "_build" / "assignments"


@dataclass
class Question:
    """One exercise as an otter question."""

    label: str
    prompt: list[nbformat.NotebookNode] = field(default_factory=list)  # Markdown cells
    solution: str = ""  # the book's solution cell
    stub: str = ""  # the student edition's stub of it
    check: str = ""  # the chapter's check cell
    hidden: list[HiddenTest] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """What the student defines: the functions and names of the solution cell."""
        names = []
        for node in ast.parse(self.solution).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    elts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
                    names += [t.id for t in elts if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.append(node.target.id)
        return names

    @property
    def points(self) -> int:
        return 1 + len(self.hidden)


def public_test(question: Question, imports: dict[str, str]) -> tuple[str, list[str]]:
    """The check cell as a test: the checker must return a correct Feedback.

    ``imports`` (name → import statement, from the whole chapter) supplies a checker that the
    chapter imported in an earlier cell. Returns the test's body and the notebook names it reads:
    the student's answers, and whatever else the check cell passes to its checker (chapter 8's
    own learning-rate sweep). Those are read with ``env.get``: when grading skips the cell that
    makes one (``skip-grading``), the checker gets ``None`` and checks its own cases only.
    """
    tree = ast.parse(question.check)
    *setup, last = tree.body
    lines = [ast.unparse(node) for node in setup]
    checker = last.value.func.id
    local = set().union(*(defined(node) for node in setup)) if setup else set()
    if checker not in local:
        if checker not in imports:
            raise ConventionError(f"{question.label}: where does {checker} come from?")
        lines.insert(0, imports[checker])
        local.add(checker)
    lines.append(f"feedback = {ast.unparse(last.value)}")
    lines.append("assert feedback, str(feedback)")
    read = sorted(loads(tree) - local - set(question.names) - set(dir(builtins)))
    return "\n".join(lines), question.names + read


def chapter_imports(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Every name the chapter imports (``from m import a, b``), with its import statement."""
    found = {}
    for cell in nb.cells:
        tree = parse(cell.source) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    one = ast.ImportFrom(node.module, [alias], node.level)
                    found[alias.asname or alias.name] = ast.unparse(one)
    return found


def question_cells(question: Question, imports: dict[str, str]) -> list[nbformat.NotebookNode]:
    """A question's cells: its prompt, solution, public test and hidden tests."""
    for test in question.hidden:
        unknown = set(test.params) - set(question.names)
        if unknown:
            raise ConventionError(
                f"{question.label}: hidden test {test.name} reads {sorted(unknown)}, which the "
                f"solution does not define ({question.names})"
            )
    config = yaml.safe_dump({"name": question.label, "points": question.points}, sort_keys=False)
    cells = [
        otter.raw(f"# BEGIN QUESTION\n{config}"),
        *question.prompt,
        otter.raw("# BEGIN SOLUTION"),
    ]
    cells += [otter.solution_cell(question.label, question.solution, question.stub)]
    cells += [otter.raw("# END SOLUTION"), otter.raw("# BEGIN TESTS")]
    body, names = public_test(question, imports)
    cells.append(otter.test_cell("test_public", body, names, hidden=False))
    for test in question.hidden:
        cells.append(otter.test_cell(test.name, test.body, list(test.params), hidden=True))
    return [*cells, otter.raw("# END TESTS"), otter.raw("# END QUESTION")]


def book_solutions(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(label, source) of every solution cell of the book, in order."""
    found, label = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            labels = re.findall(r"\{solution-start\}\s+(\S+)", cell.source)
            label = labels[-1] if labels else label
        elif SOLUTION in tags(cell):
            found.append((label, cell.source))
    return found


def _exercise_heading(markdown: str, language: str) -> int | None:
    """Where an exercise's heading starts in a converted Markdown cell (None: no exercise)."""
    word = re.escape(tr_in(language, EXERCISE))
    match = re.search(rf"^### {word}\b", markdown, re.MULTILINE)
    return match.start() if match else None


@dataclass
class _Assignment:
    """One chapter being written in otter's format, cell by cell of its student edition."""

    chapter: registry.Chapter
    language: str
    solutions: list[tuple[str, str]]
    imports: dict[str, str]
    hidden: dict[str, list[HiddenTest]]
    out: nbformat.NotebookNode
    questions: list[Question] = field(default_factory=list)
    current: Question | None = None
    pending: list[nbformat.NotebookNode] = field(default_factory=list)  # an exercise's Markdown
    otter_at: int | None = None

    def add(self, cell: nbformat.NotebookNode) -> None:
        name = self.chapter.name
        markdown = cell.cell_type == "markdown"
        heading = _exercise_heading(cell.source, self.language) if markdown else None
        if heading is not None and self.current is None:
            before, cell.source = cell.source[:heading].rstrip(), cell.source[heading:]
            if before:
                self.out.cells.append(nbformat.v4.new_markdown_cell(before))
            self.pending = [cell]
        elif self.pending and cell.cell_type == "markdown":
            self.pending.append(cell)
        elif cell.cell_type == "code" and SOLUTION in tags(cell):
            if self.current is not None or not self.pending:
                raise ConventionError(f"{name}: one solution cell per exercise, after its text")
            label, solution = self.solutions[len(self.questions)]
            self.current = Question(label, self.pending, solution, stub=cell.source)
            self.pending = []
        elif self.current is not None and is_check(cell):
            self.current.check = cell.source
            self.current.hidden = self.hidden.get(self.current.label, [])
            self.questions.append(self.current)
            self.out.cells += question_cells(self.current, self.imports)
            self.current = None
        elif self.current is not None or self.pending:
            raise ConventionError(f"{name}: an exercise without a check cell right after it")
        elif not self.out.cells[1:]:  # the title cell: the badge opens this assignment
            language = self.language
            badge = registry.colab_url("student", name, language)
            assignment = registry.colab_url("assignments", f"{self.chapter.stem}/{name}", language)
            cell.source = cell.source.replace(badge, assignment)
            note = "> " + tr_in(language, GRADED_NOTE)
            self.out.cells += [cell, nbformat.v4.new_markdown_cell(note)]
        else:
            if cell.cell_type == "code":
                otter.skip_when_grading(cell)
            self.out.cells.append(cell)
            if cell.cell_type == "code" and self.otter_at is None:  # after the setup cell
                self.otter_at = len(self.out.cells)


def master_notebook(
    nb: nbformat.NotebookNode,
    chapter: registry.Chapter,
    book: Book,
    catalog: Catalog | None = None,
    wheel: Path | None = None,
) -> nbformat.NotebookNode:
    """The otter-format notebook of ``nb``, the book's notebook of ``chapter``
    (``ConventionError`` if it does not fit), in the language of ``catalog`` (``book`` is then
    that language's, from ``editions.load_book(catalog)``); with ``wheel``, its autograder zip
    carries that wheel. It depends on the notebook's source and tags only, never on how long
    its cells took."""
    problems = grading_problems(nb)
    if problems:
        raise ConventionError(f"{chapter.name}: " + "; ".join(problems))
    language = catalog.language if catalog is not None else LANGUAGES[0]
    student = edition_notebook(nb, "student", book, chapter.page, chapter.name, catalog)
    hidden = hidden_tests(chapter.key)
    out = nbformat.v4.new_notebook(metadata=dict(student.metadata))
    out.cells.append(otter.assignment_config(chapter.stem, wheel))
    solutions, imports = book_solutions(nb), chapter_imports(nb)
    writer = _Assignment(chapter, language, solutions, imports, hidden, out)
    for cell in student.cells:
        writer.add(cell)
    questions = writer.questions
    labels = [q.label for q in questions]
    out.cells.insert(writer.otter_at or 1, otter.otter_cell(chapter.stem, labels, language))
    if len(questions) != len(writer.solutions):
        raise ConventionError(
            f"{chapter.name}: {len(writer.solutions)} solutions, {len(questions)} checked"
        )
    unknown = set(hidden) - {q.label for q in questions}
    if unknown:
        raise ConventionError(
            f"{chapter.name}: hidden tests for unknown exercises {sorted(unknown)}"
        )
    out.metadata["mobilenet_lab_questions"] = [
        {"name": q.label, "points": q.points, "answers": q.names} for q in questions
    ]
    out.metadata["mobilenet_lab_build"] = release.version()
    _stable_ids(out, {cell.id for cell in student.cells})
    return out


def _stable_ids(nb: nbformat.NotebookNode, kept: set[str]) -> None:
    """Give the cells written here (ids not in ``kept``) ids from their place and content
    instead of nbformat's random ones, so that the same source writes the same notebook and an
    assignment already built is not built again."""
    for i, cell in enumerate(nb.cells):
        if cell.get("id") not in kept:
            digest = hashlib.sha256(f"{i}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()
            cell.id = f"a{i:03d}-{digest[:8]}"


def graded_chapters() -> list[registry.Chapter]:
    """The chapters that have exercises (a check cell)."""
    return [
        c for c in registry.chapters() if any(is_check(x) for x in nbformat.read(c.path, 4).cells)
    ]


def _inputs_digest(master: Path, requirements: str) -> str:
    """What an assignment's build depends on: its otter notebook, its requirements (the wheel's
    hash among them) and otter's version."""
    from otter import __version__

    text = json.dumps([master.read_text(), requirements, __version__])
    return hashlib.sha256(text.encode()).hexdigest()


def _built(folder: Path, master: Path, digest: str) -> bool:
    stamp = folder / ".inputs"
    student = folder / "dist" / "student" / master.name
    return student.exists() and stamp.exists() and stamp.read_text() == digest


def write_assignment(
    chapter: registry.Chapter,
    out_dir: Path,
    book: Book,
    run_otter: bool = True,
    catalog: Catalog | None = None,
    wheel: Path | None = None,
    assigner: Executor | None = None,
) -> Path:
    """Write one chapter's otter source into ``out_dir/[ko/]<chapter>/`` and (``run_otter``)
    run ``otter assign`` on it (in ``assigner``'s processes, else in this one), unless its inputs
    are those of the assignment already there. With ``wheel`` (English only), the autograder zip
    carries it."""
    language = catalog.language if catalog is not None else LANGUAGES[0]
    folder = out_dir / registry.language_folder(language) / chapter.stem
    nb = nbformat.read(chapter.path, as_version=4)
    master_nb = master_notebook(nb, chapter, book, catalog, wheel)
    fresh = folder / "source.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    master = fresh / chapter.name
    nbformat.write(master_nb, master)
    requirements = otter.requirements_text(wheel, release.sha256(wheel)) if wheel else ""
    (fresh / "requirements.txt").write_text(requirements)
    digest = _inputs_digest(master, requirements)
    if run_otter and _built(folder, master, digest):
        shutil.rmtree(fresh)
        return folder
    shutil.rmtree(folder / "source", ignore_errors=True)
    shutil.rmtree(folder / "dist", ignore_errors=True)  # otter assign would add a second zip
    (folder / ".inputs").unlink(missing_ok=True)
    fresh.rename(folder / "source")
    source = folder / "source"
    if wheel:
        shutil.copy(wheel, source / wheel.name)
    if run_otter:
        _otter_assign(source, chapter.name, assigner)
        (folder / ".inputs").write_text(digest)
    return folder


def _otter_assign(source: Path, name: str, assigner: Executor | None = None) -> None:
    """``otter assign --no-pdfs <name> ../dist`` in ``source``."""
    error = (assigner.submit(_assign, str(source), name).result() if assigner else
             _assign(str(source), name))  # fmt: skip
    if error:
        raise RuntimeError(f"otter assign failed for {name}:\n{error}")


def _assign(source: str, name: str) -> str | None:
    """otter assign in this process (a worker imports otter once for all its assignments, which
    is most of what one ``otter assign`` command costs): None, or what went wrong and otter's
    output. The working directory is ``source`` while it runs (one job per process at a time)."""
    from otter.assign import main as otter_assign

    output, cwd = io.StringIO(), os.getcwd()
    try:
        os.chdir(source)
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            otter_assign(name, "../dist", no_pdfs=True)
    except Exception as err:  # otter's own errors, reported with its output
        return f"{type(err).__name__}: {err}\n{output.getvalue()}"
    finally:
        os.chdir(cwd)
    return None


def write_all(
    out_dir: Path = OUT,
    chapters: list[registry.Chapter] | None = None,
    languages: tuple[str, ...] = LANGUAGES,
    run_otter: bool = True,
    workers: int = 2,
) -> dict[tuple[str, str], Path]:
    """Every graded chapter's assignment in every one of ``languages`` (``otter assign``s
    ``workers`` at a time), the English ones with the package's wheel built from this tree:
    ``(language, chapter stem)`` → its folder."""
    chapters = graded_chapters() if chapters is None else chapters
    wheel = release.build_wheel(out_dir / "wheel") if LANGUAGES[0] in languages else None
    jobs = []
    for language in languages:
        catalog = None if language == LANGUAGES[0] else Catalog.load(language)
        book = load_book(catalog)
        own = None if catalog else wheel
        jobs += [(language, c, book, catalog, own) for c in chapters]

    with ProcessPoolExecutor(workers) as assigner, ThreadPoolExecutor(workers) as pool:

        def one(job: tuple) -> Path:
            language, chapter, book, catalog, own = job
            return write_assignment(chapter, out_dir, book, run_otter, catalog, own, assigner)

        folders = list(pool.map(one, jobs))
    return {(job[0], job[1].stem): folder for job, folder in zip(jobs, folders)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--language", choices=(*LANGUAGES, "all"), default="all")
    parser.add_argument("--no-otter", action="store_true", help="write the otter source only")
    args = parser.parse_args(argv)
    chapters = graded_chapters()
    if args.notebooks:
        chapters = [c for c in chapters if c.name in {p.name for p in args.notebooks}]
    languages = LANGUAGES if args.language == "all" else (args.language,)
    try:
        written = write_all(args.out, chapters, languages, run_otter=not args.no_otter)
    except (ConventionError, ConversionError, RuntimeError) as err:
        print(f"booktools.assignments: {err}", file=sys.stderr)
        return 1
    for (language, stem), folder in written.items():
        print(f"{language} {stem}: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
