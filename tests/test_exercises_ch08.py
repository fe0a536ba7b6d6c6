"""Chapter 8 checkers accept the reference solutions, reject wrong answers, never raise."""

from __future__ import annotations

import numpy as np
import torch

from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG
from mobilenet_lab.exercises.ch08 import check_accuracy, check_cheapest, check_pool_size


def pool_size(input_size):
    """Reference solution."""
    for _ in range(5):
        input_size = (input_size + 1) // 2
    return input_size


def accuracy(predictions, labels):
    """Reference solution."""
    return sum(p == t for p, t in zip(predictions, labels)) / len(labels)


def cheapest(results, target):
    """Reference solution."""
    good = [(mult_adds, name) for name, mult_adds, acc in results if acc >= target]
    return min(good)[1] if good else None


def stub(*_args):
    raise NotImplementedError


def test_reference_solutions_are_correct():
    for check, answer in [
        (check_pool_size, pool_size),
        (check_accuracy, accuracy),
        (check_cheapest, cheapest),
    ]:
        feedback = check(answer)
        assert feedback.status == CORRECT and bool(feedback), feedback


def test_other_correct_forms():
    assert check_pool_size(lambda n: -(-n // 32))
    assert check_accuracy(lambda p, t: (torch.tensor(p) == torch.tensor(t)).float().mean())
    assert check_accuracy(lambda p, t: np.mean(np.array(p) == np.array(t)))


def test_stubs_are_not_done():
    for check in (check_pool_size, check_accuracy, check_cheapest):
        for answer in (None, ..., stub):
            assert check(answer).status == NOT_DONE


def test_wrong_answers_get_a_hint():
    wrong_answers = [
        (check_pool_size, lambda n: n // 32),  # floor: 33 px and 100 px come out wrong
        (check_pool_size, lambda n: n // 2**4),  # four stride-2 layers
        (check_pool_size, lambda n: float(n) / 32),
        (check_pool_size, lambda n: "1"),
        (check_accuracy, lambda p, t: 100 * accuracy(p, t)),  # a percentage
        (check_accuracy, lambda p, t: sum(a == b for a, b in zip(p, t))),  # a count
        (check_accuracy, lambda p, t: "0.5"),
        (check_cheapest, lambda r, t: max(r, key=lambda x: x[2])[0]),  # the most accurate
        (check_cheapest, lambda r, t: min(r, key=lambda x: x[1])[0]),  # ignores the target
        (check_cheapest, lambda r, t: min((m, n) for n, m, a in r if a > t)[1]),  # > not >=
    ]
    for check, answer in wrong_answers:
        feedback = check(answer)
        assert feedback.status == WRONG and not feedback, (check.__name__, feedback)
        assert "Hint" in repr(feedback)


def test_malformed_answers_never_raise():
    for check in (check_pool_size, check_accuracy, check_cheapest):
        for answer in (42, "text", [1, 2], lambda: 1, lambda *a: 1 / 0):
            assert check(answer).status == WRONG


def choose_lr(sweep):
    """Reference solution."""
    return max(sweep, key=lambda lr: sweep[lr]["val"])


def test_choose_lr_accepts_the_reference_and_the_chapter_sweep():
    from mobilenet_lab.exercises.ch08 import check_choose_lr

    assert check_choose_lr(choose_lr).status == CORRECT
    sweep = {0.01: {"train": 0.5, "val": 0.4}, 0.1: {"train": 0.9, "val": 0.9}}
    assert check_choose_lr(choose_lr, sweep).status == CORRECT


def test_choose_lr_rejects_typical_mistakes_with_a_hint():
    from mobilenet_lab.exercises.ch08 import check_choose_lr

    by_train = check_choose_lr(lambda s: max(s, key=lambda lr: s[lr]["train"]))
    assert by_train.status == WRONG and "training" in by_train.message and by_train.hint
    largest = check_choose_lr(lambda s: max(s))
    assert largest.status == WRONG and largest.hint
    accuracy_not_lr = check_choose_lr(lambda s: max(v["val"] for v in s.values()))
    assert accuracy_not_lr.status == WRONG and "not one of the learning rates" in (
        accuracy_not_lr.message
    )
    raises = check_choose_lr(lambda s: s["lr"])
    assert raises.status == WRONG
    # the hint never names the answer
    assert "0.05" not in by_train.hint and "max" not in by_train.hint


def test_choose_lr_stub_is_not_done():
    from mobilenet_lab.exercises.ch08 import check_choose_lr

    assert check_choose_lr(None).status == NOT_DONE
    assert check_choose_lr(stub).status == NOT_DONE
