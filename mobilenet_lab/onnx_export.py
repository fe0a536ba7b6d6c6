"""Export a model to ONNX and run it with ONNX Runtime, the runtime a deployer picks for CPUs.

:func:`export_onnx` uses ``torch.onnx.export`` (the ``torch.export``-based exporter, which needs
the ``onnxscript`` package) with a dynamic batch dimension, and stores the weights inside the
``.onnx`` file. :class:`OnnxModel` wraps an ``onnxruntime.InferenceSession`` so that it is called
like a module: a float tensor in, a tensor of logits out (on the input's device; ONNX Runtime
itself runs on the CPU here). The exporter's optimizer (``optimize=True``) already folds every
BatchNorm of an eval-mode network into its convolution, so the file holds none; when ONNX
Runtime loads the file it fuses the activations into the convolutions, picks a memory layout
and pre-packs the weights for its kernels. :func:`session_options` holds the session settings
every run of the book shares (threads, optimizations), so that a timed session and a profiled
one (:mod:`mobilenet_lab.onnx_profile`) are the same.

``onnx``, ``onnxscript`` and ``onnxruntime`` are imported only when these functions are called.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from ._validation import check_positive_int

INPUT_NAME = "x"
OUTPUT_NAME = "logits"


@contextlib.contextmanager
def _quiet():
    """Silence the exporter's progress lines, warnings and log messages."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            with contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                yield
    finally:
        logger.setLevel(level)


def export_onnx(
    model: nn.Module,
    path: str | os.PathLike,
    input_shape: tuple[int, int, int] = (3, 224, 224),
) -> Path:
    """Write ``model`` (in eval mode, on the CPU) to ``path`` as ONNX; return the path.

    The batch dimension is dynamic: the file accepts ``(N, *input_shape)`` for any ``N``. The
    model itself is not modified (a CPU copy is exported when it lives elsewhere).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    c, h, w = (check_positive_int("input_shape", v) for v in input_shape)
    path = Path(path)
    param = next(model.parameters(), None)
    if param is not None and param.device.type != "cpu":
        import copy

        model = copy.deepcopy(model).cpu()
    was_training = model.training
    model.eval()
    example = torch.zeros(2, c, h, w)  # batch 2: torch.export would specialise a batch of 1
    batch = torch.export.Dim("batch", min=1, max=4096)
    try:
        with _quiet():
            torch.onnx.export(
                model,
                (example,),
                str(path),
                input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                dynamic_shapes=({0: batch},),
                dynamo=True,
                external_data=False,
                optimize=True,
                verbose=False,
            )
    finally:
        model.train(was_training)
    return path


def session_options(threads: int = 1) -> Any:
    """ONNX Runtime's options for every session of the book: ``threads`` intra-op threads, one
    inter-op thread, sequential execution, every graph optimization, errors-only logging."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = check_positive_int("threads", threads)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only
    return options


class OnnxModel:
    """An ONNX file run by ONNX Runtime on the CPU, called like a module: ``model(x)``.

    Args:
        path: the ``.onnx`` file (e.g. from :func:`export_onnx` or
            :func:`mobilenet_lab.quantize.quantize_int8`).
        threads: ONNX Runtime's intra-op threads (1: everything runs in the calling thread).
    """

    def __init__(self, path: str | os.PathLike, threads: int = 1) -> None:
        import onnxruntime as ort

        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no ONNX file at {self.path}")
        self.threads = check_positive_int("threads", threads)
        self.session = ort.InferenceSession(
            str(self.path), session_options(self.threads), providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name

    def run(self, x: Any) -> Any:
        """Run on a NumPy float32 array; return the NumPy logits."""
        return self.session.run(None, {self.input_name: x})[0]

    def __call__(self, x: Tensor) -> Tensor:
        if not isinstance(x, Tensor):
            raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
        array = x.detach().to("cpu", torch.float32).contiguous().numpy()
        return torch.from_numpy(self.run(array)).to(x.device)

    def __repr__(self) -> str:
        return f"OnnxModel({self.path.name!r}, threads={self.threads})"
