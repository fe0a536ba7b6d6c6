"""Inference copies of MobileNetV1: BatchNorm folded into the convolutions, ``channels_last``.

In eval mode a BatchNorm is a fixed per-channel affine map, ``y = γ (x − μ) / √(σ² + ε) + β``.
After a convolution it can be folded into the convolution's weights and bias: with
``s = γ / √(σ² + ε)``, ``W' = s·W`` (per output channel) and ``b' = s·(b − μ) + β``. The folded
network computes the same function with one operation fewer per layer.

:func:`fold_for_inference` does this for a whole :class:`~mobilenet_lab.MobileNetV1`. It has
nothing to do with ``torch.jit.optimize_for_inference`` (a TorchScript pass over a frozen, scripted
module). PyTorch's own tools for the same folding are ``torch.nn.utils.fusion.fuse_conv_bn_eval``
(one conv + BN pair) and the FX-based fusion of the tutorial "(beta) Building a Convolution/Batch
Norm fuser in FX" (any traceable model).
"""

from __future__ import annotations

import copy

import torch
from torch import Tensor, nn

from ._validation import check_choice
from .layers import ConvBNAct, check_input
from .model import MobileNetV1

MEMORY_FORMATS = ("channels_last", "contiguous")


def fold_batchnorm(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> nn.Conv2d:
    """Return a new ``Conv2d`` (with bias) that computes ``bn(conv(x))`` of ``bn`` in eval mode.

    Neither ``conv`` nor ``bn`` is modified. Raises ``TypeError`` for other module types and
    ``ValueError`` when the channels differ or ``bn`` keeps no running statistics.
    """
    if not isinstance(conv, nn.Conv2d):
        raise TypeError(f"conv must be an nn.Conv2d, got {type(conv).__name__}")
    if not isinstance(bn, nn.BatchNorm2d):
        raise TypeError(f"bn must be an nn.BatchNorm2d, got {type(bn).__name__}")
    if bn.num_features != conv.out_channels:
        raise ValueError(
            f"bn has {bn.num_features} channels but conv has {conv.out_channels} output channels"
        )
    if bn.running_mean is None or bn.running_var is None:
        raise ValueError(
            "bn keeps no running statistics (track_running_stats=False), so it is not a fixed "
            "affine map and cannot be folded"
        )
    with torch.no_grad():
        scale = torch.rsqrt(bn.running_var + bn.eps)
        if bn.weight is not None:
            scale = scale * bn.weight
        shift = -bn.running_mean * scale
        if bn.bias is not None:
            shift = shift + bn.bias
        bias = shift if conv.bias is None else conv.bias * scale + shift
        folded = nn.Conv2d(
            conv.in_channels,
            conv.out_channels,
            conv.kernel_size,
            stride=conv.stride,
            padding=conv.padding,
            dilation=conv.dilation,
            groups=conv.groups,
            bias=True,
            padding_mode=conv.padding_mode,
            device=conv.weight.device,
            dtype=conv.weight.dtype,
        )
        folded.weight.copy_(conv.weight * scale.reshape(-1, 1, 1, 1))
        folded.bias.copy_(bias)
    return folded


class InferenceMobileNetV1(nn.Module):
    """What :func:`fold_for_inference` returns: ``(Conv2d + bias, activation)`` pairs, pool,
    linear classifier. Frozen (no gradients), eval mode, and inputs are converted to the memory
    format of the weights once, at the entry."""

    def __init__(
        self,
        features: nn.Sequential,
        classifier: nn.Linear,
        in_channels: int,
        memory_format: torch.memory_format,
    ) -> None:
        super().__init__()
        self.features = features
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = classifier
        self.in_channels = in_channels
        self.memory_format = memory_format

    def forward(self, x: Tensor) -> Tensor:
        check_input(x, self.in_channels, type(self).__name__)
        x = self.features(x.contiguous(memory_format=self.memory_format))
        return self.classifier(torch.flatten(self.pool(x), 1))

    def extra_repr(self) -> str:
        return f"memory_format={self.memory_format}"


def fold_for_inference(
    model: MobileNetV1, *, memory_format: str = "channels_last"
) -> InferenceMobileNetV1:
    """An eval-mode, gradient-free copy of ``model`` with every BatchNorm folded into its conv.

    ``memory_format="channels_last"`` (default) stores weights and activations NHWC (PyTorch
    picks a kernel per shape and layout; whether it is faster depends on each layer's shape:
    chapter 9 measures it); ``"contiguous"`` keeps NCHW. Dropout is dropped (it is the
    identity in eval mode). ``model`` itself is not modified. The copy computes what
    ``model.eval()`` computes, up to float rounding.
    """
    if not isinstance(model, MobileNetV1):
        raise TypeError(
            f"model must be a mobilenet_lab.MobileNetV1, got {type(model).__name__}; "
            "for other networks fold layers one by one with fold_batchnorm(conv, bn)"
        )
    check_choice("memory_format", memory_format, MEMORY_FORMATS)
    fmt = torch.channels_last if memory_format == "channels_last" else torch.contiguous_format
    layers: list[nn.Module] = []
    for block in model.features.modules():
        if isinstance(block, ConvBNAct):
            layers += [fold_batchnorm(block.conv, block.bn), copy.deepcopy(block[2])]
    expected = sum(1 for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    if 2 * expected != len(layers):  # a BatchNorm outside a ConvBNAct would be silently lost
        raise ValueError(
            f"model has {expected} BatchNorm layers but only {len(layers) // 2} sit in "
            "ConvBNAct blocks; fold_for_inference only folds ConvBNAct blocks"
        )
    optimised = InferenceMobileNetV1(
        nn.Sequential(*layers), copy.deepcopy(model.classifier), model.in_channels, fmt
    )
    optimised.to(memory_format=fmt)
    return optimised.eval().requires_grad_(False)
