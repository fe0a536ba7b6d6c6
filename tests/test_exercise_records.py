"""The exercises' data files (``mobilenet_lab/exercises/chNN.toml``) and their loader: every file
is read into records, a bad record is refused with an error naming the file, the exercise and the
field, TOML's values become what the checkers compare, and a standard checker is a documented
function like a hand-written one."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from mobilenet_lab.exercises import _records, ch07, ch08, ch10
from mobilenet_lab.exercises._core import checker
from mobilenet_lab.exercises._records import load, record, records

GOOD = """
[[exercise]]
id = "ex-03-sample"
checker = "check_sample"
title = "a sample"
kind = "function"
call = "sample"
case = [{ args = [1], expected = 2, wrong = { double = [4, 5] } }]
messages = { double = "{answer} is doubled" }
"""


def test_every_chapter_has_records_with_unique_ids():
    found = records()
    assert len(found) >= 2 * 10
    assert {exercise.id[:6] for exercise in found.values()} == {
        f"ex-{n:02d}-" for n in range(1, 11)
    }
    assert record("ex-05-block-params").checker == "check_block_params"
    with pytest.raises(ValueError, match="no exercise 'ex-99-nothing'"):
        record("ex-99-nothing")


def test_a_good_record():
    (exercise,) = load("ch03.toml", GOOD)
    (case,) = exercise.cases
    assert (case.args, case.expected, dict(case.wrong)) == ((1,), 2, {"double": {4, 5}})


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (('kind = "function"', 'kind = "fuction"'), r"ch03.toml: exercise ex-03-sample: kind must"),
        (("call =", "formula = "), r"ex-03-sample.*unknown field 'formula'"),
        (('call = "sample"', 'rel_tol = "small"'), r"ex-03-sample, rel_tol: expected"),
        (("expected = 2", 'expected = "two"'), r"ex-03-sample, case 1, expected: 'two'"),
        (("double = [4, 5]", "typo = 4"), r"ex-03-sample: no message for typo"),
        (
            ('{ double = "{answer} is doubled" }', "{ double = 3 }"),
            r"messages.double: a message is",
        ),
        (('id = "ex-03-sample"', 'id = "ex-04-sample"'), r"ex-04-sample: the id starts with ex-03"),
        (('checker = "check_sample"', ""), r"ex-03-sample: checker missing"),
        (("case = [", "case = 3 #"), r"ex-03-sample, case: expected"),
        (("[[exercise]]", "[[exercise]"), r"ch03.toml: "),
    ],
)
def test_a_bad_record_is_refused_with_its_file_exercise_and_field(change, error):
    with pytest.raises(ValueError, match=error):
        load("ch03.toml", GOOD.replace(*change))


def test_the_example_in_contributing_is_a_record():
    text = (Path(__file__).resolve().parents[1] / "CONTRIBUTING.md").read_text("utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    (exercise,) = load("ch05.toml", example)
    assert exercise.id == "ex-05-block-params" and exercise.cases[0].expected == 2_528


def test_a_data_file_is_named_by_its_chapter():
    with pytest.raises(ValueError, match="sample.toml: an exercise file is named chNN.toml"):
        load("sample.toml", GOOD)


def test_toml_values_become_what_the_checkers_compare():
    results, target = check_args = ch08.check_cheapest.record.cases[0].args
    assert isinstance(results, list) and results[0] == ("conv", 6_200_000, 0.99), check_args
    assert target == 0.975
    assert ch08.check_accuracy.record.cases[0].args == ([3, 1, 4, 1, 5], [3, 1, 4, 1, 5])
    resize = ch10.check_resize.record.cases[0]
    assert resize.expected == (256, 383) and resize.wrong["swapped"] == (383, 256)
    assert ch08.check_cheapest.record.cases[2].expected is None


def test_a_standard_checker_is_a_documented_function():
    check = ch07.check_param_ratio
    assert (check.__name__, check.__module__) == ("check_param_ratio", ch07.__name__)
    assert check.__doc__ == check.record.doc and "parameter ratio" in check.__doc__
    assert str(inspect.signature(check)) == "(ratio: 'Any') -> 'Feedback'"
    assert str(inspect.signature(ch10.check_resize)) == "(resized_size: 'Any') -> 'Feedback'"
    assert check(0.2553) and check(ratio=0.2553) and not check(0.3146)


def test_a_standard_checker_needs_a_doc_and_expected_answers(monkeypatch):
    (exercise,) = load("ch03.toml", GOOD.replace("title", 'doc = "Check sample."\ntitle'))
    monkeypatch.setattr(_records, "records", lambda: {exercise.id: exercise})
    assert _records.standard_checker(exercise.id)(lambda n: 2 * n)
    (no_doc,) = load("ch03.toml", GOOD)
    (no_expected,) = load(
        "ch03.toml", GOOD.replace("title", 'doc = "Check."\ntitle').replace("expected = 2, ", "")
    )
    for bad in (no_doc, no_expected):
        monkeypatch.setattr(_records, "records", lambda bad=bad: {bad.id: bad})
        with pytest.raises(ValueError, match="ex-03-sample: a standard checker needs a doc, and"):
            _records.standard_checker(bad.id)


def test_a_checker_must_have_its_records_name():
    with pytest.raises(ValueError, match="ex-08-choose-lr: its checker is check_choose_lr"):
        checker(record("ex-08-choose-lr"))(lambda answer: answer)
