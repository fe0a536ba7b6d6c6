"""Arithmetic intensity and the roofline model of a convolutional network.

A layer that does ``W`` mult-adds and must move at least ``Q`` bytes (its input, its output and
its weights, each once) has an *arithmetic intensity* ``I = W / Q`` mult-adds per byte. On a
processor that can do ``P`` mult-adds per second and move ``B`` bytes per second, the layer
cannot run faster than ``min(P, B · I)`` (Williams, Waterman and Patterson, 2009). Left of the
*ridge point* ``I = P / B`` the nearer roof is the memory slope, right of it the flat roof of
arithmetic. Per float moved (input, output and weights), a depthwise 3×3 convolution does at most
4.5 mult-adds (``9F² / (2F² + 9)`` on an F × F map: 4.4 at 14 × 14), whatever its channel count,
and a pointwise N → N convolution up to N/2, less when its weights dominate: the first sits far
left of the ridge, the second right of it.

The roofline is a ceiling, not a prediction. A layer's measured speed sits somewhere below the
roof at its intensity: the nearer roof says what would have to improve (bandwidth or
arithmetic) for a layer *at* the roof to go faster, and the distance below it is headroom that a
better kernel could still win. A layer far below its roof is held back by its implementation
(fixed costs per call, vector units left idle), not by the hardware: chapter 9 finds PyTorch's
depthwise kernels there, far below even the memory roof, and ONNX Runtime's FP32 depthwise
kernel much nearer it, but its INT8 one far below the INT8 roof.

:func:`measure_peak` and :func:`measure_bandwidth` estimate ``P`` and ``B`` for one thread with
a large matrix product and a tensor copy; both are rough, machine-dependent numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from ._validation import check_input_size, check_positive_int, check_positive_real
from .counting import layer_kind
from .timing import default_clock


@dataclass(frozen=True)
class LayerIntensity:
    """One convolution or linear layer: its mult-adds, minimum bytes moved and their ratio."""

    name: str
    kind: str
    mult_adds: int
    bytes_moved: int

    @property
    def intensity(self) -> float:
        """Mult-adds per byte moved."""
        return self.mult_adds / self.bytes_moved


def layer_intensities(
    model: nn.Module,
    input_size: tuple[int, int, int, int] = (1, 3, 224, 224),
    bytes_per_value: int = 4,
) -> list[LayerIntensity]:
    """Mult-adds, bytes moved and intensity of every ``Conv2d`` and ``Linear`` of ``model``, in
    execution order, for one forward pass of ``input_size`` (float32: 4 bytes per value)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    input_size = check_input_size("input_size", input_size)
    bytes_per_value = check_positive_int("bytes_per_value", bytes_per_value)
    names = {m: n for n, m in model.named_modules()}
    rows: list[LayerIntensity] = []

    def hook(module: nn.Module, inputs: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
        x = inputs[0]
        weights = sum(p.numel() for p in module.parameters(recurse=False))
        if isinstance(module, nn.Conv2d):
            mult_adds = output.numel() * module.weight[0].numel()
        else:
            mult_adds = output.numel() * module.in_features
        moved = (x.numel() + output.numel() + weights) * bytes_per_value
        kind = layer_kind(module) or "other"
        rows.append(LayerIntensity(names[module], kind, int(mult_adds), int(moved)))

    handles = [
        m.register_forward_hook(hook)
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    ]
    try:
        was_training = model.training
        model.eval()
        with torch.no_grad():
            param = next(model.parameters(), None)
            device = param.device if param is not None else "cpu"
            model(torch.zeros(input_size, device=device))
        model.train(was_training)
    finally:
        for h in handles:
            h.remove()
    return rows


def attainable(intensity: float, peak: float, bandwidth: float) -> float:
    """The roofline: ``min(peak, bandwidth · intensity)`` (same units as ``peak``)."""
    return min(peak, bandwidth * intensity)


def measure_peak(
    size: int = 512, min_time: float = 0.2, threads: int = 1, device: Any = "cpu"
) -> float:
    """Mult-adds per second of a ``size×size`` float32 matrix product on ``device`` (on a CPU:
    ``threads`` threads, CPU time of the process): a practical compute ceiling."""
    size = check_positive_int("size", size)
    min_time = check_positive_real("min_time", min_time)
    a = torch.randn(size, size, device=device)
    b = torch.randn(size, size, device=device)
    return size**3 / _seconds(lambda: torch.mm(a, b), min_time, threads, device)


def measure_bandwidth(
    nbytes: int = 4 << 20, min_time: float = 0.2, threads: int = 1, device: Any = "cpu"
) -> float:
    """Bytes per second moved by copying a float32 tensor of ``nbytes`` bytes (read + write).

    The default, 4 MiB, is the size of MobileNet's largest feature maps (112×112×64 floats
    are 3.2 MB): what such layers actually see, which may be a cache rather than main memory.
    """
    nbytes = check_positive_int("nbytes", nbytes)
    src = torch.randn(max(1, nbytes // 4), device=device)
    dst = torch.empty_like(src)
    return 2 * src.numel() * 4 / _seconds(lambda: dst.copy_(src), min_time, threads, device)


def _seconds(fn: Callable[[], Any], min_time: float, threads: int, device: Any) -> float:
    clock = default_clock(device)
    sync = torch.cuda.synchronize if torch.device(device).type == "cuda" else (lambda: None)
    old = torch.get_num_threads()
    torch.set_num_threads(check_positive_int("threads", threads))
    try:
        fn()
        best = float("inf")
        for _ in range(3):  # best of three samples: a ceiling, so the least disturbed one
            sync()
            number, start = 0, clock()
            while number == 0 or clock() - start < min_time / 3:
                fn()
                number += 1
                sync()
            best = min(best, (clock() - start) / number)
        return best
    finally:
        torch.set_num_threads(old)
