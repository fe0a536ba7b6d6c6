"""What the autograder skips: the ``skip-grading`` tag, and the data-flow analysis that keeps it
honest.

Grading runs a submission's whole notebook; most of that time would go into cells that only
illustrate (training runs, timings, figures). The book's source tags those cells
``skip-grading`` (otter's ``otter_ignore`` in the assignment), so what the autograder runs depends
on the source alone, never on how long a cell took on whichever machine last executed it. The
students' notebook still holds and runs every cell.

A tag is safe when no answer can depend on the cell (:func:`grading_problems`, which the
assignment builder runs on every chapter):

- a cell is **needed** when it is the setup cell, imports something, is a solution, or binds a
  name that a needed cell reads (transitively, from the last cell up); a needed cell is never
  skipped. A check cell's own data (chapter 8's learning-rate sweep) is not needed: the public
  test reads it with ``env.get`` and the checker's own cases still run, and the hidden tests
  bring their own inputs;
- a cell that is kept may not read a name that only skipped cells have bound so far (it would
  only fail when graded): such a cell is tagged too.
"""

from __future__ import annotations

import ast
from typing import Any

from booktools.cells import SKIP_GRADING, SOLUTION, parse, source, tags


def defined(node: ast.AST) -> set[str]:
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


def loads(node: ast.AST) -> set[str]:
    """Every name read anywhere in ``node``."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def used(tree: ast.Module) -> set[str]:
    """Global names a cell reads: the arguments of its functions and lambdas, and a function's
    locals, do not count."""
    found = set()
    for node in tree.body:
        args = {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            local = set().union(*(defined(n) for n in node.body)) | args
            found |= loads(node) - local
        else:
            found |= loads(node) - args
    return found


def top_level_names(code: str) -> set[str]:
    """The global names a cell binds, not the locals of the functions it defines."""
    tree = parse(code)
    names: set[str] = set()
    for node in tree.body if tree is not None else []:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        else:
            names |= defined(node)
    return names


def _bound(tree: ast.Module | None) -> set[str]:
    return (
        set().union(*(defined(n) for n in tree.body)) if tree is not None and tree.body else set()
    )


def _updated(tree: ast.Module) -> set[str]:
    """Names a cell updates in place (``total += …``, outside a function): it reads them too."""
    return {
        n.target.id
        for top in tree.body
        if not isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for n in ast.walk(top)
        if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
    }


def reads_earlier(tree: ast.Module) -> set[str]:
    """Names a cell reads from earlier cells: a name it binds itself (a loop variable, a reused
    ``model``) is not, unless it is updated in place."""
    return (used(tree) - _bound(tree)) | _updated(tree)


def _with_inputs(code: list[dict[str, Any]], chosen: list[bool]) -> list[bool]:
    """The ``chosen`` cells and what they need: the setup cell, every import, and each cell that
    binds a name a needed cell reads (transitively, from the last cell up)."""
    result = [False] * len(code)
    wanted: set[str] = set()
    for i in reversed(range(len(code))):
        tree = parse(source(code[i]))
        if tree is None or i == 0:
            result[i] = True
            continue
        imports = any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body)
        if chosen[i] or imports or _bound(tree) & wanted:
            result[i] = True
            wanted |= reads_earlier(tree)
    return result


def needed(code: list[dict[str, Any]]) -> list[bool]:
    """For each code cell of a chapter: whether an answer can depend on it (see above)."""
    return _with_inputs(code, [SOLUTION in tags(cell) for cell in code])


def stub_reach(code: list[dict[str, Any]]) -> list[bool]:
    """For each code cell of a chapter: whether its student edition must run it to show what the
    stubs change. A cell is *reached* when it is a solution or reads, directly or through other
    cells, a name a solution binds (the check cells); a reached cell's inputs run too (the setup
    cell, every import, and each cell that binds a name they read). Every other cell is the same
    code with the same inputs in both editions, so it does what the reader edition's run did."""
    reached, tainted = [False] * len(code), set()
    for i, cell in enumerate(code):
        tree = parse(source(cell))
        if tree is not None and (SOLUTION in tags(cell) or reads_earlier(tree) & tainted):
            reached[i] = True
            tainted |= _bound(tree)
        elif tree is not None:
            tainted -= _bound(tree)
    return _with_inputs(code, reached)


def grading_problems(nb: dict[str, Any]) -> list[str]:
    """Why a chapter's ``skip-grading`` tags are unsafe, one line per cell (empty: safe)."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    problems = []
    missing: set[str] = set()  # names that only skipped cells have bound so far
    for index, (cell, keep) in enumerate(zip(code, needed(code))):
        tree, skipped = parse(source(cell)), SKIP_GRADING in tags(cell)
        where = f"code cell {index} ({source(cell)[:50]!r})"
        if skipped and keep:
            problems.append(f"{where}: tagged {SKIP_GRADING}, but an answer may depend on it")
        reads = reads_earlier(tree) & missing if tree is not None else set()
        if not skipped and reads:
            problems.append(f"{where}: reads {sorted(reads)}, which only skipped cells bind")
        missing = missing | _bound(tree) if skipped else missing - _bound(tree)
    return problems
