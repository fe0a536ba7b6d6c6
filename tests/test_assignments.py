"""The graded assignments (scripts/make_assignments.py), graded locally with ``otter run``.

For every chapter that has hidden tests (``grading/hidden/chNN.py``): the reference solutions (the
autograder notebook otter writes) score full marks, the untouched student notebook scores 0, and
the solutions with ``WRONG``'s answer in place of one exercise's lose exactly that exercise's
points. The hidden tests reach the autograder zip and nowhere else. ``otter assign`` runs once per
chapter; the 3 × 10 submissions are graded two at a time (``ASSIGNMENT_WORKERS``), each kernel on
one thread. Grading skips the slow cells no answer needs (``skipped_when_grading``), so chapter 8,
which trains for minutes in the book, grades in seconds.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_assignments  # noqa: E402
from make_notebooks import load_book  # noqa: E402

CHAPTERS = make_assignments.chapters(sorted((ROOT / "book").glob("[0-9]*.ipynb")))
GRADED = [p for p in CHAPTERS if (make_assignments.HIDDEN_DIR / f"ch{p.name[:2]}.py").exists()]
VARIANTS = ("solution", "student", "wrong")
WORKERS = int(os.environ.get("ASSIGNMENT_WORKERS", "2"))
SLOWEST = {"09_speed", "05_separable_block"}  # kept cells take longest (committed timings)


def _wrong(path: Path) -> tuple[str, str]:
    file = make_assignments.HIDDEN_DIR / f"ch{path.name[:2]}.py"
    spec = importlib.util.spec_from_file_location(f"wrong_{path.stem}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG


def answer_cell(nb: nbformat.NotebookNode, label: str) -> int:
    """The index of the answer cell of exercise ``label``: the code cell before its check."""
    check = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.source.strip() == f'grader.check("{label}")'
    )
    return max(i for i in range(check) if nb.cells[i].cell_type == "code")


def autograder_zip(folder: Path) -> Path:
    (zip_path,) = (folder / "dist" / "autograder").glob("*-autograder_*.zip")
    return zip_path


def grade(job: tuple[Path, str, Path]) -> tuple[dict, float]:
    """``otter run`` on one submission: the Gradescope results, question → (score, max), and the
    seconds it took.

    Called in a worker process that imported otter once (otter's import is a good part of a
    ``otter run`` command); the kernel runs one thread, as on a grader."""
    from otter.run import main as otter_run

    os.environ["OMP_NUM_THREADS"] = "1"
    folder, variant, submission = job
    out = submission.parent / f"results-{variant}"
    out.mkdir()
    start = time.perf_counter()
    otter_run(
        str(submission), autograder=str(autograder_zip(folder)), output_dir=str(out), no_logo=True
    )
    seconds = time.perf_counter() - start
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {t["name"]: (t["score"], t["max_score"]) for t in tests if "max_score" in t}, seconds


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every chapter's assignment, written by ``otter assign``."""
    out = tmp_path_factory.mktemp("assignments")
    book = load_book()
    with ThreadPoolExecutor(WORKERS) as pool:
        folders = pool.map(lambda p: make_assignments.write_assignment(p, out, book), CHAPTERS)
        return {p.stem: f for p, f in zip(CHAPTERS, folders)}


@pytest.fixture(scope="module")
def graded(built) -> dict[tuple[str, str], dict]:
    """The three submissions of every graded chapter, graded two at a time."""
    jobs = []
    for path in GRADED:
        folder = built[path.stem]
        work = folder / "submissions"
        for variant in VARIANTS:
            (work / variant).mkdir(parents=True)
        solution = nbformat.read(folder / "dist" / "autograder" / f"{path.stem}.ipynb", 4)
        nbformat.write(solution, work / "solution" / f"{path.stem}.ipynb")
        student = folder / "dist" / "student" / f"{path.stem}.ipynb"
        nbformat.write(nbformat.read(student, 4), work / "student" / student.name)
        label, code = _wrong(path)
        solution.cells[answer_cell(solution, label)].source = code
        nbformat.write(solution, work / "wrong" / f"{path.stem}.ipynb")
        jobs += [(folder, v, work / v / f"{path.stem}.ipynb") for v in VARIANTS]
    jobs.sort(key=lambda job: job[0].name in SLOWEST, reverse=True)  # the slowest first
    with ProcessPoolExecutor(WORKERS) as pool:
        results = list(pool.map(grade, jobs))
    if os.environ.get("ASSIGNMENT_TIMES"):  # seconds per chapter and submission, for the record
        times = {f"{job[0].name} {job[1]}": round(s, 1) for job, (_, s) in zip(jobs, results)}
        Path(os.environ["ASSIGNMENT_TIMES"]).write_text(json.dumps(times, indent=1) + "\n")
    return {(job[0].name, job[1]): scores for job, (scores, _) in zip(jobs, results)}


