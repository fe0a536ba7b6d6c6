"""Part 1 checkers (chapters 1-4): accept the reference solution, reject typical wrong and
malformed answers without raising, and report stubs as not done."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG, ch01, ch02, ch03, ch04


def stub(*_args, **_kwargs):
    raise NotImplementedError  # YOUR CODE HERE


def status(feedback) -> str:
    assert isinstance(feedback, ch01.Feedback)
    text = repr(feedback)
    assert feedback.exercise in text
    return feedback.status


# --- reference solutions (as in the notebooks) ----------------------------------------------


def one_output(x, weight, o, i, j):
    """Output channel o at (i, j): the weighted sum over all channels of the k×k patch."""
    k = weight.shape[-1]
    return (x[:, i : i + k, j : j + k] * weight[o]).sum()


def make_depthwise(channels, kernel_size):
    """A depthwise conv that keeps the map size."""
    return nn.Conv2d(
        channels, channels, kernel_size, padding=kernel_size // 2, groups=channels, bias=False
    )


def pointwise(x, weight):
    """A 1×1 conv as one matrix multiply per pixel."""
    return torch.einsum("om,bmhw->bohw", weight, x)


def separable_is_cheaper(k, m, n):
    """True when separable has strictly fewer weights than standard."""
    return k * k * m + m * n < k * k * m * n


def conv_output_size(size, kernel_size, stride, padding):
    """Output height (or width) of a convolution along one axis."""
    return (size + 2 * padding - kernel_size) // stride + 1


def fit_separable(kernel, steps=500, lr=0.05):
    """Fit depthwise D (M, k, k) and pointwise P (N, M) to kernel by gradient descent."""
    n, m, k, _ = kernel.shape
    g = torch.Generator().manual_seed(0)
    d = torch.randn(m, k, k, generator=g).requires_grad_()
    p = torch.randn(n, m, generator=g).requires_grad_()
    optimiser = torch.optim.Adam([d, p], lr=lr)
    for _ in range(steps):
        optimiser.zero_grad()
        loss = ((p[:, :, None, None] * d[None] - kernel) ** 2).sum()
        loss.backward()
        optimiser.step()
    return d.detach(), p.detach()


CASES = {
    "conv_params": (
        ch01.check_conv_params,
        5 * 5 * 16 * 32,
        [5 * 5 * 32, 5 * 16 * 32, 3 * 3 * 16 * 32, 5 * 5 * 16 * 32 + 32, 12_799, 1e9],
        ["12800", [12_800], torch.ones(3), 12_800.5, True, object()],
    ),
    "weighted_sum": (
        ch01.check_weighted_sum,
        one_output,
        [
            lambda x, w, o, i, j: (x[0, i : i + 3, j : j + 3] * w[o, 0]).sum(),
            lambda x, w, o, i, j: (x[:, i : i + 3, j : j + 3] * w[o]).sum(),  # assumes k = 3
            lambda x, w, o, i, j: (x[:, j : j + w.shape[-1], i : i + w.shape[-1]] * w[o]).sum(),
        ],
        [
            lambda x, w, o, i, j: x,
            lambda x, w, o, i, j: "1.0",
            lambda x, w, o, i, j: None,
            lambda x, w, o, i, j: 1 / 0,
            42,
        ],
    ),
    "output_size": (
        ch01.check_output_size,
        conv_output_size,
        [
            lambda n, k, s, p: (n + 2 * p - k) // s,
            lambda n, k, s, p: (n + p - k) // s + 1,
            lambda n, k, s, p: (n - k) // s + 1,
            lambda n, k, s, p: (n + 2 * p - k) / s + 1,
            lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
            lambda n, k, s, p: n // s,
        ],
        [lambda n, k, s, p: "4", lambda n, k, s, p: [4], lambda n, k: 1, 7],
    ),
    "depthwise_params": (
        ch02.check_depthwise_params,
        288,
        [3 * 3 * 32 * 32, 288 + 64, 9, 32, 289],
        ["288", np.zeros(3), 288.25, (288,)],
    ),
    "make_depthwise": (
        ch02.check_make_depthwise,
        make_depthwise,
        [
            lambda c, k: nn.Conv2d(c, c, k, padding=k // 2, bias=False),
            lambda c, k: nn.Conv2d(c, c, k, groups=c, bias=False),
            lambda c, k: nn.Conv2d(c, c, k, padding=k // 2, groups=c),
            lambda c, k: nn.Conv2d(c, c, 3, padding=1, groups=c, bias=False),
            lambda c, k: nn.Conv2d(c, 2 * c, k, padding=k // 2, groups=c, bias=False),
        ],
        [lambda c, k: "conv", lambda c, k: nn.Linear(c, c), lambda c, k: None, 3],
    ),
    "pointwise_params": (
        ch03.check_pointwise_params,
        32 * 64,
        [3 * 3 * 32 * 64, 32 * 64 + 128, 32 * 64 + 64, 96, 2047],
        ["2048", [2048], 2048.5],
    ),
    "pointwise_matmul": (
        ch03.check_pointwise_matmul,
        pointwise,
        [
            lambda x, w: torch.einsum("mo,bmhw->bohw", w, x),
            lambda x, w: torch.einsum("om,bmhw->bohw", w, x) + 1,
            lambda x, w: torch.einsum("om,bmhw->bohw", w, x).sum(1, keepdim=True),
        ],
        [lambda x, w: x.numpy(), lambda x, w: x.permute(0, 2, 3, 1), lambda x, w: w @ x, "f"],
    ),
    "separable_params": (
        ch04.check_separable_params,
        3 * 3 * 32 + 32 * 64,
        [3 * 3 * 32 * 64, 3 * 3 * 32, 32 * 64, 3 * 3 * 32 * 32 + 32 * 64, 2335],
        ["2336", {2336}, 2336.1],
    ),
    "when_cheaper": (
        ch04.check_when_cheaper,
        separable_is_cheaper,
        [
            lambda k, m, n: True,
            lambda k, m, n: k > 1,
            lambda k, m, n: n > 1,
            lambda k, m, n: k > 1 and n > 2,
        ],
        [lambda k, m, n: "yes", lambda k, m, n: 1, lambda k, m, n: None, lambda k: True],
    ),
    "fit_separable": (
        ch04.check_fit_separable,
        fit_separable,
        [
            lambda k: (torch.zeros(k.shape[1], 3, 3), torch.zeros(k.shape[0], k.shape[1])),
            lambda k: fit_separable(k, steps=3),
            lambda k: (torch.zeros(k.shape[0], k.shape[1]), torch.zeros(k.shape[1], 3, 3)),
            lambda k: (torch.ones(k.shape[1], 3, 3), torch.ones(k.shape[1], k.shape[0])),
        ],
        [lambda k: k, lambda k: (1, 2), lambda k: None, lambda k: (k, k, k), "fit"],
    ),
    "table3_speedup": (
        ch04.check_table3_speedup,
        (3 * 3 * 512 * 512 * 14 * 14) / (3 * 3 * 512 * 14 * 14 + 512 * 512 * 14 * 14),
        [9, 8, 1 / 8.84, 5.76, float("nan")],
        ["fast", [8.8], object(), True],
    ),
}


@pytest.mark.parametrize("name", CASES)
class TestCheckers:
    def test_accepts_reference(self, name):
        check, reference, _, _ = CASES[name]
        feedback = check(reference)
        assert feedback, repr(feedback)
        assert status(feedback) == CORRECT
        assert "✅" in repr(feedback)

    def test_rejects_typical_wrong_answers(self, name):
        check, _, wrongs, _ = CASES[name]
        for answer in wrongs:
            feedback = check(answer)
            assert status(feedback) == WRONG, (answer, feedback)
            assert not feedback
            assert "Hint:" in repr(feedback)

    def test_rejects_malformed_answers_without_raising(self, name):
        check, _, _, malformed = CASES[name]
        for answer in malformed:
            feedback = check(answer)
            assert status(feedback) == WRONG, (answer, feedback)

    def test_stubs_are_not_done(self, name):
        check, reference, _, _ = CASES[name]
        stubs = [None, ...] + ([stub] if callable(reference) else [])
        for placeholder in stubs:
            feedback = check(placeholder)
            assert status(feedback) == NOT_DONE, (placeholder, feedback)
            assert "⏳" in repr(feedback)


def test_integer_valued_floats_count_as_whole_numbers():
    assert ch01.check_conv_params(12_800.0)
    assert ch03.check_pointwise_params(np.int64(2048))


def test_hints_name_the_mistake():
    assert "one channel" in ch01.check_conv_params(5 * 5 * 32).message
    assert "standard" in ch02.check_depthwise_params(9216).message
    assert (
        "groups"
        in ch02.check_make_depthwise(
            lambda c, k: nn.Conv2d(c, c, k, padding=k // 2, bias=False)
        ).message
    )
    assert (
        "transposed"
        in ch03.check_pointwise_matmul(lambda x, w: torch.einsum("mo,bmhw->bohw", w, x)).message
    )
    assert "k=1" in ch04.check_when_cheaper(lambda k, m, n: True).message
    assert "inverse" in ch04.check_table3_speedup(1 / 8.84).message
    assert (
        "round down"
        in ch01.check_output_size(lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1).message
    )
    assert "both sides" in ch01.check_output_size(lambda n, k, s, p: (n + p - k) // s + 1).message
    assert (
        "swapped"
        in ch04.check_fit_separable(
            lambda k: (torch.zeros(k.shape[0], k.shape[1]), torch.zeros(k.shape[1], 3, 3))
        ).message
    )


def test_fit_feedback_compares_with_the_svd():
    feedback = ch04.check_fit_separable(fit_separable)
    assert feedback and "SVD optimum" in feedback.message


def test_hints_do_not_give_the_code_away():
    make_hint = ch02.check_make_depthwise.record.hint
    assert "groups=channels" not in make_hint and "padding=" not in make_hint
    assert "einsum(" not in ch03.check_pointwise_matmul.record.hint
    assert "x[:, i" not in ch01.check_weighted_sum.record.hint
    size_hint = ch01.check_output_size.record.hint
    assert "// stride" not in size_hint and "+ 1" not in size_hint


def test_every_checker_has_an_exercise_label():
    for check, *_ in CASES.values():
        assert check.exercise.startswith(("ex-01-", "ex-02-", "ex-03-", "ex-04-"))
