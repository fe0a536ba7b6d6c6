"""mobilenet_lab: the small package behind the MobileNet v1 Lab book."""

from .animations import (
    ConvAnimation,
    animate_depthwise_conv,
    animate_pointwise_conv,
    animate_separable_conv,
    animate_standard_conv,
)
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
    conv_kind,
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
from .data import RandomAffine, digits_datasets, load_cifar10
from .factorisation import factorised_kernel
from .inference import (
    InferenceMobileNetV1,
    fold_batchnorm,
    fold_for_inference,
)
from .layers import (
    ConvBNAct,
    DepSepConv,
    DepthwiseConv,
    DepthwiseSeparableConv,
    PointwiseConv,
    StandardConv,
)
from .machine import CpuInfo, cpu_info
from .model import MobileNetV1
from .onnx_export import OnnxModel, export_onnx
from .onnx_profile import time_by_kind
from .pretrained import (
    CheckpointMismatchError,
    find_weights,
    imagenet_labels,
    load_timm_state_dict,
    mobilenet_from_timm,
    preprocess,
    top_k,
)
from .quantize import quantize_int8
from .quiz import load_quiz, show_quiz
from .roofline import layer_intensities
from .summary import summary_text
from .timing import Timing, background_load, interleaved, time_block
from .training import History, evaluate, fit, predict, train_one_epoch

__version__ = "0.1.0"

__all__ = [
    "ConvAnimation",
    "CpuInfo",
    "animate_depthwise_conv",
    "animate_pointwise_conv",
    "animate_separable_conv",
    "animate_standard_conv",
    "OnnxModel",
    "Timing",
    "background_load",
    "cpu_info",
    "export_onnx",
    "interleaved",
    "time_block",
    "time_by_kind",
    "layer_intensities",
    "quantize_int8",
    "load_quiz",
    "show_quiz",
    "History",
    "RandomAffine",
    "digits_datasets",
    "evaluate",
    "fit",
    "load_cifar10",
    "predict",
    "train_one_epoch",
    "CheckpointMismatchError",
    "InferenceMobileNetV1",
    "find_weights",
    "fold_batchnorm",
    "fold_for_inference",
    "imagenet_labels",
    "load_timm_state_dict",
    "mobilenet_from_timm",
    "preprocess",
    "top_k",
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
    "conv_kind",
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
