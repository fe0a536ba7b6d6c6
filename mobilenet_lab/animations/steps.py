"""What each frame of a convolution animation shows, computed from real layers before drawing.

A convolution is animated one output position at a time (row by row, as ``nn.Conv2d`` with
stride 1 and 'same' padding produces them). At each position, every filter reads a
``D_K × D_K`` window of each input channel it spans: one :class:`Read` per (filter, channel),
drawn as one line from the window to the filter. A read costs ``D_K · D_K`` mult-adds, so the
running count shown in the frames is the sum of the reads drawn so far: it equals
:func:`mobilenet_lab.count_mult_adds` of the layer once every position is done (the tests
check it).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ..diagrams import _channel_of, filter_shapes

#: Seed of the layers' integer weights and inputs (any seed would do; this one is the book's).
SEED = 0


@dataclass(frozen=True)
class Read:
    """Filter ``filter`` of ``layer`` reads the ``size × size`` window of input ``channel``
    whose top-left cell is ``(row, col)`` (in the padded input)."""

    layer: str
    channel: int
    filter: int
    row: int
    col: int
    size: int

    @property
    def mult_adds(self) -> int:
        return self.size * self.size


@dataclass(frozen=True)
class Step:
    """One frame: the output position written (``None`` for the opening frame) and its reads."""

    position: tuple[int, int] | None
    reads: tuple[Read, ...]


def integer_conv(m: int, n: int, k: int, groups: int = 1, seed: int = SEED) -> nn.Conv2d:
    """A real ``nn.Conv2d`` (stride 1, padding ``k // 2``, no bias) with weights in {-1, 0, 1}.

    Small integer weights and inputs keep every output an exact small integer (the same on any
    CPU and any thread count), short enough to print in a cell. A filter drawn all zeros (a
    dead output channel, which would look like a mistake) gets a 1 at its first centre.
    """
    conv = nn.Conv2d(m, n, k, padding=k // 2, groups=groups, bias=False)
    generator = torch.Generator().manual_seed(seed)
    weight = torch.randint(-1, 2, conv.weight.shape, generator=generator).float()
    dead = (weight.flatten(1) == 0).all(dim=1)
    weight[dead, 0, k // 2, k // 2] = 1.0
    with torch.no_grad():
        conv.weight.copy_(weight)
    return conv


def integer_input(m: int, size: int, seed: int = SEED) -> torch.Tensor:
    """A ``1 × m × size × size`` input of integers 0, 1 and 2."""
    generator = torch.Generator().manual_seed(seed + 1)
    return torch.randint(0, 3, (1, m, size, size), generator=generator).float()


def run(conv: nn.Conv2d, x: torch.Tensor) -> torch.Tensor:
    """``conv(x)[0]`` as integers (exact: small integer inputs and weights)."""
    with torch.no_grad():
        y = conv(x)[0]
    rounded = y.round()
    if not torch.equal(y, rounded):  # pragma: no cover - integer arithmetic is exact
        raise RuntimeError("the animation's layer gave a non-integer output")
    return rounded.to(torch.int64)


def channels_read(conv: nn.Conv2d, index: int) -> list[int]:
    """The input channels filter ``index`` of ``conv`` reads (all of them, or its group's)."""
    _, depth, _, _ = filter_shapes(conv)
    return [_channel_of(conv, index, s) for s in range(depth)]


def reads_at(name: str, conv: nn.Conv2d, row: int, col: int) -> tuple[Read, ...]:
    """Every (filter, channel) window ``conv`` reads to write output position ``(row, col)``."""
    n, _, k, _ = filter_shapes(conv)
    return tuple(Read(name, c, o, row, col, k) for o in range(n) for c in channels_read(conv, o))


def sweep(layers: dict[str, nn.Conv2d], size: int) -> list[Step]:
    """The opening frame, then one frame per output position of a ``size × size`` map, in which
    every layer of ``layers`` (in order) writes that position."""
    steps = [Step(None, ())]
    for row in range(size):
        for col in range(size):
            reads = sum((reads_at(name, conv, row, col) for name, conv in layers.items()), ())
            steps.append(Step((row, col), reads))
    return steps


def running_counts(steps: list[Step], layers: tuple[str, ...]) -> tuple[int, ...]:
    """The running mult-adds of ``layers`` (names) after each frame: the sum of their reads."""
    total, counts = 0, []
    for step in steps:
        total += sum(r.mult_adds for r in step.reads if r.layer in layers)
        counts.append(total)
    return tuple(counts)
