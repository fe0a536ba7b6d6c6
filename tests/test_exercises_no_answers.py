"""The installed package checks answers without handing them out: no checker module has a
function a student could call to get a reference answer (``reference_pool_size`` and the like).
Checkers hold the expected values of their own cases, or compare with the built network; the
graded assignments' hidden tests (other inputs) live in ``grading/``, outside the package. The
records are data files (``exercises/chNN.toml``), where no field holds code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import tomllib
from importlib import resources

import pytest

import mobilenet_lab.exercises as exercises
from mobilenet_lab.exercises import _records
from mobilenet_lab.exercises._records import load

MODULES = [
    importlib.import_module(f"{exercises.__name__}.{m.name}")
    for m in pkgutil.iter_modules(exercises.__path__)
    if m.name.startswith("ch")
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_only_checkers_are_public(module):
    own = [
        name
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__
    ]
    assert [n for n in own if not n.startswith("_")] == [n for n in own if n.startswith("check_")]
    assert not [n for n in own if "reference" in n], "a reference answer in the package"


def test_the_removed_references_stay_removed():
    from mobilenet_lab.exercises import ch05, ch08, ch09, ch10

    for module, name in (
        (ch08, "reference_pool_size"),
        (ch08, "_reference_accuracy"),
        (ch09, "_reference_fold"),
        (ch09, "_intensity"),
        (ch10, "_reference_resize"),
        (ch05, "_block_params"),
        (ch05, "_fraction_read"),
    ):
        assert not hasattr(module, name), name


def _values(value: object) -> list[object]:
    """``value`` and everything inside it (containers opened, recursively)."""
    if isinstance(value, dict):
        inner = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        inner = list(value)
    else:
        return [value]
    return [value] + [v for item in inner for v in _values(item)]


CODE = re.compile(  # a lambda, a definition, an import, a call of eval/exec/compile, a dunder
    r"\blambda\b.*:|^\s*(def|class)\s+\w+|\bimport\s+[\w.]+$|(?<![\w.])(eval|exec|compile)\(|__\w+__"
)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_exercises_are_data_without_formulas(module):
    """Every checker is built on a record of its chapter's data file (``chNN.toml``), and a record
    holds data only: the inputs and expected answers of its own cases, wrong values and messages,
    never a callable nor code in a string (TOML holds no code; the loader evaluates nothing)."""
    name = module.__name__.rsplit(".", 1)[1] + ".toml"
    text = (resources.files(exercises) / name).read_text("utf-8")
    records = load(name, text)
    checkers = [v for n, v in vars(module).items() if n.startswith("check_")]
    assert sorted(c.record.id for c in checkers) == sorted(r.id for r in records)
    for record in records:
        assert getattr(module, record.checker).record == record
        for case in record.cases:
            found = _values((case.args, case.expected, dict(case.wrong), dict(case.facts)))
            assert not [v for v in found if callable(v)], (record.id, case)
    strings = [v for v in _values(tomllib.loads(text)) if isinstance(v, str)]
    assert strings and not [s for s in strings if CODE.search(s)]
    assert not re.search(r"(?<![\w.])(eval|exec|compile)\(", inspect.getsource(_records))
