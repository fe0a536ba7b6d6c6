"""The cells of otter-grader's notebook format (``otter assign``), for :mod:`booktools.assignments`.

A question is a run of cells between raw ``# BEGIN QUESTION`` and ``# END QUESTION`` cells: its
prompt, its solution (the book's solution for the autograder, the student edition's stub for the
students) and its tests, each test an exception-based function of otter's ``env`` (the graded
notebook's names) worth one point.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import yaml

from booktools import book as registry
from booktools import release
from booktools.cells import SKIP_GRADING
from booktools.stubs import ConventionError
from mobilenet_lab.i18n import N_, tr_in

IGNORE_TAG = "otter_ignore"  # otter's tag of the cells it does not run when grading
# Where the autograder zip is unpacked on Gradescope (otter's default ``autograder_dir``): the
# zip's ``files/`` are in ``/autograder/source/files/``.
AUTOGRADER_FILES = "/autograder/source/files/"
# A stand-in for GitHub's raw host (scheme and host, e.g. ``http://127.0.0.1:8000``): when it is
# set, a student notebook fetches its public tests from there (tests/test_colab_grading.py).
RAW_HOST_VARIABLE = "MOBILENET_LAB_RAW_HOST"
OTTER_COMMENT = N_(
    "The grader's checks (otter-grader): install otter in Colab, and fetch the public tests "
    "when the tests/ folder is not next to this notebook."
)


def raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def test_cell(name: str, body: str, names: list[str], hidden: bool) -> nbformat.NotebookNode:
    """An exception-based otter test: ``body`` runs with ``names`` bound from the notebook."""
    bind = "".join(f'{n} = env.get("{n}")\n' for n in names)
    code = f"def {name}(env):\n" + textwrap.indent(bind + body.strip() + "\n", "    ")
    ast.parse(code)
    config = f'""" # BEGIN TEST CONFIG\npoints: 1\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
    return nbformat.v4.new_code_cell(config + code)


def solution_cell(label: str, solution: str, stub: str) -> nbformat.NotebookNode:
    """The book's solution for the autograder, the student edition's stub for the students."""
    quote = "'''" if '"""' in stub else '"""'
    if quote in stub:
        raise ConventionError(f"{label}: the stub holds both kinds of triple quotes")
    source = (
        "# BEGIN SOLUTION NO PROMPT\n"
        f"{solution.rstrip()}\n"
        "# END SOLUTION\n"
        f"{quote} # BEGIN PROMPT\n"
        f"{stub.rstrip()}\n"
        f"{quote} # END PROMPT"
    )
    return nbformat.v4.new_code_cell(source)


def assignment_config(name: str, wheel: Path | None) -> nbformat.NotebookNode:
    """otter's configuration of one assignment: with the package's ``wheel`` in the autograder
    zip (``requirements.txt`` installs it, see :func:`requirements_text`), or, without one, no
    autograder zip at all (a translated assignment: its tests are the English one's)."""
    config = {
        "name": name,
        "requirements": "requirements.txt",
        "python_version": "3.11",
        "init_cell": False,  # ours (`otter_cell`) also works in Colab
        "check_all_cell": True,
        "run_tests": False,  # tests/test_assignments.py grades the solutions
        "export_cell": {"pdf": False, "run_tests": True},
        "generate": {"pdf": False, "show_hidden": False} if wheel else False,
        "tests": {"files": True, "ok_format": False},
    }
    if wheel:
        config["autograder_files"] = [wheel.name]
    return raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False))


def tests_url(name: str, language: str = "en") -> str:
    """Where a student notebook without its ``tests/`` folder (Colab) fetches its public tests:
    the published notebooks branch, ``[ko/]assignments/<chapter>/tests/``."""
    return registry.raw_url(f"{registry.language_folder(language)}assignments/{name}/tests/")


def otter_cell(name: str, questions: list[str], language: str = "en") -> nbformat.NotebookNode:
    """otter for the student: installed in Colab, with the public tests fetched when the
    ``tests/`` folder is not next to the notebook (from :data:`RAW_HOST_VARIABLE`'s host instead
    of GitHub's when it is set). Grading skips it (otter sets itself up)."""
    from otter import __version__

    listed = "".join(f'    "{q}",\n' for q in questions)
    comment = textwrap.fill(
        tr_in(language, OTTER_COMMENT), 96, initial_indent="# ", subsequent_indent="# "
    )
    raw_host = "{0.scheme}://{0.netloc}".format(urlsplit(registry.raw_url("")))
    source = f"""{comment}
import os
import urllib.request

try:
    import otter
except ImportError:
    %pip install -q otter-grader=={__version__}
    import otter

TESTS = "{tests_url(name, language)}"
if "{RAW_HOST_VARIABLE}" in os.environ:  # a stand-in for GitHub (the book's own tests)
    TESTS = TESTS.replace("{raw_host}", os.environ["{RAW_HOST_VARIABLE}"], 1)
os.makedirs("tests", exist_ok=True)
for _question in [
{listed}]:
    _path = f"tests/{{_question}}.py"
    if not os.path.exists(_path):
        urllib.request.urlretrieve(TESTS + _question + ".py", _path)
grader = otter.Notebook()"""
    return nbformat.v4.new_code_cell(source, metadata={"tags": [IGNORE_TAG]})


def skip_when_grading(cell: nbformat.NotebookNode) -> None:
    """A cell tagged ``skip-grading`` in the book: otter does not run it when grading."""
    cell_tags = cell.metadata.setdefault("tags", [])
    if SKIP_GRADING in cell_tags and IGNORE_TAG not in cell_tags:
        cell_tags.append(IGNORE_TAG)


def requirements_text(wheel: Path, sha256: str) -> str:
    """What the grading image installs besides otter: the package's ``wheel`` that the zip
    carries (pinned by its hash: the package that built the assignment, whatever the repository
    holds later) and every package it needs at the exact version that built and graded it
    (:func:`booktools.release.runtime_pins`; torch's CPU build: the grader has no GPU)."""
    pins = "".join(f"{pin}\n" for pin in release.runtime_pins())
    return (
        "--extra-index-url https://download.pytorch.org/whl/cpu\n"
        f"{pins}"
        f"mobilenet-lab @ file://{AUTOGRADER_FILES}{wheel.name}#sha256={sha256}\n"
    )
