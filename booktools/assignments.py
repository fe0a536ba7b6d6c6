"""Graded assignments: every chapter as an otter-grader assignment, from the book's own source.

For each chapter with exercises, this writes otter's notebook format (``_build/assignments/
<chapter>/source/<chapter>.ipynb``) and runs ``otter assign`` on it, which gives
``dist/student/<chapter>.ipynb`` (what students open, with ``tests/``, the public tests) and
``dist/autograder/<chapter>-autograder_*.zip`` (what Gradescope accepts; it holds the hidden
tests too). Nothing is written by hand twice:

- the notebook is the chapter's student edition (``scripts/make_notebooks.py``: plain Markdown,
  glued numbers filled in, solutions stubbed); each exercise becomes one otter question named
  after its label (``ex-01-conv-params``);
- the solution is the book's ``solution`` cell; otter strips it (``# BEGIN SOLUTION NO PROMPT``)
  and shows the student edition's stub in its place (``# BEGIN PROMPT``), so students see the same
  ``# YOUR CODE HERE`` in every edition;
- the public test is the chapter's check cell: the same checker the reader runs, which must say
  "✅ Correct" (its feedback is the failure message); the check cell itself is replaced by otter's
  ``grader.check(...)``, which runs that test;
- hidden tests come from ``grading/hidden/chNN.py`` (``HIDDEN``: label → list of test bodies,
  Python run with the student's names bound): other inputs and edge cases. They live in that
  folder only, outside the package and ``book/``, and reach the autograder zip only.

Points: every test case is worth one point, so an exercise is worth 1 + its hidden tests.

Also in each notebook: a cell after the setup cell that installs otter in Colab and fetches the
public tests from the published notebooks branch (``assignments/<chapter>/tests/``) when they
are not next to the notebook, and the tag ``otter_ignore`` on the slow cells that no answer
needs (``skipped_when_grading``: training runs, timings, figures), so that grading a submission
stays quick (chapter 8 trains for minutes; graded, it runs in seconds).

Usage: python scripts/make_assignments.py [--out _build/assignments] [--no-otter] [book/NN_….ipynb ...]
"""

from __future__ import annotations

import argparse
import ast
import builtins
import importlib.util
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from make_notebooks import (
    ROOT,
    ConventionError,
    colab_url,
    edition_notebook,
    load_book,
    site_config,
)
from myst_markdown import ConversionError

HIDDEN_DIR = ROOT / "grading" / "hidden"
CHECK_PREFIX = "check_"
GRADED_NOTE = (
    "> **Graded assignment.** Run the cells in order. Write each answer in place of "
    "`# YOUR CODE HERE`, then run the `grader.check(...)` cell below it: it runs the same check "
    "as the book. Each exercise is also graded by hidden tests (other inputs, edge cases), so "
    "write answers that work for any input, not only the example. At the end, run "
    "`grader.export()` and submit the zip file it makes. When your notebook is graded, every "
    "code cell runs apart from slow ones that no answer needs (training runs, timings, "
    "figures): an answer should use only what the exercise names."
)


@dataclass
class Question:
    """One exercise as an otter question."""

    label: str
    prompt: list[nbformat.NotebookNode] = field(default_factory=list)  # Markdown cells
    solution: str = ""  # the book's solution cell
    stub: str = ""  # the student edition's stub of it
    check: str = ""  # the chapter's check cell
    hidden: list[str] = field(default_factory=list)

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


def hidden_tests(notebook: Path) -> dict[str, list[str]]:
    """``HIDDEN`` of ``grading/hidden/chNN.py`` for a chapter (empty when there is none)."""
    path = HIDDEN_DIR / f"ch{notebook.name[:2]}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"hidden_ch{notebook.name[:2]}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {label: list(tests) for label, tests in getattr(module, "HIDDEN", {}).items()}


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _is_check(cell: dict) -> bool:
    if cell.get("cell_type") != "code" or "solution" in _tags(cell):
        return False
    try:
        tree = ast.parse(cell["source"])
    except SyntaxError:
        return False
    last = tree.body[-1] if tree.body else None
    return (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and getattr(last.value.func, "id", "").startswith(CHECK_PREFIX)
    )


