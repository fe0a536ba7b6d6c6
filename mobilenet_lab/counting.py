"""Counting parameters and mult-adds, exactly, and the paper's closed-form formulas.

"Mult-adds" follow the paper: multiply-accumulates of convolutions and fully connected layers
only. BatchNorm, biases, activations and pooling are not counted (torchinfo counts BatchNorm and
bias parameters too, so its total is a little higher; FLOP counters report 2 × MACs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import nn

from ._validation import check_input_size, check_positive_int
from .i18n import N_

#: The layer kinds of :func:`layer_kind`, marked for translation: a table shows ``tr(row.kind)``.
KINDS = (N_("conv"), N_("depthwise"), N_("pointwise"), N_("linear"), N_("batchnorm"))


def count_parameters(module: nn.Module, *, trainable_only: bool = False) -> int:
    """Number of parameters of ``module`` (BatchNorm's affine parameters included)."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


@dataclass(frozen=True)
class LayerCount:
    """One row of a per-layer breakdown."""

    name: str
    kind: str  # "conv", "depthwise", "pointwise", "linear" or "batchnorm"
    output_shape: tuple[int, ...]
    params: int
    weights: int  # weight elements only (no bias, 0 for BatchNorm): Table 2's convention
    mult_adds: int


def conv_kind(in_channels: int, groups: int, kernel_size: tuple[int, ...]) -> str:
    """``"depthwise"`` (one filter per input channel), ``"pointwise"`` (1×1, ungrouped) or
    ``"conv"`` (any other convolution), as the paper's Table 2 names them."""
    if groups > 1 and groups == in_channels:
        return "depthwise"
    if tuple(kernel_size) == (1, 1) and groups == 1:
        return "pointwise"
    return "conv"


def layer_kind(module: nn.Module) -> str | None:
    """Classify a leaf module as the paper does in Table 2, or ``None`` if it is not counted."""
    if isinstance(module, nn.Conv2d):
        return conv_kind(module.in_channels, module.groups, module.kernel_size)
    if isinstance(module, nn.Linear):
        return "linear"
    if isinstance(module, nn.modules.batchnorm._BatchNorm):
        return "batchnorm"
    return None


def _mult_adds(module: nn.Module, output: torch.Tensor) -> int:
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return output.numel() * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return output.numel() * module.in_features
    return 0


def layer_counts(
    model: nn.Module, input_size: tuple[int, int, int, int] = (1, 3, 224, 224)
) -> list[LayerCount]:
    """Per-layer parameters and mult-adds of ``model`` for one forward pass of ``input_size``.

    Rows appear in execution order: convolutions, BatchNorms and linear layers.
    Mult-adds are for the whole input (all B images of the batch).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    input_size = check_input_size("input_size", input_size)
    rows: list[LayerCount] = []
    names = {m: n for n, m in model.named_modules()}

    def hook(module: nn.Module, _inputs: object, output: torch.Tensor) -> None:
        kind = layer_kind(module) or "other"
        weight = getattr(module, "weight", None)
        rows.append(
            LayerCount(
                name=names[module],
                kind=kind,
                output_shape=tuple(output.shape),
                params=sum(p.numel() for p in module.parameters(recurse=False)),
                weights=0 if kind == "batchnorm" or weight is None else weight.numel(),
                mult_adds=_mult_adds(module, output),
            )
        )

    handles = [m.register_forward_hook(hook) for m in model.modules() if layer_kind(m)]
    was_training = model.training
    try:
        param = next(model.parameters(), None)
        device = param.device if param is not None else torch.device("cpu")
        dtype = param.dtype if param is not None and param.is_floating_point() else torch.float32
        model.eval()
        with torch.no_grad():
            model(torch.zeros(input_size, device=device, dtype=dtype))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return rows


def count_mult_adds(
    model: nn.Module, input_size: tuple[int, int, int, int] = (1, 3, 224, 224)
) -> int:
    """Exact multiply-accumulates of the convolutions and linear layers for ``input_size``."""
    return sum(row.mult_adds for row in layer_counts(model, input_size))


def breakdown_by_kind(rows: list[LayerCount]) -> dict[str, dict[str, int]]:
    """Sum ``params``, ``weights`` and ``mult_adds`` per layer kind (the paper's Table 2)."""
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        t = totals.setdefault(row.kind, {"params": 0, "weights": 0, "mult_adds": 0})
        t["params"] += row.params
        t["weights"] += row.weights
        t["mult_adds"] += row.mult_adds
    return totals


def iter_table(rows: list[LayerCount]) -> Iterator[str]:
    """Lines of a plain-text table of ``rows`` (for printing in notebooks)."""
    yield f"{'layer':<26} {'type':<10} {'output shape':<20} {'params':>11} {'mult-adds':>14}"
    for r in rows:
        shape = "×".join(str(s) for s in r.output_shape)
        yield f"{r.name:<26} {r.kind:<10} {shape:<20} {r.params:>11,} {r.mult_adds:>14,}"
    yield (
        f"{'total':<26} {'':<10} {'':<20} {sum(r.params for r in rows):>11,} "
        f"{sum(r.mult_adds for r in rows):>14,}"
    )


# --- closed-form formulas (paper section 3.1): k = D_K, m = M, n = N, f = D_F -----------------


def standard_conv_params(k: int, m: int, n: int) -> int:
    """Weights of a standard D_K×D_K conv from M to N channels: D_K·D_K·M·N."""
    k, m, n = _ints(k=k, m=m, n=n)
    return k * k * m * n


def depthwise_conv_params(k: int, m: int) -> int:
    """Weights of a depthwise D_K×D_K conv over M channels: D_K·D_K·M."""
    k, m = _ints(k=k, m=m)
    return k * k * m


def pointwise_conv_params(m: int, n: int) -> int:
    """Weights of a 1×1 conv from M to N channels: M·N."""
    m, n = _ints(m=m, n=n)
    return m * n


def separable_conv_params(k: int, m: int, n: int) -> int:
    """Weights of a depthwise separable conv: D_K·D_K·M + M·N."""
    return depthwise_conv_params(k, m) + pointwise_conv_params(m, n)


def standard_conv_mult_adds(k: int, m: int, n: int, f: int) -> int:
    """Mult-adds of a standard conv producing a D_F×D_F map: D_K·D_K·M·N·D_F·D_F."""
    (f,) = _ints(f=f)
    return standard_conv_params(k, m, n) * f * f


def depthwise_conv_mult_adds(k: int, m: int, f: int) -> int:
    """Mult-adds of a depthwise conv producing a D_F×D_F map: D_K·D_K·M·D_F·D_F."""
    (f,) = _ints(f=f)
    return depthwise_conv_params(k, m) * f * f


def pointwise_conv_mult_adds(m: int, n: int, f: int) -> int:
    """Mult-adds of a 1×1 conv on a D_F×D_F map: M·N·D_F·D_F."""
    (f,) = _ints(f=f)
    return pointwise_conv_params(m, n) * f * f


def separable_conv_mult_adds(k: int, m: int, n: int, f: int) -> int:
    """Mult-adds of a depthwise separable conv: D_K·D_K·M·D_F·D_F + M·N·D_F·D_F."""
    return depthwise_conv_mult_adds(k, m, f) + pointwise_conv_mult_adds(m, n, f)


def separable_cost_ratio(k: int, n: int) -> float:
    """Separable / standard cost, the paper's eq. (5): 1/N + 1/D_K² (independent of M)."""
    k, n = _ints(k=k, n=n)
    return 1 / n + 1 / k**2


def _ints(**values: int) -> tuple[int, ...]:
    return tuple(check_positive_int(name, v) for name, v in values.items())
