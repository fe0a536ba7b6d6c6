"""Chapters 9–10's checkers accept the reference solutions, reject typical wrong answers and
malformed ones without raising, and report stubs as not done."""

from __future__ import annotations

import pytest
import torch

from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG, Feedback, ch09, ch10
from mobilenet_lab.pretrained import TIMM_STAGE_LENGTHS


def _stub(*_args, **_kwargs):
    raise NotImplementedError  # YOUR CODE HERE


STUBS = [None, ..., _stub]


def _status(feedback) -> str:
    assert isinstance(feedback, Feedback)
    assert isinstance(repr(feedback), str)
    return feedback.status


# --- chapter 9 ---------------------------------------------------------------------------------


def fold_bn(weight, gamma, beta, mean, var, eps):
    scale = gamma / torch.sqrt(var + eps)
    return weight * scale.reshape(-1, 1, 1, 1), beta - mean * scale


def intensity(kind, channels, size):
    pixels = size * size
    weights = 9 * channels if kind == "depthwise" else channels * channels
    macs = weights * pixels
    return macs / (2 * channels * pixels + weights)


def test_fold_bn_accepts_reference():
    assert _status(ch09.check_fold_bn(fold_bn)) == CORRECT


def test_fold_bn_accepts_the_package_helper():
    from torch import nn

    from mobilenet_lab.inference import fold_batchnorm

    def via_package(weight, gamma, beta, mean, var, eps):
        conv = nn.Conv2d(weight.shape[1], weight.shape[0], 3, bias=False).double()
        bn = nn.BatchNorm2d(weight.shape[0], eps=eps).double().eval()
        with torch.no_grad():
            conv.weight.copy_(weight)
            bn.weight.copy_(gamma)
            bn.bias.copy_(beta)
            bn.running_mean.copy_(mean)
            bn.running_var.copy_(var)
        folded = fold_batchnorm(conv, bn)
        return folded.weight.detach(), folded.bias.detach()

    assert _status(ch09.check_fold_bn(via_package)) == CORRECT


@pytest.mark.parametrize(
    "answer",
    [
        lambda w, g, b, m, v, e: (w * (g / torch.sqrt(v + e)).reshape(-1, 1, 1, 1), b),  # bias
        lambda w, g, b, m, v, e: (w * (g / v).reshape(-1, 1, 1, 1), b - m * g / v),  # var not std
        lambda w, g, b, m, v, e: (w * g.reshape(-1, 1, 1, 1), b - m * g),
        lambda w, g, b, m, v, e: w,  # not a pair
        lambda w, g, b, m, v, e: (w.numpy(), b.numpy()),  # not tensors
        lambda w, g, b, m, v, e: (w[:1], b),  # wrong shape
        lambda w, g, b, m, v, e: 1 / 0,  # raises
        "fold",  # not a function
    ],
)
def test_fold_bn_rejects_wrong(answer):
    assert _status(ch09.check_fold_bn(answer)) == WRONG


def test_fold_bn_wrong_bias_message():
    answer = lambda w, g, b, m, v, e: (w * (g / torch.sqrt(v + e)).reshape(-1, 1, 1, 1), b)  # noqa: E731
    assert "the weight is right, the bias is not" in ch09.check_fold_bn(answer).message
    # float32 answers with the right weight are told the same
    answer32 = lambda w, g, b, m, v, e: (  # noqa: E731
        (w * (g / torch.sqrt(v + e)).reshape(-1, 1, 1, 1)).float(),
        b.float(),
    )
    assert "the weight is right" in ch09.check_fold_bn(answer32).message
    # a wrong weight is not
    answer = lambda w, g, b, m, v, e: (w * g.reshape(-1, 1, 1, 1), b - m * g)  # noqa: E731
    assert "the weight is right" not in ch09.check_fold_bn(answer).message


def test_intensity():
    assert _status(ch09.check_intensity(intensity)) == CORRECT
    assert _status(ch09.check_intensity(lambda k, c, f: intensity(k, c, f) * 2)) == WRONG
    assert _status(ch09.check_intensity(lambda k, c, f: 9 if k == "depthwise" else c)) == WRONG
    assert _status(ch09.check_intensity(lambda k, c, f: "fast")) == WRONG
    assert _status(ch09.check_intensity(lambda k, c, f: [1, 2])) == WRONG
    assert (
        _status(ch09.check_intensity(lambda k, c, f: torch.tensor(intensity(k, c, f)))) == CORRECT
    )


@pytest.mark.parametrize("stub", STUBS)
def test_ch09_stubs_not_done(stub):
    assert _status(ch09.check_fold_bn(stub)) == NOT_DONE
    assert _status(ch09.check_intensity(stub)) == NOT_DONE


# --- chapter 10 --------------------------------------------------------------------------------


def timm_to_ours(key):
    parts = key.split(".")
    if parts[0] == "conv_stem":
        return "features.0.0.weight"
    if parts[0] == "bn1":
        return "features.0.1." + parts[1]
    if parts[0] == "classifier":
        return key
    stage, i, name, stat = int(parts[1]), int(parts[2]), parts[3], parts[4]
    k = 1 + sum(TIMM_STAGE_LENGTHS[:stage]) + i
    part = {
        "conv_dw": "depthwise.0",
        "bn1": "depthwise.1",
        "conv_pw": "pointwise.0",
        "bn2": "pointwise.1",
    }[name]
    return f"features.{k}.{part}.{stat}"


def normalise(pixel):
    return (pixel / 255 - 0.5) / 0.5


def test_map_key():
    assert _status(ch10.check_map_key(timm_to_ours)) == CORRECT
    off_by_one = lambda key: timm_to_ours(key).replace("features.1.", "features.0.")  # noqa: E731
    assert _status(ch10.check_map_key(off_by_one)) == WRONG
    assert _status(ch10.check_map_key(lambda key: key)) == WRONG
    assert _status(ch10.check_map_key(lambda key: 3)) == WRONG
    assert _status(ch10.check_map_key(lambda key: {}[key])) == WRONG


def test_normalise():
    assert _status(ch10.check_normalise(normalise)) == CORRECT
    assert _status(ch10.check_normalise(lambda p: torch.tensor(normalise(p)))) == CORRECT
    feedback = ch10.check_normalise(lambda p: (p / 255 - 0.485) / 0.229)
    assert _status(feedback) == WRONG and "usual ImageNet" in feedback.message
    assert _status(ch10.check_normalise(lambda p: (p - 0.5) / 0.5)) == WRONG
    assert _status(ch10.check_normalise(lambda p: "grey")) == WRONG


@pytest.mark.parametrize("stub", STUBS)
def test_ch10_stubs_not_done(stub):
    assert _status(ch10.check_map_key(stub)) == NOT_DONE
    assert _status(ch10.check_normalise(stub)) == NOT_DONE
