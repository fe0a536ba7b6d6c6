"""The graded assignments (booktools.assignments), graded locally with ``otter run``.

For every chapter with exercises (``grading/hidden/chNN.py`` holds its hidden tests), two
submissions, which together give every exercise both its reference answer and a wrong or missing
one: the reference solutions (the autograder notebook otter writes) with ``WRONG``'s answer in
place of one exercise's lose exactly that exercise's points (every other reference answer scores
full marks, whatever that one answers); the untouched student notebook with only that exercise's
reference answer in place scores exactly that exercise's points (every stub scores 0, and that
reference answer scores alone). A Korean submission (the reference solutions of one chapter's
Korean notebook) scores full marks with the English zip. The hidden tests reach the autograder zip
and nowhere else. The assignments are ``make assignments``'s, in ``_build/assignments`` (written
here when missing or out of date); the 2 × 10 + 1 submissions are graded two at a time
(``ASSIGNMENT_WORKERS``), each kernel on one thread. Each zip carries the wheel of the package that
built it, pinned by its hash (``test_the_autograder_installs_the_wheel_it_carries``). Grading skips the cells the book tags
``skip-grading`` (checked by ``booktools.dataflow``), so chapter 8, which trains for minutes in the
book, grades in seconds; what it skips depends on the source and its tags only, so re-executing a
chapter cannot change a grade (``test_grading_depends_on_the_source_only``).
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import random
import re
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
import yaml

from booktools import assignments, dataflow, release
from booktools import book as registry
from booktools import otter_cells as otter
from booktools.cells import SKIP_GRADING, SOLUTION, tags
from booktools.editions import load_book
from booktools.hidden import hidden_tests, load_module
from booktools.stubs import ConventionError, stub_source

ROOT = registry.ROOT
CHAPTERS = assignments.graded_chapters()
VARIANTS = ("wrong", "one-answer")  # see the module docstring
WORKERS = int(os.environ.get("ASSIGNMENT_WORKERS", "2"))
TRANSLATED = registry.translations()
QUICK = "05_separable_block"  # the chapter whose Korean submission is graded too


def _wrong(chapter: registry.Chapter) -> tuple[str, str]:
    return load_module(chapter.key).WRONG


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
    out = submission.parent.parent / f"results-{variant}"
    out.mkdir()
    start = time.perf_counter()
    otter_run(
        str(submission), autograder=str(autograder_zip(folder)), output_dir=str(out), no_logo=True
    )
    seconds = time.perf_counter() - start
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {t["name"]: (t["score"], t["max_score"]) for t in tests if "max_score" in t}, seconds


@pytest.fixture(scope="module")
def every_language() -> dict[tuple[str, str], Path]:
    """Every chapter's assignment in every language, as ``make assignments`` writes them
    (``otter assign`` runs here only for those missing or out of date)."""
    return assignments.write_all(assignments.OUT, CHAPTERS, workers=WORKERS)


@pytest.fixture(scope="module")
def built(every_language) -> dict[str, Path]:
    """The English assignments (with the autograder zips): chapter stem → folder."""
    return {stem: folder for (language, stem), folder in every_language.items() if language == "en"}


@pytest.fixture(scope="module")
def graded(built, every_language, tmp_path_factory) -> dict[tuple[str, str], dict]:
    """The two submissions of every graded chapter, and one Korean submission, graded two at a
    time."""
    jobs = []
    for chapter in CHAPTERS:
        folder = built[chapter.stem]
        work = tmp_path_factory.mktemp(chapter.stem)
        for variant in VARIANTS:
            (work / variant).mkdir(parents=True)
        solution = nbformat.read(folder / "dist" / "autograder" / chapter.name, 4)
        student = nbformat.read(folder / "dist" / "student" / chapter.name, 4)
        label, code = _wrong(chapter)
        answer = solution.cells[answer_cell(solution, label)].source
        student.cells[answer_cell(student, label)].source = answer
        nbformat.write(student, work / "one-answer" / chapter.name)
        solution.cells[answer_cell(solution, label)].source = code
        nbformat.write(solution, work / "wrong" / chapter.name)
        jobs += [(folder, v, work / v / chapter.name) for v in VARIANTS]
    for language in TRANSLATED:  # graded by the English zip
        korean = every_language[(language, QUICK)] / "dist" / "autograder" / f"{QUICK}.ipynb"
        work = tmp_path_factory.mktemp(f"{language}-{QUICK}") / f"{language}-solution"
        work.mkdir()
        nbformat.write(nbformat.read(korean, 4), work / korean.name)
        jobs.append((built[QUICK], f"{language}-solution", work / korean.name))
    # the most cells to run first (the longest jobs), so that the two workers finish together
    jobs.sort(key=lambda job: -_graded_cells(job[2]))
    with ProcessPoolExecutor(WORKERS) as pool:
        results = list(pool.map(grade, jobs))
    if os.environ.get("ASSIGNMENT_TIMES"):  # seconds per chapter and submission, for the record
        times = {f"{job[0].name} {job[1]}": round(s, 1) for job, (_, s) in zip(jobs, results)}
        Path(os.environ["ASSIGNMENT_TIMES"]).write_text(json.dumps(times, indent=1) + "\n")
    return {(job[0].name, job[1]): scores for job, (scores, _) in zip(jobs, results)}


def _graded_cells(path: Path) -> int:
    """How many code cells grading runs in a submission (otter skips ``otter_ignore``)."""
    cells = nbformat.read(path, 4).cells
    return sum(c.cell_type == "code" and "otter_ignore" not in tags(c) for c in cells)


def points(built: dict[str, Path], chapter: str) -> dict[str, int]:
    source = built[chapter] / "source" / f"{chapter}.ipynb"
    questions = nbformat.read(source, 4).metadata["mobilenet_lab_questions"]
    return {q["name"]: q["points"] for q in questions}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.key)
def test_no_skipped_cell_binds_a_name_an_answer_needs(chapter):
    """The ``skip-grading`` tags are safe (``booktools.dataflow``: no tagged cell binds a name a
    solution, or a cell a solution needs, reads), and the builder checks them too."""
    nb = nbformat.read(chapter.path, 4)
    assert not dataflow.grading_problems(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    read = set().union(*(dataflow.used(ast.parse(c.source)) for c in code if SOLUTION in tags(c)))
    for cell in code:
        if SKIP_GRADING in tags(cell):
            bound = set().union(*(dataflow.defined(n) for n in ast.parse(cell.source).body))
            assert not bound & read, (cell.source[:60], bound & read)
    assert sum(SKIP_GRADING in tags(c) for c in code) > 0


def _synthetic(*sources: str, skipped: tuple[int, ...] = ()) -> dict:
    cells = [nbformat.v4.new_code_cell("import torch")]
    for i, text in enumerate(sources):
        cell = nbformat.v4.new_code_cell(text)
        cell.metadata["tags"] = [SKIP_GRADING] if i in skipped else []
        cells.append(cell)
    cells[-1].metadata["tags"].append(SOLUTION)
    return nbformat.v4.new_notebook(cells=cells)


def test_an_unsafe_skip_grading_tag_is_found():
    """The check itself: skipping what a solution needs, or keeping what reads a skipped cell's
    names, are both reported; skipping an illustration is not."""
    needed = _synthetic("data = [1, 2]", "plot = 1", "def f():\n    return len(data)", skipped=(0,))
    assert "an answer may depend on it" in " ".join(dataflow.grading_problems(needed))
    doomed = _synthetic("sweep = {}", "best = max(sweep)", "answer = 1", skipped=(0,))
    assert "only skipped cells bind" in " ".join(dataflow.grading_problems(doomed))
    safe = _synthetic("sweep = {}", "best = max(sweep)", "answer = 1", skipped=(0, 1))
    assert not dataflow.grading_problems(safe)


def _as_if_reexecuted(nb: nbformat.NotebookNode, seed: int) -> nbformat.NotebookNode:
    """``nb`` as another machine's re-execution leaves it: other execution counts, other
    timestamps (``metadata.execution``), other outputs (glued values too)."""
    rng = random.Random(seed)
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.execution_count = (cell.execution_count or 0) + rng.randrange(1, 9)
        start = f"2030-01-0{rng.randrange(1, 9)}T00:00:{rng.randrange(10, 60)}.0Z"
        cell.metadata["execution"] = {"iopub.execute_input": start, "shell.execute_reply": start}
        for output in cell.outputs:
            for mime, value in output.get("data", {}).items():
                if mime.endswith("text/plain"):
                    output["data"][mime] = _another(value, rng)
            if "text" in output:
                output["text"] = f"{output['text']}{rng.random()}"
    return nb


def _another(value: str, rng: random.Random) -> str:
    """Another value of the same kind (glued numbers are formatted as numbers)."""
    for kind in (int, float):
        try:
            return repr(kind(value) + kind(rng.randrange(1, 9)))
        except ValueError:
            pass
    return f"{value}{rng.random()}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.key)
def test_grading_depends_on_the_source_only(chapter):
    """Grading the same submission gives the same score before and after re-executing a chapter:
    what the autograder runs (every code cell, its tags, every test) is built from the book's
    source and tags only, identical for the committed run and for a re-execution elsewhere."""
    book = load_book()

    def graded(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
        master = assignments.master_notebook(nb, chapter, book)
        return [(c.cell_type, c.source, tags(c)) for c in master.cells if c.cell_type != "markdown"]

    committed = nbformat.read(chapter.path, 4)
    assert graded(committed) == graded(_as_if_reexecuted(committed, seed=chapter.number))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.key)
def test_full_zero_and_exact_deduction(chapter, built, graded):
    """Every reference answer scores full marks, every stub and the wrong answer 0 (the module
    docstring says how two submissions show it)."""
    expected = points(built, chapter.stem)
    label, _ = _wrong(chapter)
    wrong = graded[(chapter.stem, "wrong")]
    full_but_one = {q: (0 if q == label else p, p) for q, p in expected.items()}
    assert wrong == full_but_one, f"the other reference answers score full marks, {label} 0"
    one_answer = graded[(chapter.stem, "one-answer")]
    only_one = {q: (p if q == label else 0, p) for q, p in expected.items()}
    assert one_answer == only_one, f"the stubs score 0, {label}'s reference answer full marks"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translated_submission_scores_full_marks(language, built, graded):
    """The reference solutions of a translated notebook, graded by the English zip."""
    expected = points(built, QUICK)
    assert graded[(QUICK, f"{language}-solution")] == {q: (p, p) for q, p in expected.items()}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.key)
def test_hidden_tests_only_in_the_autograder(chapter, built):
    folder = built[chapter.stem]
    student = folder / "dist" / "student"
    public = "\n".join(f.read_text() for f in (student / "tests").glob("*.py"))
    assert "hidden=True" not in public and "hidden=False" in public
    with zipfile.ZipFile(autograder_zip(folder)) as archive:
        tests = [n for n in archive.namelist() if n.startswith("tests/")]
        assert any("hidden=True" in archive.read(n).decode() for n in tests)
        graded = " ".join(" ".join(archive.read(n).decode().split()) for n in tests)
    nb = nbformat.read(student / chapter.name, 4)
    text = "\n".join(c.source for c in nb.cells) + public
    assert "# YOUR CODE HERE" in text and "BEGIN SOLUTION" not in text
    flat = " ".join(text.split())
    for tests in hidden_tests(chapter.key).values():
        for test in tests:
            code = " ".join(ast.unparse(ast.parse(test.body)).split())  # as otter writes it
            assert code in graded
            assert code not in flat


def test_grading_is_outside_the_package_and_the_book():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'include = \["mobilenet_lab\*"\]', pyproject)
    assert not any(page.startswith("grading") for page in registry.pages())


def test_a_hidden_test_must_read_what_the_solution_defines():
    from booktools.hidden import HiddenTest

    question = assignments.Question("ex-00-x", solution="answer = 1", check="check_x(answer)")
    question.hidden = [HiddenTest("ex-00-x", "test_other", ("other",), "assert other\n")]
    with pytest.raises(ConventionError, match="reads \\['other'\\]"):
        assignments.question_cells(question, {"check_x": "from m import check_x"})


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.key)
def test_students_see_the_student_edition_stub(chapter):
    """otter's solution stripping turns each solution cell into the student edition's stub, and
    each question is worth one point per test case."""
    from otter.assign.solutions import replace_solutions

    master = assignments.master_notebook(nbformat.read(chapter.path, 4), chapter, load_book())
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
    hidden = hidden_tests(chapter.key)
    for q in master.metadata["mobilenet_lab_questions"]:
        assert q["points"] == 1 + len(hidden.get(q["name"], []))


def _pip_download(requirement: str, dest: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-index", "-d", str(dest),
         requirement],
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_the_autograder_installs_the_wheel_it_carries(built, tmp_path):
    """Reproducible grading: every zip carries the package's wheel, built from this tree (its
    version names the commit, the student notebook names the same), and its environment installs
    otter and that wheel, pinned by its SHA-256 (pip refuses another file), and every package it
    needs, each at the exact version of this environment."""
    pins = set(release.runtime_pins())
    assert "torch==" + importlib.metadata.version("torch").split("+")[0] in pins
    for stem, folder in built.items():
        with zipfile.ZipFile(autograder_zip(folder)) as archive:
            (wheel,) = [n for n in archive.namelist() if n.endswith(".whl")]
            archive.extract(wheel, tmp_path / stem)
            environment = yaml.safe_load(archive.read("environment.yml"))
        wheel_path = tmp_path / stem / wheel
        assert wheel == f"files/mobilenet_lab-{release.version()}-py3-none-any.whl"
        digest = release.sha256(wheel_path)
        # otter adds our requirements.txt to the pip list of its environment, after its own pin
        (pip,) = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
        otter_pin = f"otter-grader[grading,plugins]=={importlib.metadata.version('otter-grader')}"
        assert pip[0] == otter_pin
        pinned = [line for line in pip[1:] if not line.startswith("-")]
        local = otter.AUTOGRADER_FILES + Path(wheel).name
        assert set(pinned) == pins | {f"mobilenet-lab @ file://{local}#sha256={digest}"}
        student = nbformat.read(folder / "dist" / "student" / f"{stem}.ipynb", 4)
        assert student.metadata["mobilenet_lab_build"] == release.version()
        with zipfile.ZipFile(wheel_path) as archive:
            packaged = {n for n in archive.namelist() if n.startswith("mobilenet_lab/")}
        ours = ROOT / "mobilenet_lab"
        files = {p for p in ours.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        assert packaged >= {f"mobilenet_lab/{p.relative_to(ours).as_posix()}" for p in files
                            if p.suffix == ".py"}  # fmt: skip
    url = f"mobilenet-lab @ {wheel_path.as_uri()}"
    assert _pip_download(f"{url}#sha256={digest}", tmp_path / "ok").returncode == 0
    refused = _pip_download(f"{url}#sha256={'0' * 64}", tmp_path / "refused")
    assert refused.returncode != 0 and "hash" in refused.stderr.lower(), refused.stderr
