"""A depthwise separable convolution is a factorised standard convolution.

Without BatchNorm or an activation between them, depthwise D_K×D_K then pointwise 1×1 equals
one standard D_K×D_K convolution whose kernel is ``W[n, m] = P[n, m] · D[m]``: each output
channel's filter is a weighted copy of the per-channel spatial filters. Most standard kernels are
*not* of this form (they have rank > 1 across channels per spatial position), which is what the
factorisation gives up.
"""

from __future__ import annotations

from torch import Tensor


def factorised_kernel(depthwise_weight: Tensor, pointwise_weight: Tensor) -> Tensor:
    """The standard-conv kernel ``(N, M, D_K, D_K)`` equal to depthwise ``(M, 1, D_K, D_K)``
    then pointwise ``(N, M, 1, 1)`` weights."""
    if not isinstance(depthwise_weight, Tensor) or not isinstance(pointwise_weight, Tensor):
        raise TypeError("depthwise_weight and pointwise_weight must be torch.Tensors")
    if depthwise_weight.dim() != 4 or depthwise_weight.shape[1] != 1:
        raise ValueError(
            f"depthwise_weight must have shape (M, 1, D_K, D_K), got {tuple(depthwise_weight.shape)}"
        )
    m = depthwise_weight.shape[0]
    if pointwise_weight.dim() != 4 or pointwise_weight.shape[1:] != (m, 1, 1):
        raise ValueError(
            f"pointwise_weight must have shape (N, {m}, 1, 1) to follow a {m}-channel depthwise "
            f"conv, got {tuple(pointwise_weight.shape)}"
        )
    # (N, M, 1, 1) * (1, M, D_K, D_K) -> (N, M, D_K, D_K)
    return pointwise_weight * depthwise_weight.permute(1, 0, 2, 3)