def points(built: dict[str, Path], chapter: str) -> dict[str, int]:
    source = built[chapter] / "source" / f"{chapter}.ipynb"
    questions = nbformat.read(source, 4).metadata["mobilenet_lab_questions"]
    return {q["name"]: q["points"] for q in questions}


def test_every_chapter_with_exercises_has_hidden_tests():
    assert {p.name[:2] for p in GRADED} == {p.name[:2] for p in CHAPTERS}
    assert {p.name[:2] for p in GRADED} >= {f"{n:02d}" for n in range(1, 11)}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name[:2])
def test_every_exercise_has_hidden_tests(path):
    labels = [label for label, _ in make_assignments._book_solutions(nbformat.read(path, 4))]
    hidden = make_assignments.hidden_tests(path)
    assert labels and all(hidden.get(label) for label in labels), "an exercise without hidden tests"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name[:2])
def test_grading_skips_slow_cells_no_answer_needs(path):
    """What grading runs is cheap (the committed run's seconds of the kept cells: setup and
    imports, mostly), and no skipped cell binds a name that a solution reads."""
    nb = nbformat.read(path, 4)
    skipped = make_assignments.skipped_when_grading(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    kept = sum(make_assignments._duration(c) for c in code if c.source not in skipped)
    assert kept < 10, f"grading would run {kept:.0f} s of {path.name}'s cells"
    read = set()
    for cell in code:
        if "solution" in make_assignments._tags(cell):
            read |= make_assignments._used(ast.parse(cell.source))
    for cell in code:
        if cell.source in skipped:
            bound = set().union(
                *(make_assignments._defined(n) for n in ast.parse(cell.source).body)
            )
            assert not bound & read, (cell.source[:60], bound & read)


@pytest.mark.parametrize("path", GRADED, ids=lambda p: p.name[:2])
def test_full_zero_and_exact_deduction(path, built, graded):
    chapter = path.stem
    expected = points(built, chapter)
    solution = graded[(chapter, "solution")]
    assert solution == {q: (p, p) for q, p in expected.items()}, "reference must score full marks"
    student = graded[(chapter, "student")]
    assert student == {q: (0, p) for q, p in expected.items()}, "untouched notebook must score 0"
    label, _ = _wrong(path)
    wrong = graded[(chapter, "wrong")]
    lost = {q: expected[q] - score for q, (score, _) in wrong.items() if score != expected[q]}
    assert lost == {label: expected[label]}, f"only {label} loses, and all its points"


@pytest.mark.parametrize("path", GRADED, ids=lambda p: p.name[:2])
def test_hidden_tests_only_in_the_autograder(path, built):
    folder = built[path.stem]
    student = folder / "dist" / "student"
    public = "\n".join(f.read_text() for f in (student / "tests").glob("*.py"))
    assert "hidden=True" not in public and "hidden=False" in public
    with zipfile.ZipFile(autograder_zip(folder)) as archive:
        tests = [n for n in archive.namelist() if n.startswith("tests/")]
        assert any("hidden=True" in archive.read(n).decode() for n in tests)
        graded = " ".join(" ".join(archive.read(n).decode().split()) for n in tests)
    nb = nbformat.read(student / f"{path.stem}.ipynb", 4)
    text = "\n".join(c.source for c in nb.cells) + public
    assert "# YOUR CODE HERE" in text and "BEGIN SOLUTION" not in text
    flat = " ".join(text.split())
    for bodies in make_assignments.hidden_tests(path).values():
        for body in bodies:
            code = " ".join(ast.unparse(ast.parse(body)).split())  # as otter writes it
            assert code in graded
            assert code not in flat


def test_grading_is_outside_the_package_and_the_book():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'include = \["mobilenet_lab\*"\]', pyproject)
    toc = (ROOT / "_toc.yml").read_text()
    assert "grading" not in toc


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name[:2])
def test_students_see_the_student_edition_stub(path):
    """otter's solution stripping turns each solution cell into the student edition's stub, and
    each question is worth one point per test case."""
    from make_notebooks import stub_source
    from otter.assign.solutions import replace_solutions

    master = make_assignments.master_notebook(
        path, load_book(), make_assignments.hidden_tests(path)
    )
    cells = master.cells
    begins = [
        i for i, c in enumerate(cells) if c.cell_type == "raw" and c.source == "# BEGIN SOLUTION"
    ]
    assert begins and len(begins) == len(master.metadata["mobilenet_lab_questions"])
    for i in begins:
        solution = cells[i + 1].source
        stripped = "\n".join(replace_solutions(solution.split("\n"), "python"))
        book_source = solution.split("# BEGIN SOLUTION NO PROMPT\n")[1].split("\n# END SOLUTION")[0]
        assert stripped.strip() == stub_source(book_source).strip()
    for q in master.metadata["mobilenet_lab_questions"]:
        hidden = make_assignments.hidden_tests(path).get(q["name"], [])
        assert q["points"] == 1 + len(hidden)
