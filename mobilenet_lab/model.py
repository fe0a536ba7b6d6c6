"""MobileNet v1, built from the rows of Table 1 (``architecture.TABLE_1``)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from ._validation import check_choice, check_positive_int, check_positive_real, check_probability
from .architecture import TABLE_1, LayerSpec, channel_plan, expand
from .layers import ACTIVATIONS, DepthwiseSeparableConv, StandardConv, check_input

BLOCKS = ("separable", "standard")


class MobileNetV1(nn.Module):
    """MobileNet v1 (Howard et al., 2017).

    Args:
        alpha: width multiplier; every layer gets ``int(channels * alpha)`` channels.
        num_classes: outputs of the final linear layer.
        block: ``"separable"`` (MobileNet) or ``"standard"`` (the paper's "Conv MobileNet",
            Table 4: every separable pair replaced by one full 3×3 convolution).
        activation: ``"relu"`` (the paper) or ``"relu6"`` (TF-slim, Keras, timm).
        dropout: dropout probability before the classifier.
        in_channels: channels of the input image.
        spec: the body as Table 1 rows (default: the corrected Table 1).

    Global average pooling makes any input resolution work (the resolution multiplier ρ).
    """

    def __init__(
        self,
        alpha: float = 1.0,
        num_classes: int = 1000,
        *,
        block: str = "separable",
        activation: str = "relu",
        dropout: float = 0.0,
        in_channels: int = 3,
        spec: Sequence[LayerSpec] = TABLE_1,
    ) -> None:
        super().__init__()
        self.alpha = check_positive_real("alpha", alpha)
        num_classes = check_positive_int("num_classes", num_classes)
        self.block = check_choice("block", block, BLOCKS)
        self.activation = check_choice("activation", activation, ACTIVATIONS)
        dropout = check_probability("dropout", dropout)
        self.in_channels = check_positive_int("in_channels", in_channels)
        if not spec or not all(isinstance(r, LayerSpec) for r in spec):
            raise TypeError("spec must be a non-empty sequence of LayerSpec rows")

        rows = expand(spec)
        channels = channel_plan(self.alpha, spec)
        layers: list[nn.Module] = []
        c_in = self.in_channels
        for row, c_out in zip(rows, channels):
            layers.append(self._make_layer(row, c_in, c_out))
            c_in = c_out
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(c_in, num_classes)

    def _make_layer(self, row: LayerSpec, c_in: int, c_out: int) -> nn.Module:
        if row.kind == "conv" or self.block == "standard":
            return StandardConv(c_in, c_out, 3, row.stride, activation=self.activation)
        return DepthwiseSeparableConv(c_in, c_out, row.stride, activation=self.activation)

    @property
    def num_classes(self) -> int:
        return self.classifier.out_features

    def forward_features(self, x: Tensor) -> Tensor:
        """The body: image ``(B, C, H, W)`` to the last feature map."""
        check_input(x, self.in_channels, "MobileNetV1")
        return self.features(x)

    def forward_head(self, x: Tensor, pre_logits: bool = False) -> Tensor:
        """The head, as in timm: pool the feature map, dropout, then the classifier.

        ``pre_logits=True`` stops before the classifier and returns the pooled features
        ``(N, channels)``: what a new classifier sees when the body is reused (fine-tuning).
        """
        x = torch.flatten(self.pool(x), 1)
        x = self.dropout(x)
        return x if pre_logits else self.classifier(x)

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_head(self.forward_features(x))

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}, block={self.block!r}, activation={self.activation!r}"
