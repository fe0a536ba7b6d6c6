"""Write the student edition of the chapters: solutions become stubs, the checkers stay.

In every ``solution``-tagged code cell, each function body becomes
``raise NotImplementedError  # YOUR CODE HERE`` (signature and docstring kept) and each assigned
value becomes ``None  # YOUR CODE HERE``. Markdown between ``{solution-start}`` and
``{solution-end}`` (the written solution) is removed, and every output is cleared.

Usage: python scripts/make_student.py [--out _build/student] [book/01_….ipynb ...]
(default: every ``book/*.ipynb``). Also writes ``mobilenet-lab-student.zip`` and the teacher page's
exercise index ``exercises.md`` (scripts/exercise_index.py) into the output folder.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
STUB = "  # YOUR CODE HERE"
ZIP_NAME = "mobilenet-lab-student.zip"
YOUR_TURN = (
    "✏️ **Your turn**: replace each `# YOUR CODE HERE` in the next cell, run it, then run the "
    "check below it."
)
# A gated directive is a whole fenced block: ```{solution-start} label / :class: dropdown / ```.
_FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>solution-start|solution-end)\}[^\n]*\n"
    r"(?:.*?\n)??(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)


class ConventionError(ValueError):
    """A solution cell that the student edition cannot stub (see CONTRIBUTING.md)."""


def _docstring_end(func: ast.FunctionDef | ast.AsyncFunctionDef) -> int | None:
    first = func.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.end_lineno
    return None


def _stub_function(func: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str:
    body_line = func.body[0].lineno
    header_end = body_line - 1
    if header_end < func.lineno:  # `def f(): return 1` on one line: rebuild it
        func.body = [ast.Raise(exc=ast.Name("NotImplementedError", ast.Load()))]
        return ast.unparse(func) + STUB
    start = func.decorator_list[0].lineno if func.decorator_list else func.lineno
    kept = lines[start - 1 : header_end]
    doc_end = _docstring_end(func)
    if doc_end is not None:
        kept += lines[header_end:doc_end]
    indent = " " * func.body[0].col_offset
    return "\n".join([*kept, f"{indent}raise NotImplementedError{STUB}"])


def _stub_assignment(node: ast.Assign | ast.AnnAssign, source: str) -> str:
    if isinstance(node, ast.AnnAssign):
        target = ast.get_source_segment(source, node.target)
        annotation = ast.get_source_segment(source, node.annotation)
        return f"{target}: {annotation} = None{STUB}"
    parts = []
    for target in node.targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            parts.append(ast.get_source_segment(source, target))
            parts.append(", ".join("None" for _ in target.elts))
            return " = ".join(parts) + STUB
        parts.append(ast.get_source_segment(source, target))
    return " = ".join(parts) + f" = None{STUB}"


def stub_source(source: str) -> str:
    """The student version of one solution cell's code (raises ConventionError if impossible)."""
    source = source.replace("\r\n", "\n")
    tree = ast.parse(source)
    lines = source.split("\n")
    pieces = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pieces.append(_stub_function(node, lines))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            pieces.append(_stub_assignment(node, source))
        else:
            raise ConventionError(
                f"line {node.lineno}: a solution cell holds only `def` and `name = value`, "
                f"not {type(node).__name__}"
            )
    text = "\n\n".join(pieces)
    ast.parse(text)  # the stub must still be valid Python
    return text + "\n"


def _strip_solution_text(text: str, in_solution: bool) -> tuple[str, bool, bool]:
    """Remove solution text from one markdown cell; return (text, in_solution, saw_start)."""
    kept, pos, saw_start = [], 0, False
    for match in _FENCE.finditer(text):
        if not in_solution:
            kept.append(text[pos : match.start()])
        in_solution = match["name"] == "solution-start"
        saw_start = saw_start or in_solution
        pos = match.end()
    if not in_solution:
        kept.append(text[pos:])
    return "".join(kept).strip("\n"), in_solution, saw_start


def student_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Return the student edition of ``nb`` (a new notebook; ``nb`` is left untouched)."""
    out = nbformat.v4.new_notebook(metadata=dict(nb.metadata))
    out.metadata.pop("widgets", None)
    in_solution = False
    for index, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)  # a copy
        tags = cell.get("metadata", {}).get("tags", [])
        where = f"{name}, cell {index}"
        if cell.cell_type == "markdown":
            text, in_solution, saw_start = _strip_solution_text(cell.source, in_solution)
            if saw_start:
                text = (text + "\n\n" + YOUR_TURN).strip()
            if text:
                cell.source = text
                out.cells.append(cell)
            continue
        if cell.cell_type == "code":
            if "solution" in tags:
                try:
                    cell.source = stub_source(cell.source)
                except (SyntaxError, ConventionError) as err:
                    raise ConventionError(f"{where}: {err}") from err
            elif in_solution and cell.source.strip():
                raise ConventionError(f"{where}: code inside a solution must be tagged `solution`")
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        out.cells.append(cell)
    if in_solution:
        raise ConventionError(f"{name}: a {{solution-start}} without {{solution-end}}")
    return out


def write_student_edition(notebooks: list[Path], out_dir: Path) -> Path:
    """Write the student notebooks and the zip into ``out_dir``; return the zip's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.ipynb"):
        old.unlink()
    zip_path = out_dir / ZIP_NAME
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in notebooks:
            nb = student_notebook(nbformat.read(path, as_version=4), path.name)
            target = out_dir / path.name
            nbformat.write(nb, target)
            archive.write(target, f"mobilenet-lab-student/{path.name}")
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    try:
        zip_path = write_student_edition(notebooks, args.out)
    except ConventionError as err:
        print(f"make_student: {err}", file=sys.stderr)
        return 1
    from exercise_index import exercises, markdown_table, objectives_markdown

    in_toc = [nb for nb in notebooks if f"book/{nb.stem}" in (ROOT / "_toc.yml").read_text()]
    (args.out / "exercises.md").write_text(markdown_table(exercises(in_toc)))
    (args.out / "objectives.md").write_text(objectives_markdown(in_toc))
    print(f"student edition: {len(notebooks)} notebooks in {args.out}, zip {zip_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
