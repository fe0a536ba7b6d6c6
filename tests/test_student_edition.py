"""The student edition (booktools.editions): stubs where the solutions were, checkers kept.

Both directions, on a small synthetic notebook and on every chapter in book/: in the student
edition every check cell says "Not done yet" and nothing else crashes; in the full edition (the
committed outputs) every check cell says "✅ Correct". The student notebooks that run are the
Korean ones, as the Colab-faithful run executed them (`make colab`), when they ran the current
edition; else they run here (``tests/conftest.py``). The English student edition has the same
code but for comments, docstrings and the language cell (``tests/test_korean_outputs.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from booktools import book as registry
from booktools.cells import is_check
from booktools.colab_faithful import crashes
from booktools.colab_runner import execute
from booktools.dataflow import stub_reach
from booktools.editions import edition_notebook, load_book, write_student_zip
from booktools.stubs import ConventionError, stub_source
from mobilenet_lab.exercises._feedback import MARKS
from mobilenet_lab.exercises._feedback import NOT_DONE as NOT_DONE_STATUS
from mobilenet_lab.i18n import tr_in

ROOT = registry.ROOT
NOTEBOOKS = registry.notebooks()
NOT_DONE, CORRECT = "Not done yet", "✅ Correct"
KOREAN_NOT_DONE = tr_in("ko", MARKS[NOT_DONE_STATUS])


def check_cells(nb: nbformat.NotebookNode) -> list[tuple[int, dict]]:
    """Code cells that call an exercise checker (and are not solution cells)."""
    return [(i, c) for i, c in enumerate(nb.cells) if is_check(c)]


def text_of(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        parts.append("".join(out.get("data", {}).get("text/plain", "")))
        parts.extend(out.get("traceback", []))
    return "\n".join(parts)


def student_notebook(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The student edition of a notebook outside the book (solutions stubbed)."""
    return edition_notebook(nb, "student", load_book(), f"book/{Path(name).stem}", name)


# --- the transformation itself --------------------------------------------------------------


def test_stub_keeps_signature_and_docstring():
    source = (
        "def params(c: int,\n           k: int = 3) -> int:\n"
        '    """Weights of a depthwise conv."""\n    return c * k * k\n\n'
        "answer = 16 * 3 * 3 * 3\n"
        "a, b = 1, 2\n"
    )
    stub = stub_source(source)
    assert "def params(c: int,\n           k: int = 3) -> int:" in stub
    assert '"""Weights of a depthwise conv."""' in stub
    assert "raise NotImplementedError  # YOUR CODE HERE" in stub
    assert "answer = None  # YOUR CODE HERE" in stub
    assert "a, b = None, None  # YOUR CODE HERE" in stub
    assert "c * k * k" not in stub and "16 * 3" not in stub


def test_stub_rejects_other_statements():
    with pytest.raises(ConventionError, match="Import"):
        stub_source("import torch\nanswer = 1\n")


# --- a synthetic notebook, end to end ----------------------------------------------------------

CHECKER = '''from mobilenet_lab.exercises._core import Case, Exercise, compare_cases, checker

DOUBLE = Exercise("ex-00-double", "double", "multiply by two", "function", cases=(Case((21,), 42),))

@checker(DOUBLE)
def check_double(fn):
    """A checker for the synthetic notebook."""
    return compare_cases(fn)

@checker(Exercise("ex-00-answer", "parameters", cases=(Case(expected=432),)))
def check_answer(value):
    return compare_cases(value)
'''


def synthetic() -> nbformat.NotebookNode:
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    solution = code(
        'def double(x: int) -> int:\n    """Twice x."""\n    return 2 * x\n\nanswer = 16 * 3 * 3 * 3',
        metadata={"tags": ["solution"]},
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        md("# 0. Synthetic"),
        code(CHECKER),
        md(
            "```{exercise-start}\n:label: ex-00-double\n```\nWrite `double`.\n```{exercise-end}\n```"
        ),
        md("```{solution-start} ex-00-double\n:class: dropdown\n```\nSECRET: multiply by two."),
        solution,
        md("More SECRET text.\n```{solution-end}\n```\nBack to the lesson."),
        code("check_double(double)"),
        code("check_answer(answer)"),
    ]
    return nb


