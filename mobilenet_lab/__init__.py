"""mobilenet_lab: the small package behind the MobileNet v1 Lab book."""

from .architecture import (
    SHALLOW,
    TABLE_1,
    TABLE_1_AS_PRINTED,
    LayerSpec,
    channel_plan,
    scale_channels,
)
from .counting import (
    LayerCount,
    breakdown_by_kind,
    count_mult_adds,
    count_parameters,
    depthwise_conv_mult_adds,
    depthwise_conv_params,
    layer_counts,
    pointwise_conv_mult_adds,
    pointwise_conv_params,
    separable_conv_mult_adds,
    separable_conv_params,
    separable_cost_ratio,
    standard_conv_mult_adds,
    standard_conv_params,
)
from .factorisation import factorised_kernel
from .layers import (
    ConvBNAct,
    DepSepConv,
    DepthwiseConv,
    DepthwiseSeparableConv,
    PointwiseConv,
    StandardConv,
)
from .model import MobileNetV1
from .summary import summary_text

__version__ = "0.1.0"

__all__ = [
    "SHALLOW",
    "TABLE_1",
    "TABLE_1_AS_PRINTED",
    "ConvBNAct",
    "DepSepConv",
    "DepthwiseConv",
    "DepthwiseSeparableConv",
    "LayerCount",
    "LayerSpec",
    "MobileNetV1",
    "PointwiseConv",
    "StandardConv",
    "breakdown_by_kind",
    "channel_plan",
    "count_mult_adds",
    "count_parameters",
    "depthwise_conv_mult_adds",
    "depthwise_conv_params",
    "factorised_kernel",
    "layer_counts",
    "pointwise_conv_mult_adds",
    "pointwise_conv_params",
    "scale_channels",
    "separable_conv_mult_adds",
    "separable_conv_params",
    "separable_cost_ratio",
    "standard_conv_mult_adds",
    "standard_conv_params",
    "summary_text",
]
