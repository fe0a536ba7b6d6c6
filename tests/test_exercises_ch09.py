"""The measurement exercise of chapter 9: judged on a fake clock, never on real timings."""

from __future__ import annotations

import time

import pytest

from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG
from mobilenet_lab.exercises.ch09 import check_time_calls


def time_calls(fn, clock, rounds=7, number=3, warmup=2):
    """Reference solution."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(rounds):
        start = clock()
        for _ in range(number):
            fn()
        samples.append((clock() - start) / number)
    return samples


def test_reference_is_correct():
    assert check_time_calls(time_calls).status == CORRECT


def test_tuple_or_generator_results_are_fine():
    assert check_time_calls(lambda *a, **k: tuple(time_calls(*a, **k))).status == CORRECT


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (
            lambda fn, clock, rounds, number, warmup: time_calls(fn, clock, rounds, number, 0),
            "warm-up",
        ),
        (
            lambda fn, clock, rounds, number, warmup: [
                v * number for v in time_calls(fn, clock, rounds, number, warmup)
            ],
            "per call",
        ),
        (
            lambda fn, clock, rounds, number, warmup: time_calls(
                fn, time.perf_counter, rounds, number, warmup
            ),
            "clock you are given",
        ),
        (lambda fn, clock, rounds, number, warmup: 0.002, "list"),
        (
            lambda fn, clock, rounds, number, warmup: time_calls(
                fn, clock, rounds - 1, number, warmup + number
            ),
            "one time per round",
        ),
    ],
)
def test_typical_mistakes_get_a_hint(answer, words):
    feedback = check_time_calls(answer)
    assert feedback.status == WRONG
    assert words in feedback.message
    assert feedback.hint and "(end - start)" not in feedback.hint


def test_cold_call_in_first_round():
    def timed_cold(fn, clock, rounds, number, warmup):
        # times the cold call but then makes up the call count with extra calls at the end
        samples = time_calls(fn, clock, rounds, number, 0)
        for _ in range(warmup):
            fn()
        return samples

    feedback = check_time_calls(timed_cold)
    assert feedback.status == WRONG
    assert "cold call" in feedback.message


def test_stubs_are_not_done():
    def stub(fn, clock, rounds=7, number=3, warmup=2):
        raise NotImplementedError

    assert check_time_calls(stub).status == NOT_DONE
    assert check_time_calls(None).status == NOT_DONE
