"""fold_for_inference: folded BatchNorm + channels_last computes what the eager model does."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mobilenet_lab import MobileNetV1
from mobilenet_lab.inference import InferenceMobileNetV1, fold_batchnorm, fold_for_inference


def _randomise_batchnorm(model: nn.Module, seed: int = 0) -> nn.Module:
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(n, generator=g))
                m.bias.copy_(0.2 * torch.randn(n, generator=g))
                m.running_mean.copy_(0.2 * torch.randn(n, generator=g))
                m.running_var.copy_(0.5 + torch.rand(n, generator=g))
    return model


@pytest.mark.parametrize(
    ("alpha", "activation", "block", "memory_format"),
    [
        (1.0, "relu", "separable", "channels_last"),
        (0.5, "relu6", "separable", "channels_last"),
        (0.25, "relu", "separable", "contiguous"),
        (0.75, "relu6", "standard", "channels_last"),
    ],
)
def test_matches_eager(alpha, activation, block, memory_format):
    torch.manual_seed(0)
    model = MobileNetV1(alpha, 10, activation=activation, block=block, dropout=0.2)
    model = _randomise_batchnorm(model).eval()
    fast = fold_for_inference(model, memory_format=memory_format)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        want = model(x)
    got = fast(x)
    assert got.shape == want.shape
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-5)
    assert got.is_contiguous()
    assert not any(isinstance(m, (nn.BatchNorm2d, nn.Dropout)) for m in fast.modules())


def test_structure_and_format():
    model = MobileNetV1(0.25, 10)
    fast = fold_for_inference(model)
    assert isinstance(fast, InferenceMobileNetV1)
    assert not fast.training
    convs = [m for m in fast.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 27 and all(c.bias is not None for c in convs)
    assert all(c.weight.is_contiguous(memory_format=torch.channels_last) for c in convs)
    assert not any(p.requires_grad for p in fast.parameters())
    assert "channels_last" in repr(fast)


def test_input_model_is_not_modified():
    torch.manual_seed(0)
    model = _randomise_batchnorm(MobileNetV1(0.25, 10)).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    fold_for_inference(model)
    assert model.training
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert all(p.requires_grad for p in model.parameters())
    assert all(p.is_contiguous() for p in model.parameters()), (
        "the input's weights must keep their layout"
    )


def test_from_training_mode_matches_eval():
    torch.manual_seed(0)
    model = _randomise_batchnorm(MobileNetV1(0.25, 10)).train()
    fast = fold_for_inference(model)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        want = model.eval()(x)
    torch.testing.assert_close(fast(x), want, rtol=1e-4, atol=1e-5)


def test_fold_batchnorm_with_conv_bias_and_float64():
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3, padding=1, bias=True).double()
    bn = _randomise_batchnorm(nn.BatchNorm2d(4, eps=1e-3)).double().eval()
    folded = fold_batchnorm(conv, bn)
    x = torch.randn(1, 3, 8, 8, dtype=torch.float64)
    torch.testing.assert_close(folded(x), bn(conv(x)))
    assert folded is not conv and folded.weight.dtype == torch.float64


def test_fold_batchnorm_without_affine():
    conv = nn.Conv2d(2, 2, 1, bias=False)
    bn = nn.BatchNorm2d(2, affine=False).eval()
    with torch.no_grad():
        bn.running_mean.fill_(0.3)
        bn.running_var.fill_(2.0)
    x = torch.randn(1, 2, 4, 4)
    torch.testing.assert_close(fold_batchnorm(conv, bn)(x), bn(conv(x)))


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((nn.Linear(2, 2), nn.BatchNorm2d(2)), TypeError, "conv must be an nn.Conv2d"),
        ((nn.Conv2d(2, 2, 1), nn.BatchNorm1d(2)), TypeError, "bn must be an nn.BatchNorm2d"),
        ((nn.Conv2d(2, 3, 1), nn.BatchNorm2d(2)), ValueError, "bn has 2 channels"),
        (
            (nn.Conv2d(2, 2, 1), nn.BatchNorm2d(2, track_running_stats=False)),
            ValueError,
            "running statistics",
        ),
    ],
)
def test_fold_batchnorm_errors(args, error, match):
    with pytest.raises(error, match=match):
        fold_batchnorm(*args)


def test_optimize_errors():
    with pytest.raises(TypeError, match="must be a mobilenet_lab.MobileNetV1"):
        fold_for_inference(nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)))
    with pytest.raises(TypeError, match="MobileNetV1, got str"):
        fold_for_inference("mobilenet")
    with pytest.raises(ValueError, match="memory_format must be one of"):
        fold_for_inference(MobileNetV1(0.25), memory_format="nhwc")
    model = MobileNetV1(0.25)
    model.classifier = nn.Sequential(nn.BatchNorm1d(256), nn.Linear(256, 10))
    model.features.append(nn.BatchNorm2d(256))
    with pytest.raises(ValueError, match="only folds ConvBNAct blocks"):
        fold_for_inference(model)


def test_bad_input_is_reported():
    fast = fold_for_inference(MobileNetV1(0.25, 10))
    with pytest.raises(ValueError, match="expects 3 input channels"):
        fast(torch.randn(1, 1, 32, 32))
    with pytest.raises(TypeError, match="expects a torch.Tensor"):
        fast([[1.0]])


def test_fold_batchnorm_matches_torch_fuse_conv_bn_eval():
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    torch.manual_seed(0)
    conv = nn.Conv2d(4, 6, 3, padding=1, bias=False)
    bn = _randomise_batchnorm(nn.Sequential(nn.BatchNorm2d(6)))[0].eval()
    ours, theirs = fold_batchnorm(conv, bn), fuse_conv_bn_eval(conv.eval(), bn)
    torch.testing.assert_close(ours.weight, theirs.weight)
    torch.testing.assert_close(ours.bias, theirs.bias)
