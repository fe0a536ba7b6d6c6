"""The Colab path of a graded notebook, run for real (``make publish-test``).

A student notebook of the publish tree (``notebooks/[ko/]assignments/<chapter>/``) is copied alone
into an empty folder, as Colab opens it: no ``tests/`` folder next to it. The notebooks branch is
served from the publish tree by a loopback HTTP server that stands in for GitHub's raw host
(``MOBILENET_LAB_RAW_HOST``, read by the notebook's otter cell), and nothing else is reachable.
The notebook is executed top to bottom in a fresh kernel whose working folder is that empty one:
its otter cell fetches the public tests, and a cell added at the end runs
``grader.check_all()``. The English student notebook with every other exercise's reference answer
filled in (taken from the autograder notebook that ``otter assign`` wrote) scores full marks on
those and 0 on the untouched ones; the Korean notebook with all its answers filled in scores full
marks.

The package and otter are importable in the kernel (this environment's), so the notebook's setup
cell and otter cell skip their ``pip install``; ``make colab`` runs the editions in a fresh venv.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from booktools import assignments, links, publish
from booktools import book as registry
from booktools import otter_cells as otter
from mobilenet_lab.i18n import LANGUAGES

CHAPTER = "05_separable_block"  # a graded chapter that runs in seconds
STUB = "# YOUR CODE HERE"
RESULTS = "MOBILENET_LAB_RESULTS "


@pytest.fixture(scope="module")
def branch() -> Path:
    """The publish tree's notebooks branch (``make publish`` writes it; written here if not)."""
    tree = publish.OUT / links.NOTEBOOKS
    if not (tree / "README.md").exists():
        tree = publish.publish()[links.NOTEBOOKS]
    return tree


@pytest.fixture(scope="module")
def raw_host(branch, tmp_path_factory) -> Iterator[str]:
    """A loopback server with the branch at the raw host's path (``/<owner>/<repo>/<branch>/``):
    the host to put in place of ``https://raw.githubusercontent.com``."""
    root = tmp_path_factory.mktemp("raw")
    served = root / registry.repository() / registry.notebooks_branch()
    served.parent.mkdir(parents=True)
    served.symlink_to(branch, target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass


def with_answers(
    student: nbformat.NotebookNode, language: str, every: int = 1
) -> tuple[nbformat.NotebookNode, set[str]]:
    """``student`` with every ``every``-th ``# YOUR CODE HERE`` cell (the first, then ...)
    replaced by the reference answer of the autograder notebook, cell for cell; and the questions
    whose checks follow an answered cell."""
    folder = assignments.OUT / registry.language_folder(language) / CHAPTER
    reference = nbformat.read(folder / "dist" / "autograder" / f"{CHAPTER}.ipynb", 4)
    assert len(reference.cells) == len(student.cells)
    filled = nbformat.from_dict(json.loads(json.dumps(student)))
    stubs, answered, last = 0, set(), False
    for cell, answer in zip(filled.cells, reference.cells):
        check = re.fullmatch(r'grader\.check\("([^"]+)"\)', cell.source.strip())
        if check and last:
            answered.add(check.group(1))
        if cell.cell_type == "code" and STUB in cell.source:
            assert "BEGIN SOLUTION" in answer.source  # otter's markers are comments
            last = stubs % every == 0
            if last:
                cell.source = answer.source
            stubs += 1
    assert answered
    return filled, answered


def run_as_colab(nb: nbformat.NotebookNode, folder: Path, host: str, monkeypatch) -> dict:
    """Execute ``nb`` alone in ``folder`` (empty but for it), the tests fetched from ``host``;
    return ``grader.check_all()``'s scores: question → [score, possible]."""
    name = f"{CHAPTER}.ipynb"
    nbformat.write(nb, folder / name)
    assert sorted(p.name for p in folder.iterdir()) == [name]
    nb = nbformat.read(folder / name, 4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import json\n"
            "_all = grader.check_all()\n"
            "_all = getattr(_all, 'return_value', _all)\n"
            f"print({RESULTS!r} + json.dumps("
            "{q: [r.score, r.possible] for q, r in _all.results.items()}))"
        )
    )
    monkeypatch.setenv(otter.RAW_HOST_VARIABLE, host)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(folder)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    line = next(x for x in text.splitlines() if x.startswith(RESULTS))
    assert any((folder / "tests").glob("*.py")), "the otter cell fetched no test"
    return json.loads(line[len(RESULTS) :])


def student_notebook(branch: Path, language: str) -> nbformat.NotebookNode:
    path = (
        branch / registry.language_folder(language) / "assignments" / CHAPTER / f"{CHAPTER}.ipynb"
    )
    return nbformat.read(path, 4)


def public_tests(branch: Path, language: str) -> list[str]:
    """The questions whose public tests the branch holds for the chapter."""
    tests = branch / registry.language_folder(language) / "assignments" / CHAPTER / "tests"
    return sorted(path.stem for path in tests.glob("*.py"))


# English: every other exercise answered (both outcomes in one run); a translation: all answered
RUNS = [(LANGUAGES[0], 2)] + [(language, 1) for language in LANGUAGES[1:]]


@pytest.mark.parametrize(("language", "every"), RUNS)
def test_a_student_notebook_alone_in_colab(
    branch, raw_host, tmp_path, monkeypatch, language, every
):
    """Full marks on the exercises with the reference answer, 0 on the untouched ones (the
    English run has both), every public test fetched."""
    nb, answered = with_answers(student_notebook(branch, language), language, every)
    scores = run_as_colab(nb, tmp_path, raw_host, monkeypatch)
    assert sorted(scores) == public_tests(branch, language)
    assert every == 1 or set(scores) - answered, "some exercise left untouched"
    for question, (score, possible) in scores.items():
        assert possible > 0
        expected = possible if question in answered else 0
        assert score == expected, (question, score, possible)
