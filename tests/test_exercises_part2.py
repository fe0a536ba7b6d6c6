"""Chapters 5–7's checkers accept the reference solutions, reject typical wrong answers and
malformed ones without raising, and report stubs as not done."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

import mobilenet_lab as ml
from mobilenet_lab import seed
from mobilenet_lab.architecture import expand
from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG, ch05, ch06, ch07


def _stub(*_args, **_kwargs):
    raise NotImplementedError  # YOUR CODE HERE


STUBS = [None, ..., _stub]


def _status(feedback) -> str:
    assert isinstance(feedback, ch05.Feedback)
    assert isinstance(repr(feedback), str)
    return feedback.status


# --- chapter 5 ---------------------------------------------------------------------------------


def block_params(m, n):
    return ml.count_parameters(ml.DepSepConv(m, n))


def fraction_read(h, w):
    return math.ceil(h / 2) * math.ceil(w / 2) / (h * w)


def test_ch05_reference_solutions():
    assert _status(ch05.check_block_params(block_params)) == CORRECT
    assert _status(ch05.check_stride_fraction(fraction_read)) == CORRECT
    assert ch05.check_block_params(lambda m, n: 11 * m + m * n + 2 * n)


@pytest.mark.parametrize(
    "answer, word",
    [
        (lambda m, n: 9 * m + m * n, "weights only"),
        (lambda m, n: 13 * m + m * n + 4 * n, "4 numbers"),
        (lambda m, n: 9 * m * n, "block_params"),
        (lambda m, n: "75", "whole number"),
        (lambda m: 1, "TypeError"),
        (2528, "function"),
    ],
)
def test_ch05_block_params_wrong(answer, word):
    feedback = ch05.check_block_params(answer)
    assert _status(feedback) == WRONG and word in repr(feedback)


@pytest.mark.parametrize(
    "answer, word",
    [
        (lambda h, w: 0.75, "skips"),
        (lambda h, w: 25.0, "percentage"),
        (lambda h, w: 0.25, "7×7"),  # right for even sizes only
        (lambda h, w: "a quarter", "number"),
        (lambda h, w: 1 / 0, "ZeroDivisionError"),
        (0.25, "function"),
    ],
)
def test_ch05_stride_fraction_wrong(answer, word):
    feedback = ch05.check_stride_fraction(answer)
    assert _status(feedback) == WRONG and word in repr(feedback)


@pytest.mark.parametrize("stub", STUBS)
def test_ch05_stubs_not_done(stub):
    assert _status(ch05.check_block_params(stub)) == NOT_DONE
    assert _status(ch05.check_stride_fraction(stub)) == NOT_DONE


# --- chapter 6 ---------------------------------------------------------------------------------


def fixed_seed(alpha, n_classes=1000):
    model = seed.MobileNetV1(alpha, n_classes)
    c = int(512 * alpha)
    model.dsconv4 = nn.Sequential(
        seed.DepSepConv(int(256 * alpha), c, stride=2),
        *[seed.DepSepConv(c, c) for _ in range(5)],
    )
    return model


def test_ch06_reference_solutions():
    rows = ml.layer_counts(ml.MobileNetV1(0.5))
    answer = sum(r.weights for r in rows if r.kind == "pointwise")
    assert _status(ch06.check_pointwise_params(answer)) == CORRECT
    assert _status(ch06.check_fix_seed(fixed_seed)) == CORRECT
    assert ch06.check_fix_seed(lambda alpha, n_classes: ml.MobileNetV1(alpha, n_classes))


@pytest.mark.parametrize(
    "answer, word",
    [
        (3_139_584, "1.0 MobileNet"),
        (1_331_592, "whole"),
        (784_896 + 2 * sum(ml.channel_plan(0.5)[1:]), "too high"),
        ("784896", "whole number"),
        (784_896.5, "whole number"),
        ([784_896], "whole number"),
    ],
)
def test_ch06_pointwise_params_wrong(answer, word):
    feedback = ch06.check_pointwise_params(answer)
    assert _status(feedback) == WRONG and word in repr(feedback)


@pytest.mark.parametrize(
    "answer, word",
    [
        (lambda alpha, n_classes: seed.MobileNetV1(alpha, n_classes), "still fails"),
        (lambda alpha, n_classes: seed.MobileNetV1(1.0, n_classes), "parameters"),
        (lambda alpha, n_classes: fixed_seed(alpha), "output"),
        (lambda alpha, n_classes: "a model", "torch.nn.Module"),
        (lambda alpha: seed.MobileNetV1(alpha), "TypeError"),
        (seed.MobileNetV1(1.0), "TypeError"),
    ],
)
def test_ch06_fix_seed_wrong(answer, word):
    feedback = ch06.check_fix_seed(answer)
    assert _status(feedback) == WRONG and word in repr(feedback)


@pytest.mark.parametrize("stub", STUBS)
def test_ch06_stubs_not_done(stub):
    assert _status(ch06.check_pointwise_params(stub)) == NOT_DONE
    assert _status(ch06.check_fix_seed(stub)) == NOT_DONE


# --- chapter 7 ---------------------------------------------------------------------------------


def predict(alpha, resolution):
    side, total, c_in = resolution, 0, 3
    for row, c in zip(expand(ml.TABLE_1), ml.channel_plan(alpha)):
        side = math.ceil(side / row.stride)
        if row.kind == "conv":
            total += ml.standard_conv_mult_adds(3, c_in, c, side)
        else:
            total += ml.separable_conv_mult_adds(3, c_in, c, side)
        c_in = c
    return total + c_in * 1000


def test_ch07_reference_solutions():
    assert _status(ch07.check_predict_mult_adds(predict)) == CORRECT

    def body(alpha):
        model = ml.MobileNetV1(alpha)
        return ml.count_parameters(model) - ml.count_parameters(model.classifier)

    assert _status(ch07.check_param_ratio(body(0.5) / body(1.0))) == CORRECT


@pytest.mark.parametrize(
    "answer, word",
    [
        (lambda a, r: round(568_740_352 * a**2 * (r / 224) ** 2), "approximate"),
        (lambda a, r: predict(a, r) / 1e6, "not millions"),
        (lambda a, r: predict(a, r) - 1000 * int(1024 * a), "close"),
        (lambda a, r: predict(a, r) // 2, "too low"),
        (lambda a, r: str(predict(a, r)), "whole number"),
        (lambda a: 1, "TypeError"),
        (568_740_352, "function"),
    ],
)
def test_ch07_predict_wrong(answer, word):
    feedback = ch07.check_predict_mult_adds(answer)
    assert _status(feedback) == WRONG and word in repr(feedback)


@pytest.mark.parametrize(
    "answer, word",
    [
        (0.25, "rule of thumb"),
        (0.3147, "whole networks"),
        (3.918, "upside down"),
        (0.5, "too high"),
        ("x", "number"),
    ],
)
def test_ch07_param_ratio_wrong(answer, word):
    feedback = ch07.check_param_ratio(answer)
    assert _status(feedback) == WRONG and word in repr(feedback)


@pytest.mark.parametrize("stub", STUBS)
def test_ch07_stubs_not_done(stub):
    assert _status(ch07.check_predict_mult_adds(stub)) == NOT_DONE
    assert _status(ch07.check_param_ratio(stub)) == NOT_DONE


# --- new exercises: ch. 5 the block for any convolution, ch. 6 the forward-hook counter -------


def separable_like(conv):
    m, n = conv.in_channels, conv.out_channels
    return nn.Sequential(
        nn.Conv2d(m, m, conv.kernel_size, conv.stride, conv.padding, groups=m, bias=False),
        nn.BatchNorm2d(m),
        nn.ReLU(),
        nn.Conv2d(m, n, 1, bias=False),
        nn.BatchNorm2d(n),
        nn.ReLU(),
    )


def test_ch05_separable_like_reference():
    feedback = ch05.check_separable_like(separable_like)
    assert _status(feedback) == CORRECT
    assert "18.0× fewer weights" in repr(feedback)  # 5·5·32·64 / (5·5·32 + 32·64)
    # the package's block pads "same" (kernel_size // 2): right until the unpadded 3×3 case
    feedback = ch05.check_separable_like(
        lambda conv: ml.DepSepConv(
            conv.in_channels, conv.out_channels, conv.stride[0], kernel_size=conv.kernel_size[0]
        )
    )
    assert _status(feedback) == WRONG and "padding=0" in repr(feedback), repr(feedback)


def _like(conv, *, groups=None, kernel=None, dw_stride=None, pw_stride=1, dw_padding=None,
          pw_padding=0, bias=False, relu=True):  # fmt: skip
    m, n = conv.in_channels, conv.out_channels
    layers = [
        nn.Conv2d(
            m,
            m,
            kernel or conv.kernel_size,
            dw_stride or conv.stride,
            padding=conv.padding if dw_padding is None else dw_padding,
            groups=groups or m,
            bias=bias,
        ),
        nn.BatchNorm2d(m),
    ]
    layers += [nn.ReLU()] if relu else []
    layers += [nn.Conv2d(m, n, 1, pw_stride, padding=pw_padding, bias=bias), nn.BatchNorm2d(n)]
    return nn.Sequential(*layers, nn.ReLU())


@pytest.mark.parametrize(
    "answer, word",
    [
        (lambda conv: _like(conv, relu=False), "no ReLU"),
        (lambda conv: _like(conv, groups=1), "depthwise"),
        (lambda conv: _like(conv, kernel=3), "kernel is (3, 3)"),
        (lambda conv: _like(conv, dw_stride=1, pw_stride=conv.stride), "stride on the 1×1"),
        (lambda conv: _like(conv, pw_padding=conv.padding), "1×1 convolution is padded"),
        (lambda conv: _like(conv, dw_padding=1), "padding is (1, 1)"),
        (lambda conv: _like(conv, dw_stride=1), "stride is (1, 1)"),
        (lambda conv: _like(conv, bias=True), "bias"),
        (lambda conv: conv, "convolutions"),
        (lambda conv: nn.Sequential(*list(separable_like(conv))[::-1]), "layers"),
        (lambda conv: "block", "torch.nn.Module"),
        (lambda: separable_like(nn.Conv2d(1, 1, 1)), "TypeError"),
    ],
)
def test_ch05_separable_like_wrong(answer, word):
    feedback = ch05.check_separable_like(answer)
    assert _status(feedback) == WRONG and word in repr(feedback), repr(feedback)


def count_macs(model, input_size):
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Conv2d):
            kh, kw = module.kernel_size
            total += output.numel() * module.in_channels // module.groups * kh * kw
        else:
            total += output.numel() * module.in_features

    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    handles = [m.register_forward_hook(hook) for m in layers]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(input_size))
    model.train(was_training)
    for h in handles:
        h.remove()
    return total


def _stays_in_eval(model, input_size):
    """Right count, but the model is left in eval mode (the book's first solution)."""
    model.eval()
    return ml.count_mult_adds(model, input_size)


def _counts_in_training(model, input_size):
    """Right count, but the pass runs in the mode given: training mode updates BatchNorm."""
    with torch.no_grad():
        model(torch.zeros(input_size))
    return ml.count_mult_adds(model, input_size)


def _leaves_training(model, input_size):
    """Right count, but an eval-mode model comes back in training mode."""
    count = ml.count_mult_adds(model, input_size)
    model.train()
    return count


def test_ch06_hook_counter_reference():
    assert _status(ch06.check_hook_counter(count_macs)) == CORRECT
    assert ch06.check_hook_counter(ml.count_mult_adds)


def _leaky_counter(model, input_size):
    """Right once, but its hooks stay registered."""
    total = [0]

    def hook(module, inputs, output):
        total[0] += ml.count_mult_adds(nn.Sequential(), (1, 1, 1, 1)) * 0

    for m in model.modules():
        m.register_forward_hook(hook)
    return ml.count_mult_adds(model, input_size)


def _no_groups(model, input_size):
    rows = ml.layer_counts(model, input_size)
    mods = dict(model.named_modules())
    return sum(
        r.mult_adds * (mods[r.name].groups if isinstance(mods[r.name], nn.Conv2d) else 1)
        for r in rows
    )


_calls = {"n": 0}


def _growing(model, input_size):
    _calls["n"] += 1
    return ml.count_mult_adds(model, input_size) * (1 if _calls["n"] % 2 else 2)


@pytest.mark.parametrize(
    "answer, word",
    [
        (_leaky_counter, "still registered"),
        (_no_groups, "ignores groups"),
        (
            lambda model, size: sum(
                r.mult_adds for r in ml.layer_counts(model, size) if r.kind != "linear"
            ),
            "fully connected",
        ),
        (_growing, "second call"),
        (_stays_in_eval, "leaves it in eval mode"),
        (_counts_in_training, "running statistics"),
        (_leaves_training, "leaves it in training mode"),
        (lambda model, size: 12, "too low"),
        (lambda model, size: "many", "whole number"),
        (lambda model: 1, "TypeError"),
    ],
)
def test_ch06_hook_counter_wrong(answer, word):
    feedback = ch06.check_hook_counter(answer)
    assert _status(feedback) == WRONG and word in repr(feedback), repr(feedback)


@pytest.mark.parametrize("stub", STUBS)
def test_new_exercises_stubs_not_done(stub):
    assert _status(ch05.check_separable_like(stub)) == NOT_DONE
    assert _status(ch06.check_hook_counter(stub)) == NOT_DONE