def test_synthetic_notebook_both_editions(tmp_path):
    full = tmp_path / "full.ipynb"
    nbformat.write(synthetic(), full)
    out = tmp_path / "student"
    out.mkdir()
    nbformat.write(student_notebook(synthetic(), "full.ipynb"), out / "full.ipynb")
    assert write_student_zip([out / "full.ipynb"], out).is_file()
    student = nbformat.read(out / "full.ipynb", as_version=4)
    text = "\n".join(c.source for c in student.cells)
    assert "SECRET" not in text and "solution-start" not in text and "Back to the lesson." in text
    assert "2 * x" not in text and "YOUR CODE HERE" in text

    executed = {"full": execute(full, 600), "student": execute(out / "full.ipynb", 600)}
    for edition, marker in [("full", CORRECT), ("student", NOT_DONE)]:
        nb = executed[edition]
        assert not crashes(nb), crashes(nb)
        cells = check_cells(nb)
        assert len(cells) == 2
        for _, cell in cells:
            assert marker in text_of(cell), (edition, text_of(cell))


def test_a_hidden_check_of_a_solution_stays_out_of_the_student_edition():
    nb = synthetic()
    hidden = nbformat.v4.new_code_cell("assert double(4) == 8", metadata={"tags": ["remove-cell"]})
    other = nbformat.v4.new_code_cell("assert 2 + 2 == 4", metadata={"tags": ["remove-cell"]})
    nb.cells[6:6] = [hidden, other]  # after the solution, before the checks
    student = student_notebook(nb, "full.ipynb")
    sources = [c.source for c in student.cells if c.cell_type == "code"]
    assert not any("double(4)" in s for s in sources)  # it would raise on the stub
    assert any("2 + 2" in s for s in sources)  # collapsed, but kept


def test_the_student_run_runs_what_the_stubs_reach():
    def cell(code: str, *cell_tags: str) -> dict:
        return {"cell_type": "code", "source": code, "metadata": {"tags": list(cell_tags)}}

    code = [
        cell("%pip install mobilenet_lab"),  # the setup cell
        cell("import torch"),
        cell("data = expensive()"),  # a check reads it: it runs
        cell("plot = other_expensive()"),  # nothing the stubs reach reads it
        cell("def double(x):\n    raise NotImplementedError", "solution"),
        cell("check_double(double, data)"),
        cell("y = double(2)"),  # reads a stub: it may crash in the student's notebook
        cell("z = y + plot"),  # reads what the stub changed: runs, and so does its input
        cell("w = plot * 2"),
    ]
    assert stub_reach(code) == [True, True, True, True, True, True, True, True, False]
    code[7] = cell("z = y + 1")
    assert stub_reach(code) == [True, True, True, False, True, True, True, True, False]


def test_code_inside_a_solution_must_be_tagged():
    nb = synthetic()
    del nb.cells[4].metadata["tags"]
    with pytest.raises(ConventionError, match="tagged `solution`"):
        student_notebook(nb, "notebook.ipynb")


# --- every chapter -------------------------------------------------------------------------------


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_full_edition_checkers_pass(nb):
    cells = check_cells(nbformat.read(nb, as_version=4))
    for index, cell in cells:
        assert CORRECT in text_of(cell), f"cell {index} of {nb.name}: {text_of(cell)[:300]}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_runs_and_reports_not_done(nb, student_runs):
    executed = student_runs[nb.name]
    assert not crashes(executed), f"the student edition of {nb.name} crashes:\n" + "\n".join(
        crashes(executed)
    )
    assert KOREAN_NOT_DONE != tr_in("en", MARKS[NOT_DONE_STATUS])
    for index, cell in check_cells(executed):
        assert KOREAN_NOT_DONE in text_of(cell), f"cell {index}: {text_of(cell)[:300]}"


# --- the teacher page's exercise index ------------------------------------------------------------


def test_teacher_page_lists_every_exercise():
    from booktools.teacher_page import exercises, markdown_table

    labels = {
        m[1]
        for nb in NOTEBOOKS
        for m in re.finditer(
            r":label:\s*(ex-\S+)", nb.read_text(encoding="utf-8").replace("\\n", "\n")
        )
    }
    found = exercises(registry.chapters())
    assert {ex.label for ex in found} == labels
    for ex in found:
        assert "?" not in (ex.answer, ex.checker, ex.checks), f"incomplete exercise: {ex}"
    index = markdown_table(found)
    assert all(label in index for label in labels)
    teachers = (ROOT / "book/teachers.md").read_text()
    assert "{include} ../_build/teacher_page/exercises.md" in teachers
    built = ROOT / "_build/html/book/teachers.html"
    if built.exists():  # make test builds the book before this test
        html = built.read_text(encoding="utf-8")
        missing = [label for label in labels if label not in html]
        assert not missing, f"exercises missing from the built teacher page: {missing}"
