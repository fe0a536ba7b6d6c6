"""The exercises' records, read from each chapter's data file (``chNN.toml``), and their checkers.

A file holds one ``[[exercise]]`` table per exercise: the fields of :class:`Exercise` (``case``
for its cases, ``{args, expected, wrong, facts}``), ``checker`` (its public checker's name) and
``doc`` (a standard checker's docstring); a message is a text or ``{message, hint}``. Expected
and wrong values are read as an answer is (a pair ``[256, 383]`` is a tuple; a mistake that
gives several values lists them); in ``args``, an array that mixes types (a row such as
``["conv", 6_200_000, 0.99]``) is a tuple. A case without ``expected`` is an input for a checker
with logic of its own. The files hold data only (TOML has no code); every field is checked when
they are read, and an error names the file, the exercise and the field.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from ._answers import READERS, UNREADABLE
from ._core import DEFAULTS, Case, Exercise, Feedback, checker, compare_cases

NUMBER = (int, float)
TYPES = {str: "a string", NUMBER: "a number", list: "an array", dict: "a table", object: "a value"}
#: The fields of an exercise and of a case, with the TOML types they take.
FIELDS: dict[str, Any] = {
    **dict.fromkeys(("id", "checker", "title", "hint", "doc", "kind", "answer", "call"), str),
    **dict.fromkeys(("rel_tol", "abs_tol"), NUMBER),
    **{"slips": list, "case": list, "messages": dict},
}
CASE_FIELDS: dict[str, Any] = {"args": list, "expected": object, "wrong": dict, "facts": dict}
FILE = re.compile(r"ch(\d\d)\.toml")


def _fields(table: Any, fields: dict[str, Any], where: str) -> dict[str, Any]:
    """``table`` if it is a table of known ``fields`` of the right types, else a clear error."""
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table, got {type(table).__name__}")
    for name, value in table.items():
        if name not in fields:
            raise ValueError(f"{where}: unknown field {name!r} (known: {', '.join(fields)})")
        if not isinstance(value, fields[name]):
            raise ValueError(f"{where}, {name}: expected {TYPES[fields[name]]}, got {value!r}")
    return table


def _answer(value: Any, answer: str, where: str) -> Any:
    """``value`` read as the exercise reads an answer (``any``: as it is)."""
    read = READERS[answer](value)
    if read is UNREADABLE:
        raise ValueError(f"{where}: {value!r} is not a {answer!r} answer")
    return read


def _wrong(value: Any, answer: str, where: str) -> Any:
    """A mistake's wrong value, or (an array of them) the set of its values."""
    if isinstance(value, list) and READERS[answer](value) is UNREADABLE:
        return frozenset(_answer(item, answer, where) for item in value)
    return _answer(value, answer, where)


def _arg(value: Any) -> Any:
    """An argument as TOML gives it, with arrays that mix types (records) as tuples."""
    if isinstance(value, dict):
        return {key: _arg(item) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    kinds = {"number" if type(item) in NUMBER else type(item).__name__ for item in value}
    items = [_arg(item) for item in value]
    return tuple(items) if len(kinds) > 1 else items


def _case(table: Any, answer: str, where: str) -> Case:
    table = _fields(table, CASE_FIELDS, where)
    expected, wrong = table.get("expected"), table.get("wrong", {})
    if expected is not None and answer != "any":  # no expected: inputs for a checker's own logic
        expected = _answer(expected, answer, f"{where}, expected")
    return Case(
        tuple(_arg(arg) for arg in table.get("args", [])),
        expected,
        {key: _wrong(value, answer, f"{where}, wrong.{key}") for key, value in wrong.items()},
        table.get("facts", {}),
    )


def _message(value: Any, where: str) -> str | tuple[str, str]:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"message", "hint"}:
        if all(isinstance(text, str) for text in value.values()):
            return value["message"], value["hint"]
    raise ValueError(f"{where}: a message is a string or {{message = ..., hint = ...}}")


def _exercise(table: Any, chapter: str, where: str) -> Exercise:
    """One ``[[exercise]]`` table as an :class:`Exercise`."""
    where = f"{where} {table.get('id', '(no id)') if isinstance(table, dict) else ''}"
    table = _fields(table, FIELDS, where)
    missing = [name for name in ("id", "checker", "title") if not table.get(name)]
    if missing:
        raise ValueError(f"{where}: {', '.join(missing)} missing")
    if not table["id"].startswith(f"ex-{chapter}-") or not table["checker"].startswith("check_"):
        raise ValueError(f"{where}: the id starts with ex-{chapter}-, the checker with check_")
    messages = {
        k: _message(v, f"{where}, messages.{k}") for k, v in table.get("messages", {}).items()
    }
    fields = {k: v for k, v in table.items() if k not in ("case", "messages", "slips")}
    try:
        exercise = Exercise(**fields, slips=tuple(table.get("slips", ())), messages=messages)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None
    cases = tuple(
        _case(case, exercise.answer, f"{where}, case {number}")
        for number, case in enumerate(table.get("case", []), start=1)
    )
    keys = {key for case in cases for key in case.wrong} | set(exercise.slips)
    unknown = sorted(keys - set(messages) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"{where}: no message for {', '.join(unknown)} (add it to messages)")
    return dataclasses.replace(exercise, cases=cases)


def load(name: str, text: str) -> list[Exercise]:
    """The exercises of the data file ``name`` (``chNN.toml``), whose content is ``text``."""
    match = FILE.fullmatch(name)
    if not match:
        raise ValueError(f"{name}: an exercise file is named chNN.toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{name}: {err}") from None
    _fields(data, {"exercise": list}, name)
    where = f"{name}: exercise"
    return [_exercise(table, match[1], where) for table in data.get("exercise", [])]


@cache
def records() -> dict[str, Exercise]:
    """Every exercise of every chapter's file, by id."""
    found: dict[str, Exercise] = {}
    files = [path for path in resources.files(__package__).iterdir() if FILE.fullmatch(path.name)]
    for path in sorted(files, key=lambda path: path.name):
        for exercise in load(path.name, path.read_text("utf-8")):
            if exercise.id in found:
                raise ValueError(f"{path.name}: exercise {exercise.id} is defined twice")
            found[exercise.id] = exercise
    return found


def record(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id`` (``"ex-05-block-params"``), from its chapter's file."""
    try:
        return records()[exercise_id]
    except KeyError:
        raise ValueError(
            f"no exercise {exercise_id!r} in mobilenet_lab/exercises/ch*.toml"
        ) from None


def standard_checker(exercise_id: str) -> Callable[..., Feedback]:
    """The checker of an exercise with no logic of its own (:func:`compare_cases`), named by the
    record's ``checker``, documented by its ``doc``; its one parameter is named after its
    ``call`` (``pool_size``), ``answer`` if it has none."""
    exercise = record(exercise_id)
    expects = [c.expected is not None or exercise.answer == "any" for c in exercise.cases]
    if not exercise.doc or not expects or not all(expects):
        raise ValueError(f"{exercise_id}: a standard checker needs a doc, and cases that expect")
    name = re.match(r"\w*", exercise.call)[0] or "answer"  # type: ignore[index]
    parameter = inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Any")
    signature = inspect.Signature([parameter], return_annotation="Feedback")

    def check(*args: Any, **kwargs: Any) -> Feedback:
        return compare_cases(*signature.bind(*args, **kwargs).args)

    check.__name__ = check.__qualname__ = exercise.checker
    check.__module__ = f"{__package__}.ch{exercise_id[3:5]}"
    check.__doc__ = exercise.doc
    check.__signature__ = signature  # type: ignore[attr-defined]
    return checker(exercise)(check)
