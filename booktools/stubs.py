"""The student edition's stub of a solution cell: names, signatures and docstrings kept, answers gone.

A solution cell holds only function definitions and plain assignments (CONTRIBUTING.md). Every
function body becomes ``raise NotImplementedError  # YOUR CODE HERE`` (its signature, decorators
and docstring kept) and every assigned value ``None  # YOUR CODE HERE``. Anything else in a
solution cell is a :class:`ConventionError`.
"""

from __future__ import annotations

import ast

STUB = "  # YOUR CODE HERE"


class ConventionError(ValueError):
    """A chapter that breaks the conventions the editions rely on (CONTRIBUTING.md): a solution
    cell the student edition cannot stub, an exercise without its check cell…"""


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
