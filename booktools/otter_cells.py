"""The cells of otter-grader's notebook format (``otter assign``), for :mod:`booktools.assignments`.

A question is a run of cells between raw ``# BEGIN QUESTION`` and ``# END QUESTION`` cells: its
prompt, its solution (the book's solution for the autograder, the student edition's stub for the
students) and its tests, each test an exception-based function of otter's ``env`` (the graded
notebook's names) worth one point.
"""

from __future__ import annotations

import ast
import textwrap

import nbformat
import yaml

from booktools import book as registry
from booktools.cells import SKIP_GRADING
from booktools.stubs import ConventionError

IGNORE_TAG = "otter_ignore"  # otter's tag of the cells it does not run when grading


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


def assignment_config(name: str) -> nbformat.NotebookNode:
    config = {
        "name": name,
        "requirements": "requirements.txt",
        "python_version": "3.11",
        "init_cell": False,  # ours (`otter_cell`) also works in Colab
        "check_all_cell": True,
        "run_tests": False,  # tests/test_assignments.py grades the solutions
        "export_cell": {"pdf": False, "run_tests": True},
        "generate": {"pdf": False, "show_hidden": False},
        "tests": {"files": True, "ok_format": False},
    }
    return raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False))


def tests_url(name: str) -> str:
    """Where a student notebook without its ``tests/`` folder (Colab) fetches its public tests:
    the published notebooks branch, ``assignments/<chapter>/tests/``."""
    return registry.raw_url(f"assignments/{name}/tests/")


def otter_cell(name: str, questions: list[str]) -> nbformat.NotebookNode:
    """otter for the student: installed in Colab, with the public tests fetched when the
    ``tests/`` folder is not next to the notebook. Grading skips it (otter sets itself up)."""
    from otter import __version__

    listed = "".join(f'    "{q}",\n' for q in questions)
    source = f"""# The grader's checks (otter-grader): install otter in Colab, and fetch the
# public tests when the tests/ folder is not next to this notebook.
import os
import urllib.request

try:
    import otter
except ImportError:
    %pip install -q otter-grader=={__version__}
    import otter

TESTS = "{tests_url(name)}"
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


def requirements_text() -> str:
    """What the grading image installs besides otter: the package from the repository, like the
    Colab setup cell, on the CPU build of torch (the grader has no GPU)."""
    return (
        "--extra-index-url https://download.pytorch.org/whl/cpu\n"
        "torch>=2.1\n"
        f"{registry.install_requirement()}\n"
    )
