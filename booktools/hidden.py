"""Hidden tests: Python functions in ``grading/hidden/chNN.py``, collected by the assignment builder.

A hidden test is an ordinary function, marked with the exercise it grades::

    @hidden("ex-01-conv-params")
    def test_conv_params_other_layer(conv_params):
        import torch

        conv = torch.nn.Conv2d(16, 32, kernel_size=5, bias=False)
        assert conv_params == sum(p.numel() for p in conv.parameters())

Its parameters are the student's names it reads (each must be a name the exercise's solution
defines); its body is what the autograder runs, with those names bound from the graded notebook
(otter's ``env``), so it imports what it needs itself. ``ruff`` checks these modules like any
other code. Each module also holds ``WRONG``: a typical wrong answer to one exercise, ``(label,
code)``, which ``tests/test_assignments.py`` grades to check that exactly that exercise's points
are lost.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TypeVar

from booktools.book import ROOT

HIDDEN_DIR = ROOT / "grading" / "hidden"
LABEL_ATTRIBUTE = "__hidden_test_of__"
F = TypeVar("F", bound=Callable)


def hidden(label: str) -> Callable[[F], F]:
    """Mark a function as a hidden test of the exercise ``label`` (``"ex-01-conv-params"``)."""
    if not isinstance(label, str) or not label.startswith("ex-"):
        raise ValueError(
            f"label must be an exercise label such as 'ex-01-conv-params', got {label!r}"
        )

    def mark(function: F) -> F:
        setattr(function, LABEL_ATTRIBUTE, label)
        return function

    return mark


@dataclass(frozen=True)
class HiddenTest:
    """One hidden test, as the autograder runs it."""

    label: str  # the exercise it grades
    name: str  # the function's name
    params: tuple[str, ...]  # the student's names it reads
    body: str  # the function's body, dedented (its docstring left out)


def _body(function: Callable) -> str:
    lines = textwrap.dedent(inspect.getsource(function)).split("\n")
    node = ast.parse("\n".join(lines)).body[0]
    assert isinstance(node, ast.FunctionDef)
    statements = node.body
    first = statements[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and len(statements) > 1
    ):
        statements = statements[1:]  # the docstring documents the test; it is not graded
    text = "\n".join(lines[statements[0].lineno - 1 : node.end_lineno])
    return textwrap.dedent(text).strip() + "\n"


def hidden_test(function: Callable) -> HiddenTest:
    """The :class:`HiddenTest` of one marked function (``ValueError`` for a signature that the
    autograder cannot bind: only plain positional names)."""
    signature = inspect.signature(function)
    for param in signature.parameters.values():
        if param.kind is not param.POSITIONAL_OR_KEYWORD or param.default is not param.empty:
            raise ValueError(f"{function.__name__}: parameter {param.name!r} must be a plain name")
    label = getattr(function, LABEL_ATTRIBUTE)
    return HiddenTest(label, function.__name__, tuple(signature.parameters), _body(function))


def load_module(key: str) -> ModuleType | None:
    """``grading/hidden/<key>.py`` as a module (None when the chapter has none)."""
    if not (HIDDEN_DIR / f"{key}.py").exists():
        return None
    return importlib.import_module(f"grading.hidden.{key}")


def hidden_tests(key: str) -> dict[str, list[HiddenTest]]:
    """The hidden tests of chapter ``key`` (``"ch01"``): exercise label → its tests, in the
    order they are written."""
    module = load_module(key)
    marked = (
        [f for f in vars(module).values() if callable(f) and hasattr(f, LABEL_ATTRIBUTE)]
        if module
        else []
    )
    marked.sort(key=lambda f: f.__code__.co_firstlineno)
    tests: dict[str, list[HiddenTest]] = {}
    for function in marked:
        test = hidden_test(function)
        tests.setdefault(test.label, []).append(test)
    return tests
