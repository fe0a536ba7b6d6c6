"""INT8 post-training static quantization with ONNX Runtime's quantization tools.

Static quantization stores every weight as an 8-bit integer with a scale per output channel and
runs the convolutions on 8-bit activations, whose scales are fixed beforehand by *calibration*:
a few hundred representative inputs are run through the FP32 model and the range of every
activation is recorded (Jacob et al., 2018, made MobileNets the benchmark of this integer-only
inference). :func:`quantize_int8` writes the result in QDQ form (QuantizeLinear/DequantizeLinear
pairs around each operator); ONNX Runtime fuses each pair into integer kernels (``QLinearConv``
and friends). What those kernels gain depends on the CPU: with AVX-512 VNNI or AVX-VNNI one
instruction does four 8-bit multiply-adds into a 32-bit sum, and AMX adds tile units for 8-bit
matrix products; without them (plain AVX2 or AVX-512) the products go through 16-bit sums that
can saturate, in more instructions. :mod:`mobilenet_lab.machine` reads which the CPU has, and
:mod:`mobilenet_lab.onnx_profile` measures which layers the gain comes from.

Why ONNX Runtime rather than PyTorch's PT2E flow with the x86 Inductor quantizer: the PT2E path
only becomes fast after ``torch.compile``, which compiles once per input shape (the committed
benchmark, ``benchmarks/results/latency_1thread.md``, measured 57 s for the first shape and 8 s
for a second one, wall clock, on two cores shared with other jobs), while ONNX Runtime
quantizes a file in seconds and runs it at once, with the same runtime that serves the FP32
model.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

import torch
from torch import Tensor

from ._validation import check_positive_int
from .onnx_export import INPUT_NAME


def quantize_int8(
    fp32_path: str | os.PathLike,
    int8_path: str | os.PathLike,
    calibration: Tensor | Iterable[Tensor],
    *,
    batch_size: int = 32,
    per_channel: bool = True,
) -> Path:
    """Quantize the ONNX model at ``fp32_path`` to INT8 (static, QDQ); write it to ``int8_path``.

    Args:
        calibration: input images ``(B, C, H, W)`` (one tensor, split into batches of
            ``batch_size``, or an iterable of batches) from the training data, never the test
            data: they fix the range of every activation (min/max calibration).
        per_channel: one weight scale per output channel (recommended for depthwise
            convolutions, whose filters have very different ranges).

    Activations are unsigned 8-bit, weights signed 8-bit (the U8S8 combination the x86
    integer kernels use).
    """
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    batches = _calibration_batches(calibration, batch_size)

    class _Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._it = iter(batches)

        def get_next(self) -> dict | None:
            batch = next(self._it, None)
            if batch is None:
                return None
            return {INPUT_NAME: batch.detach().to("cpu", torch.float32).contiguous().numpy()}

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # "consider pre-processing" warnings: the exporter already did
    try:
        quantize_static(
            str(fp32_path),
            str(int8_path),
            _Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=per_channel,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
        )
    finally:
        root.setLevel(level)
    return Path(int8_path)


def _calibration_batches(calibration: Tensor | Iterable[Tensor], batch_size: int) -> list[Tensor]:
    """``calibration`` as a list of image batches ``(B, C, H, W)``, checked."""
    batch_size = check_positive_int("batch_size", batch_size)
    if isinstance(calibration, Tensor):
        if calibration.ndim != 4:
            raise ValueError(
                f"calibration must be images (B, C, H, W), got shape {tuple(calibration.shape)}"
            )
        batches = list(calibration.split(batch_size))
    else:
        batches = list(calibration)
    if not batches or not all(isinstance(b, Tensor) and b.ndim == 4 for b in batches):
        raise ValueError("calibration must hold at least one batch of images (B, C, H, W)")
    return batches