def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def _test_cell(name: str, body: str, names: list[str], hidden: bool) -> nbformat.NotebookNode:
    """An exception-based otter test: ``body`` runs with ``names`` bound from the notebook."""
    bind = "".join(f'{n} = env.get("{n}")\n' for n in names)
    code = f"def {name}(env):\n" + textwrap.indent(bind + body.strip() + "\n", "    ")
    ast.parse(code)
    config = f'""" # BEGIN TEST CONFIG\npoints: 1\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
    return nbformat.v4.new_code_cell(config + code)


def public_test(question: Question, imports: dict[str, str]) -> tuple[str, list[str]]:
    """The check cell as a test: the checker must return a correct Feedback.

    ``imports`` (name → import statement, from the whole chapter) supplies a checker that the
    chapter imported in an earlier cell. Returns the test's body and the notebook names it reads:
    the student's answers, and whatever else the check cell passes to its checker (chapter 8's
    own learning-rate sweep). Those are read with ``env.get``: when grading skips the cell that
    makes one (``skipped_when_grading``), the checker gets ``None`` and checks its own cases only.
    """
    tree = ast.parse(question.check)
    *setup, last = tree.body
    lines = [ast.unparse(node) for node in setup]
    checker = last.value.func.id
    local = set().union(*(_defined(node) for node in setup)) if setup else set()
    if checker not in local:
        if checker not in imports:
            raise ConventionError(f"{question.label}: where does {checker} come from?")
        lines.insert(0, imports[checker])
        local.add(checker)
    lines.append(f"feedback = {ast.unparse(last.value)}")
    lines.append("assert feedback, str(feedback)")
    read = sorted(_loads(tree) - local - set(question.names) - set(dir(builtins)))
    return "\n".join(lines), question.names + read


def _defined(node: ast.AST) -> set[str]:
    """Global names a top-level statement binds (assignments, imports, defs, loop targets)."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in sub.names}
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names


def _parse(source: str) -> ast.Module | None:
    """A code cell's AST (``None`` for cells with IPython magics or shell lines)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def chapter_imports(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Every name the chapter imports (``from m import a, b``), with its import statement."""
    found = {}
    for cell in nb.cells:
        tree = _parse(cell.source) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    one = ast.ImportFrom(node.module, [alias], node.level)
                    found[alias.asname or alias.name] = ast.unparse(one)
    return found


# --- what the autograder runs ---------------------------------------------------------------------

SLOW_S = 0.2  # a cell that took this long in the committed run is worth skipping when grading
IGNORE_TAG = "otter_ignore"


def _duration(cell: dict) -> float:
    """Seconds a code cell took in the committed run (0 when not recorded)."""
    from datetime import datetime

    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not start or not end:
        return 0.0
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def _loads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _used(tree: ast.Module) -> set[str]:
    """Global names a cell reads: the arguments of its functions and lambdas, and a function's
    locals, do not count."""
    used = set()
    for node in tree.body:
        args = {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            local = set().union(*(_defined(n) for n in node.body)) | args
            used |= _loads(node) - local
        else:
            used |= _loads(node) - args
    return used


def skipped_when_grading(nb: nbformat.NotebookNode) -> set[str]:
    """Sources of the chapter's code cells that the autograder skips (tag ``otter_ignore``).

    Grading runs the whole notebook, three times per chapter in the tests; most of that time goes
    into cells that only illustrate (training runs, timings, figures). A cell is skipped when it
    is slow (``SLOW_S`` in the committed run) and no answer can depend on it: it imports nothing,
    and nothing it defines (names, functions, classes) is used by a solution or, transitively,
    by a cell a solution needs. A check cell's own data (chapter 8's learning-rate sweep) is not
    needed: the public test reads it with ``env.get`` and the checker's own cases still run, and
    the hidden tests bring their own inputs. A quick cell that reads what only skipped cells
    make is skipped too (it would only fail). The students' notebook still holds and runs every
    cell.
    """
    code = [c for c in nb.cells if c.cell_type == "code"]
    needed: list[bool] = [False] * len(code)
    wanted: set[str] = set()
    for i in reversed(range(len(code))):
        cell = code[i]
        tree = _parse(cell.source)
        if tree is None or i == 0:
            needed[i] = True
            continue
        context = any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body)
        defined = set().union(*(_defined(n) for n in tree.body)) if tree.body else set()
        if "solution" in _tags(cell) or context or defined & wanted:
            needed[i] = True
            # a name the cell binds itself (a loop variable, a reused `model`) is not read from
            # an earlier cell, unless it is updated in place (`total += …`, outside a function)
            updated = {
                n.target.id
                for top in tree.body
                if not isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                for n in ast.walk(top)
                if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
            }
            wanted |= (_used(tree) - defined) | updated
    skipped: set[str] = set()
    missing: set[str] = set()  # names only skipped cells have bound so far
    for cell, keep in zip(code, needed):
        tree = _parse(cell.source)
        defined = set().union(*(_defined(n) for n in tree.body)) if tree and tree.body else set()
        doomed = tree is not None and bool(_used(tree) & missing)  # it would only fail
        if not keep and "solution" not in _tags(cell) and (doomed or _duration(cell) >= SLOW_S):
            skipped.add(cell.source)
            missing |= defined
        else:
            missing -= defined
    return skipped


