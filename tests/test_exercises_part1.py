"""Part 1 checkers (chapters 1-4): accept the reference solution, reject typical wrong and
malformed answers without raising, and report stubs as not done."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG, Feedback, ch01, ch02, ch03, ch04


def stub(*_args, **_kwargs):
    raise NotImplementedError  # YOUR CODE HERE


def status(feedback) -> str:
    assert isinstance(feedback, Feedback)
    text = repr(feedback)
    assert feedback.exercise in text
    return feedback.status


# --- reference solutions (as in the notebooks) ----------------------------------------------


def outputs_touched(d_k, m, n):
    """How many outputs one input value can change."""
    return d_k * d_k * n


def final_map_side(d_f):
    """Side of MobileNet's last feature map for a d_f×d_f input."""
    side = d_f
    for _ in range(5):
        side = (side + 2 * 1 - 3) // 2 + 1
    return side


def depthwise_mult_adds(d_k, m, d_f, stride):
    """Mult-adds of a strided depthwise conv."""
    side = (d_f + 2 * (d_k // 2) - d_k) // stride + 1
    return d_k * d_k * m * side * side


def as_conv1x1(linear):
    """A 1×1 convolution computing what the linear layer computes at every pixel."""
    has_bias = linear.bias is not None
    conv = nn.Conv2d(linear.in_features, linear.out_features, 1, bias=has_bias)
    with torch.no_grad():
        conv.weight.copy_(linear.weight[:, :, None, None])
        if has_bias:
            conv.bias.copy_(linear.bias)
    return conv


def separable_is_cheaper(k, m, n):
    """True when separable has strictly fewer weights than standard."""
    return k * k * m + m * n < k * k * m * n


def widest_separable(d_k, m, d_f, budget):
    """Largest N for which the separable conv fits the budget."""
    return max(0, (budget - d_k * d_k * m * d_f * d_f) // (m * d_f * d_f))


def fit_separable(kernel, steps=500, lr=0.05):
    """Fit depthwise D (M, D_K, D_K) and pointwise P (N, M) to kernel by gradient descent."""
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


def conv_without_bias(linear):
    conv = as_conv1x1(linear)
    if conv.bias is not None:
        with torch.no_grad():
            conv.bias.zero_()
    return conv


def conv_transposed(linear):
    conv = as_conv1x1(linear)
    with torch.no_grad():
        conv.weight.copy_(
            linear.weight.T[:, :, None, None]
            if conv.weight.shape[0] == conv.weight.shape[1]
            else conv.weight
        )
    return conv


CASES = {
    "conv_params": (
        ch01.check_conv_params,
        5 * 5 * 16 * 32,
        [5 * 5 * 32, 5 * 16 * 32, 3 * 3 * 16 * 32, 5 * 5 * 16 * 32 + 32, 12_799, 1e9],
        ["12800", [12_800], torch.ones(3), 12_800.5, True, object()],
    ),
    "one_pixel": (
        ch01.check_one_pixel,
        outputs_touched,
        [
            lambda k, m, n: k * k,
            lambda k, m, n: k * k * m * n,
            lambda k, m, n: n,
            lambda k, m, n: k * n,
            lambda k, m, n: k * k * n + 1,
        ],
        [lambda k, m, n: "144", lambda k, m, n: [144], lambda k: 9, lambda k, m, n: 1 / 0, 144],
    ),
    "final_map": (
        ch01.check_final_map,
        final_map_side,
        [
            lambda d: d // 32,
            lambda d: d / 32,
            lambda d: -(-d // 16),
            lambda d: -(-d // 64),
            lambda d: 7,
        ],
        [lambda d: "7", lambda d: [7], lambda: 7, lambda d: None, 7],
    ),
    "depthwise_params": (
        ch02.check_depthwise_params,
        288,
        [3 * 3 * 32 * 32, 288 + 64, 9, 32, 289],
        ["288", np.zeros(3), 288.25, (288,)],
    ),
    "strided_depthwise": (
        ch02.check_strided_depthwise,
        depthwise_mult_adds,
        [
            lambda k, m, f, s: k * k * m * f * f,
            lambda k, m, f, s: k * k * m * (f // s) ** 2,
            lambda k, m, f, s: k * k * m * m * ((f - 1) // s + 1) ** 2,
            lambda k, m, f, s: k * k * m * f * f / (s * s),
        ],
        [lambda k, m, f, s: "many", lambda k, m, f, s: None, lambda k: 1, 3],
    ),
    "pointwise_params": (
        ch03.check_pointwise_params,
        32 * 64,
        [3 * 3 * 32 * 64, 32 * 64 + 128, 32 * 64 + 64, 96, 2047],
        ["2048", [2048], 2048.5],
    ),
    "linear_as_conv": (
        ch03.check_linear_as_conv,
        as_conv1x1,
        [
            lambda lin: nn.Conv2d(lin.in_features, lin.out_features, 1),
            lambda lin: nn.Conv2d(lin.in_features, lin.out_features, 3, padding=1),
            lambda lin: nn.Conv2d(lin.out_features, lin.in_features, 1),
            lambda lin: nn.Conv2d(lin.in_features, lin.out_features, 1, bias=False),
            conv_without_bias,
            conv_transposed,
        ],
        [lambda lin: lin, lambda lin: "conv", lambda lin: None, lambda: 1, 5],
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
    "budget_width": (
        ch04.check_budget_width,
        widest_separable,
        [
            lambda k, m, f, b: (b - k * k * m * f * f) // (m * f * f),
            lambda k, m, f, b: b // (k * k * m * f * f),
            lambda k, m, f, b: b // (m * f * f),
            lambda k, m, f, b: max(0, -((k * k * m * f * f - b) // (m * f * f))),
            lambda k, m, f, b: max(0, (b - k * k * m * f * f) / (m * f * f)),
        ],
        [lambda k, m, f, b: "wide", lambda k, m, f, b: [1], lambda k: 1, 4599],
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
    assert "one input channel" in ch01.check_one_pixel(lambda k, m, n: k * k * m * n).message
    assert "square" in ch01.check_one_pixel(lambda k, m, n: k * n).message
    assert "rounding down" in ch01.check_final_map(lambda d: d // 32).message
    assert "four" in ch01.check_final_map(lambda d: -(-d // 16)).message
    assert "stride" in ch02.check_strided_depthwise(lambda k, m, f, s: k * k * m * f * f).message
    assert (
        "odd" in ch02.check_strided_depthwise(lambda k, m, f, s: k * k * m * (f // s) ** 2).message
    )
    assert "transposed" in ch03.check_linear_as_conv(conv_transposed).message
    assert (
        "1×1 kernel"
        in ch03.check_linear_as_conv(
            lambda lin: nn.Conv2d(lin.in_features, lin.out_features, 3, padding=1)
        ).message
    )
    assert "k=1" in ch04.check_when_cheaper(lambda k, m, n: True).message
    assert (
        "no N fits"
        in ch04.check_budget_width(
            lambda k, m, f, b: (b - k * k * m * f * f) // (m * f * f)
        ).message
    )
    assert (
        "standard" in ch04.check_budget_width(lambda k, m, f, b: b // (k * k * m * f * f)).message
    )
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
    assert "d_k * d_k" not in ch01.check_one_pixel.record.hint
    assert (
        "// 2" not in ch01.check_final_map.record.hint
        and "32" not in ch01.check_final_map.record.hint
    )
    assert "//" not in ch02.check_strided_depthwise.record.hint
    assert "[:, :, None, None]" not in ch03.check_linear_as_conv.record.hint
    assert "max(" not in ch04.check_budget_width.record.hint


def test_every_checker_has_an_exercise_label():
    for check, *_ in CASES.values():
        assert check.exercise.startswith(("ex-01-", "ex-02-", "ex-03-", "ex-04-"))
