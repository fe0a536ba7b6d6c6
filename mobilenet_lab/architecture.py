"""MobileNet v1's body as data: one row per line of the paper's Table 1.

The model (``model.py``), the counters and the book all read these rows, so the architecture is
written down exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ._validation import check_positive_int, check_positive_real
from .i18n import tr

LayerKind = Literal["conv", "separable"]


@dataclass(frozen=True)
class LayerSpec:
    """One row of Table 1: a full ``conv`` or a depthwise ``separable`` pair (dw 3×3 + pw 1×1).

    ``stride`` is the stride of the 3×3 convolution (the depthwise one in a separable pair);
    ``repeat`` is how many times the row stacks (the paper's "5×").
    """

    kind: LayerKind
    out_channels: int
    stride: int
    repeat: int = 1


#: Table 1 of Howard et al. (2017), with the last depthwise stride corrected to 1 (the paper
#: prints "s2", but its input is already 7×7 and the pool that follows is 7×7).
TABLE_1: tuple[LayerSpec, ...] = (
    LayerSpec("conv", 32, 2),
    LayerSpec("separable", 64, 1),
    LayerSpec("separable", 128, 2),
    LayerSpec("separable", 128, 1),
    LayerSpec("separable", 256, 2),
    LayerSpec("separable", 256, 1),
    LayerSpec("separable", 512, 2),
    LayerSpec("separable", 512, 1, repeat=5),
    LayerSpec("separable", 1024, 2),
    LayerSpec("separable", 1024, 1),
)

#: Table 1 exactly as printed, with the erratum (stride 2 on the last depthwise layer).
TABLE_1_AS_PRINTED: tuple[LayerSpec, ...] = TABLE_1[:-1] + (LayerSpec("separable", 1024, 2),)

#: Table 5's "shallow" MobileNet: Table 1 without the five 14×14×512 separable layers.
SHALLOW: tuple[LayerSpec, ...] = tuple(row for row in TABLE_1 if row.repeat == 1)


def expand(spec: Sequence[LayerSpec]) -> list[LayerSpec]:
    """Unroll ``repeat``: one entry per built layer (Table 1 gives 14)."""
    return [LayerSpec(r.kind, r.out_channels, r.stride) for r in spec for _ in range(r.repeat)]


def scale_channels(channels: int, alpha: float) -> int:
    """Apply the width multiplier as the paper, Keras and the blog do: ``int(channels * alpha)``.

    Raises ``ValueError`` when the result would be 0 channels.
    """
    channels = check_positive_int("channels", channels)
    alpha = check_positive_real("alpha", alpha)
    scaled = int(channels * alpha)
    if scaled < 1:
        smallest = 1 / channels
        raise ValueError(
            tr(
                "alpha={alpha!r} gives 0 channels for a {channels}-channel layer; "
                "alpha must be at least {smallest:.4g} for this architecture",
                alpha=alpha,
                channels=channels,
                smallest=smallest,
            )
        )
    return scaled


def channel_plan(alpha: float = 1.0, spec: Sequence[LayerSpec] = TABLE_1) -> list[int]:
    """Output channels of every built layer of ``spec`` at width multiplier ``alpha``."""
    alpha = check_positive_real("alpha", alpha)
    rows = expand(spec)
    smallest = min(r.out_channels for r in rows)
    if int(smallest * alpha) < 1:
        raise ValueError(
            tr(
                "alpha={alpha!r} is too small: the {smallest}-channel layer would get 0 "
                "channels; alpha must be at least {least:.4g}",
                alpha=alpha,
                smallest=smallest,
                least=1 / smallest,
            )
        )
    return [scale_channels(r.out_channels, alpha) for r in rows]