def _solution_cell(question: Question) -> nbformat.NotebookNode:
    """The book's solution for the autograder, the student edition's stub for the students."""
    quote = "'''" if '"""' in question.stub else '"""'
    if quote in question.stub:
        raise ConventionError(f"{question.label}: the stub holds both kinds of triple quotes")
    source = (
        "# BEGIN SOLUTION NO PROMPT\n"
        f"{question.solution.rstrip()}\n"
        "# END SOLUTION\n"
        f"{quote} # BEGIN PROMPT\n"
        f"{question.stub.rstrip()}\n"
        f"{quote} # END PROMPT"
    )
    return nbformat.v4.new_code_cell(source)


def question_cells(question: Question, imports: dict[str, str]) -> list[nbformat.NotebookNode]:
    config = yaml.safe_dump({"name": question.label, "points": question.points}, sort_keys=False)
    cells = [_raw(f"# BEGIN QUESTION\n{config}"), *question.prompt]
    cells += [_raw("# BEGIN SOLUTION"), _solution_cell(question), _raw("# END SOLUTION")]
    cells.append(_raw("# BEGIN TESTS"))
    body, names = public_test(question, imports)
    cells.append(_test_cell("test_public", body, names, hidden=False))
    for i, body in enumerate(question.hidden, 1):
        cells.append(_test_cell(f"test_hidden_{i}", body, question.names, hidden=True))
    cells += [_raw("# END TESTS"), _raw("# END QUESTION")]
    return cells


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
    return _raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False))


def tests_url(name: str) -> str:
    """Where a student notebook without its ``tests/`` folder (Colab) fetches its public tests:
    the published notebooks branch, ``assignments/<chapter>/tests/``."""
    colab = site_config()["colab"]  # …/github/<owner>/<repo>/blob/<branch>/
    repo_branch = colab.split("/github/", 1)[1].replace("/blob/", "/")
    return f"https://raw.githubusercontent.com/{repo_branch}assignments/{name}/tests/"


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


def requirements_text() -> str:
    """What the grading image installs besides otter: the package from the repository, like the
    Colab setup cell, on the CPU build of torch (the grader has no GPU)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"].get("branch", "main")
    return (
        "--extra-index-url https://download.pytorch.org/whl/cpu\n"
        "torch>=2.1\n"
        f"mobilenet-lab @ git+{repo}@{branch}\n"
    )


def _book_solutions(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(label, source) of every solution cell of the book, in order."""
    found, label = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            labels = re.findall(r"\{solution-start\}\s+(\S+)", cell.source)
            label = labels[-1] if labels else label
        elif "solution" in _tags(cell):
            found.append((label, cell.source))
    return found


def _exercise_heading(markdown: str) -> int | None:
    """Where an exercise's heading starts in a converted Markdown cell (None: no exercise)."""
    match = re.search(r"^### Exercise\b", markdown, re.MULTILINE)
    return match.start() if match else None


