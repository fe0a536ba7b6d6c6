"""Bad input gets a clear error at the API boundary."""

import math

import pytest
import torch

import mobilenet_lab as ml


@pytest.mark.parametrize("alpha", [0, -0.5, math.nan, math.inf, -math.inf])
def test_alpha_values(alpha):
    with pytest.raises(ValueError, match="alpha"):
        ml.MobileNetV1(alpha)


@pytest.mark.parametrize("alpha", ["1.0", None, True, [1.0]])
def test_alpha_types(alpha):
    with pytest.raises(TypeError, match="alpha"):
        ml.MobileNetV1(alpha)


def test_alpha_too_small_names_the_minimum():
    with pytest.raises(ValueError, match=r"alpha=0.01 .*at least 0.03125"):
        ml.MobileNetV1(0.01)
    ml.MobileNetV1(1 / 32)  # the smallest alpha that still gives every layer a channel


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"num_classes": 0}, ValueError, "num_classes"),
        ({"num_classes": 2.5}, TypeError, "num_classes"),
        ({"block": "resnet"}, ValueError, "block"),
        ({"activation": "gelu"}, ValueError, "activation"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"dropout": -0.1}, ValueError, "dropout"),
        ({"dropout": "0.2"}, TypeError, "dropout"),
        ({"in_channels": 0}, ValueError, "in_channels"),
        ({"spec": []}, TypeError, "spec"),
    ],
)
def test_model_arguments(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        ml.MobileNetV1(**kwargs)


@pytest.mark.parametrize(
    "make, exc, word",
    [
        (lambda: ml.DepSepConv(0, 16), ValueError, "in_channels"),
        (lambda: ml.DepSepConv(8, -1), ValueError, "out_channels"),
        (lambda: ml.DepSepConv(8, 16, stride=3), ValueError, "stride must be 1 or 2"),
        (lambda: ml.DepSepConv(8, 16, stride=True), ValueError, "stride"),
        (lambda: ml.DepthwiseConv(0), ValueError, "channels"),
        (lambda: ml.PointwiseConv(3, 2.0), TypeError, "out_channels"),
        (lambda: ml.StandardConv(3, 4, stride=0), ValueError, "stride"),
        (lambda: ml.StandardConv(3, 4, activation="tanh"), ValueError, "'relu', 'relu6'"),
    ],
)
def test_layer_arguments(make, exc, word):
    with pytest.raises(exc, match=word):
        make()


def test_forward_input_checks():
    model = ml.MobileNetV1(0.25)
    with pytest.raises(ValueError, match="4-D input"):
        model(torch.zeros(3, 32, 32))
    with pytest.raises(ValueError, match="expects 3 input channels, got 1"):
        model(torch.zeros(1, 1, 32, 32))
    with pytest.raises(TypeError, match="torch.Tensor"):
        model([[0.0]])
    with pytest.raises(ValueError, match="expects 8 input channels, got 4"):
        ml.DepSepConv(8, 16)(torch.zeros(1, 4, 8, 8))


@pytest.mark.parametrize("size", [(3, 224, 224), (1, 3, 0, 224), (1, 3, 224, 224.0), "224", None])
def test_counter_input_size(size):
    with pytest.raises(ValueError, match="input_size"):
        ml.count_mult_adds(ml.MobileNetV1(0.25), size)


def test_counter_wrong_channels_is_clear():
    with pytest.raises(ValueError, match="expects 3 input channels, got 1"):
        ml.count_mult_adds(ml.MobileNetV1(0.25), (1, 1, 32, 32))


def test_counter_needs_a_module():
    with pytest.raises(TypeError, match="module"):
        ml.count_parameters("model")
    with pytest.raises(TypeError, match="model"):
        ml.count_mult_adds(None)


@pytest.mark.parametrize("args", [(0, 3, 16), (3, -1, 16), (3, 3, 1.5)])
def test_formula_arguments(args):
    with pytest.raises((ValueError, TypeError)):
        ml.standard_conv_params(*args)


def test_factorised_kernel_shapes():
    with pytest.raises(ValueError, match="depthwise_weight"):
        ml.factorised_kernel(torch.zeros(4, 2, 3, 3), torch.zeros(8, 4, 1, 1))
    with pytest.raises(ValueError, match=r"pointwise_weight must have shape \(N, 4, 1, 1\)"):
        ml.factorised_kernel(torch.zeros(4, 1, 3, 3), torch.zeros(8, 5, 1, 1))
