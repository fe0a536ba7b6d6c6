"""The building blocks behave as the book says."""

import torch
from torch import nn

import mobilenet_lab as ml


def test_separable_block_structure_and_stride_placement():
    block = ml.DepSepConv(32, 64, stride=2)
    assert ml.DepSepConv is ml.DepthwiseSeparableConv
    assert block.depthwise.conv.groups == 32 and block.depthwise.conv.stride == (2, 2)
    assert block.pointwise.conv.kernel_size == (1, 1) and block.pointwise.conv.stride == (1, 1)
    assert isinstance(block.depthwise.bn, nn.BatchNorm2d)
    out = block(torch.randn(2, 32, 16, 16))
    assert out.shape == (2, 64, 8, 8)
    assert (out >= 0).all()


def test_state_dict_keys_match_the_blog_post():
    """Our block has the blog's DepSepConv keys, so its weights load into ours unchanged."""
    keys = set(ml.DepSepConv(8, 16).state_dict())
    assert "depthwise.0.weight" in keys and "pointwise.1.running_mean" in keys


def test_relu6_activation():
    block = ml.StandardConv(3, 4, activation="relu6")
    assert isinstance(block[2], nn.ReLU6)


def test_separable_pair_equals_factorised_standard_conv():
    torch.manual_seed(0)
    m, n, k = 5, 7, 3
    dw = nn.Conv2d(m, m, k, padding=1, groups=m, bias=False)
    pw = nn.Conv2d(m, n, 1, bias=False)
    std = nn.Conv2d(m, n, k, padding=1, bias=False)
    with torch.no_grad():
        std.weight.copy_(ml.factorised_kernel(dw.weight, pw.weight))
    x = torch.randn(2, m, 9, 9)
    assert torch.allclose(pw(dw(x)), std(x), atol=1e-5)


def test_depthwise_equals_per_channel_convs():
    torch.manual_seed(0)
    dw = ml.DepthwiseConv(3)[0]
    x = torch.randn(1, 3, 8, 8)
    per_channel = torch.cat(
        [nn.functional.conv2d(x[:, c : c + 1], dw.weight[c : c + 1], padding=1) for c in range(3)],
        1,
    )
    assert torch.allclose(dw(x), per_channel, atol=1e-6)


def test_mobilenet_alpha_any_resolution():
    model = ml.MobileNetV1(0.5, num_classes=10, in_channels=1).eval()
    for size in (32, 57, 224):
        assert model(torch.randn(1, 1, size, size)).shape == (1, 10)


def test_alpha_scales_every_layer_including_the_512_blocks():
    model = ml.MobileNetV1(0.75)
    widths = [m.out_channels for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert max(widths) == 768 and 512 not in widths
    assert model.classifier.in_features == 768


def test_seed_weights_load_into_our_block():
    torch.manual_seed(0)
    ours = ml.DepSepConv(4, 8, stride=2).eval()
    theirs = ml.DepSepConv(4, 8, stride=2).eval()
    theirs.load_state_dict(ours.state_dict())
    x = torch.randn(1, 4, 6, 6)
    assert torch.equal(ours(x), theirs(x))