def master_notebook(path: Path, book, hidden: dict[str, list[str]]) -> nbformat.NotebookNode:
    """The otter-format notebook of one chapter (``ConventionError`` if it does not fit)."""
    nb = nbformat.read(path, as_version=4)
    page = str(path.resolve().relative_to(ROOT).with_suffix(""))
    student = edition_notebook(nb, "student", book, page, path.name)
    stem, name = path.stem, path.name
    solutions = _book_solutions(nb)
    imports = chapter_imports(nb)
    skipped = skipped_when_grading(nb)
    out = nbformat.v4.new_notebook(metadata=dict(student.metadata))
    out.cells.append(assignment_config(path.stem))
    questions: list[Question] = []
    current: Question | None = None
    pending: list[nbformat.NotebookNode] = []  # the Markdown of the exercise being read
    otter_at: int | None = None
    for cell in student.cells:
        heading = _exercise_heading(cell.source) if cell.cell_type == "markdown" else None
        if heading is not None and current is None:
            before, cell.source = cell.source[:heading].rstrip(), cell.source[heading:]
            if before:
                out.cells.append(nbformat.v4.new_markdown_cell(before))
            pending = [cell]
        elif pending and cell.cell_type == "markdown":
            pending.append(cell)
        elif cell.cell_type == "code" and "solution" in _tags(cell):
            if current is not None or not pending:
                raise ConventionError(
                    f"{path.name}: one solution cell per exercise, after its text"
                )
            label, solution = solutions[len(questions)]
            current = Question(label, prompt=pending, solution=solution, stub=cell.source)
            pending = []
        elif current is not None and _is_check(cell):
            current.check = cell.source
            current.hidden = hidden.get(current.label, [])
            questions.append(current)
            out.cells += question_cells(current, imports)
            current = None
        elif current is not None or pending:
            raise ConventionError(f"{path.name}: an exercise without a check cell right after it")
        elif not out.cells[1:]:  # the title cell: the badge opens this assignment, and a word
            badge = colab_url("student", path.name)
            cell.source = cell.source.replace(badge, colab_url("assignments", f"{stem}/{name}"))
            out.cells += [cell, nbformat.v4.new_markdown_cell(GRADED_NOTE)]
        else:
            if cell.cell_type == "code" and any(cell.source.endswith(src) for src in skipped):
                cell.metadata.setdefault("tags", []).append(IGNORE_TAG)
            out.cells.append(cell)
            if cell.cell_type == "code" and otter_at is None:  # after the setup cell
                otter_at = len(out.cells)
    out.cells.insert(otter_at or 1, otter_cell(stem, [q.label for q in questions]))
    if len(questions) != len(solutions):
        raise ConventionError(f"{path.name}: {len(solutions)} solutions, {len(questions)} checked")
    unknown = set(hidden) - {q.label for q in questions}
    if unknown:
        raise ConventionError(f"{path.name}: hidden tests for unknown exercises {sorted(unknown)}")
    out.metadata["mobilenet_lab_questions"] = [
        {"name": q.label, "points": q.points, "answers": q.names} for q in questions
    ]
    return out


def chapters(notebooks: list[Path]) -> list[Path]:
    """The chapters that have exercises (a check cell)."""
    found = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if any(_is_check(c) for c in nb.cells):
            found.append(path)
    return found


def write_assignment(path: Path, out_dir: Path, book, run_otter: bool = True) -> Path:
    """Write one chapter's otter source and (``run_otter``) run ``otter assign`` on it."""
    folder = out_dir / path.stem
    shutil.rmtree(folder, ignore_errors=True)  # otter assign would add a second zip
    source = folder / "source"
    source.mkdir(parents=True, exist_ok=True)
    master = source / f"{path.stem}.ipynb"
    nbformat.write(master_notebook(path, book, hidden_tests(path)), master)
    (source / "requirements.txt").write_text(requirements_text())
    if run_otter:
        otter = Path(sys.executable).with_name("otter")
        result = subprocess.run(
            [str(otter), "assign", "--no-pdfs", master.name, "../dist"],
            cwd=source,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(
                f"otter assign failed for {path.name}:\n{result.stdout}{result.stderr}"
            )
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "assignments")
    parser.add_argument("--no-otter", action="store_true", help="write the otter source only")
    args = parser.parse_args(argv)
    notebooks = chapters(args.notebooks or sorted((ROOT / "book").glob("[0-9]*.ipynb")))
    book = load_book()
    for path in notebooks:
        try:
            folder = write_assignment(path, args.out, book, run_otter=not args.no_otter)
        except (ConventionError, ConversionError, RuntimeError) as err:
            print(f"make_assignments: {err}", file=sys.stderr)
            return 1
        print(f"{path.stem}: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
