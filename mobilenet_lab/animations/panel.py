"""One panel of an animation: an input, then one or more convolutions, each followed by the map
it writes, drawn left to right; and how a :class:`~.steps.Step` changes it.

Columns: the input's channels (padded for a ``D_K > 1`` first layer), that layer's filters,
the map it writes, and so on. Items of a column are spread evenly over the panel's height, so
columns with as many items (a depthwise layer's channels) line up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from ..diagrams import filter_shapes
from . import canvas
from .steps import Step, channels_read

GAP = 1.0  # between the items of a column
LINK_GAP = 3.5  # between a map and the filters reading it (room for the lines)
WRITE_GAP = 2.2  # between filters and the map they write


@dataclass
class Panel:
    """What was drawn: the maps (input first), each layer's filters, and the highlights."""

    maps: list[list[canvas.ChannelGrid]]
    filters: dict[str, list[canvas.FilterBox]]
    layers: dict[str, nn.Conv2d]
    values: list[np.ndarray]  # every map's values, input first
    marks: list[list] = field(default_factory=list)  # a highlight per map channel
    #: per layer, the mult-adds drawn so far: each line from a window adds the window's cells
    drawn: dict[str, int] = field(default_factory=dict)
    lines: list = field(default_factory=list)  # the current step's lines


def column_height(count: int, item: float) -> float:
    return count * item + (count - 1) * GAP


def panel_height(x: torch.Tensor, layers: dict[str, nn.Conv2d]) -> float:
    """The height the tallest column of this panel needs."""
    first = next(iter(layers.values()))
    m, size = x.shape[1], x.shape[2]
    heights = [column_height(m, size + 2 * (first.kernel_size[0] // 2))]
    for conv in layers.values():
        _, fh = canvas.filter_extent(conv)
        heights += [column_height(conv.out_channels, fh), column_height(conv.out_channels, size)]
    return max(heights)


def _tops(count: int, item: float, height: float, top: float) -> list[float]:
    """Tops of ``count`` items of height ``item`` spread evenly over ``height`` below ``top``."""
    pitch = height / count
    return [top - pitch * (i + 0.5) + item / 2 for i in range(count)]


def _map_colour(conv: nn.Conv2d, o: int) -> str:
    """An output channel's colour: its input channel's when it reads one, grey when it mixes."""
    read = channels_read(conv, o)
    return canvas.channel_colour(read[0]) if len(read) == 1 else canvas.MIXED_COLOUR


def _heading(ax, x0: float, width: float, top: float, heading: str) -> None:
    """A column's heading, centred over it (it may hold a line break)."""
    canvas.label(ax, x0 + width / 2, top + 0.5, heading, ha="center", va="bottom", linespacing=1.15)


def draw_panel(
    ax,
    x: torch.Tensor,
    layers: dict[str, nn.Conv2d],
    outputs: list[torch.Tensor],
    x0: float,
    top: float,
    height: float,
    headings: list[str],
) -> tuple[Panel, float]:
    """Draw the input ``x``, then each layer's filters and output map, from ``x0`` rightwards.

    ``headings`` names every column (maps and filters alternately). Returns the panel and the
    x where it ends."""
    values = [x[0].to(torch.int64).numpy()] + [y.numpy() for y in outputs]
    pad = next(iter(layers.values())).kernel_size[0] // 2
    size = values[0].shape[1]
    item = size + 2 * pad
    grids = [
        canvas.draw_grid(ax, x0, t, values[0][c], canvas.channel_colour(c), pad)
        for c, t in enumerate(_tops(values[0].shape[0], item, height, top))
    ]
    panel = Panel([grids], {}, dict(layers), values)
    _heading(ax, x0, item, top, headings[0])
    right = x0 + item
    for index, (name, conv) in enumerate(layers.items()):
        right = _draw_layer(ax, panel, name, conv, right, top, height, headings[2 * index + 1 :])
    panel.marks = [[canvas.window(ax) for _ in grids] for grids in panel.maps]
    return panel, right


def _draw_layer(
    ax,
    panel: Panel,
    name: str,
    conv: nn.Conv2d,
    x0: float,
    top: float,
    height: float,
    headings: list[str],
) -> float:
    """Draw ``conv``'s filters and the (empty) map it writes; returns where the map ends."""
    n = conv.out_channels
    fw, fh = canvas.filter_extent(conv)
    fx = x0 + LINK_GAP
    panel.filters[name] = [
        canvas.draw_filter_at(ax, conv, o, fx, t) for o, t in enumerate(_tops(n, fh, height, top))
    ]
    _heading(ax, fx, fw, top, headings[0])
    size = panel.values[0].shape[1]
    mx = fx + fw + WRITE_GAP
    panel.maps.append(
        [canvas.draw_empty_grid(ax, mx, t, size, size) for t in _tops(n, size, height, top)]
    )
    _heading(ax, mx, size, top, headings[1])
    return mx + size


def show_step(ax, panel: Panel, step: Step) -> list:
    """Change the panel to ``step``: write its position in every output map, move the
    highlights there, and make one line per read (window → filter) and per write
    (``panel.lines``). Returns the cells written, to draw on top of the previous frame."""
    panel.lines = []
    if step.position is None:
        for marks in panel.marks:
            for mark in marks:
                mark.set_visible(False)
        return []
    row, col = step.position
    written = []
    for index, (name, conv) in enumerate(panel.layers.items()):
        k = conv.kernel_size[0]
        _, depth, kh, _ = filter_shapes(conv)
        source, target = panel.maps[index], panel.maps[index + 1]
        for c, grid in enumerate(source):
            canvas.place(panel.marks[index][c], grid, row, col, k, k)
        for read in (r for r in step.reads if r.layer == name):
            path = source[read.channel].exit(read.row, read.col, read.size, read.size)
            inlet = panel.filters[name][read.filter].inlet(read.channel % depth, depth, kh)
            panel.lines.append(canvas.link(ax, [*path, inlet], canvas.line_colour(read.channel)))
            mark = panel.marks[index][read.channel]
            panel.drawn[name] = panel.drawn.get(name, 0) + mark.get_width() * mark.get_height()
        for o, grid in enumerate(target):
            value = int(panel.values[index + 1][o, row, col])
            written += canvas.fill(grid, row, col, value, _map_colour(conv, o))
            canvas.place(panel.marks[index + 1][o], grid, row, col)
            points = [panel.filters[name][o].right, *grid.entry(row, col)]
            panel.lines.append(canvas.link(ax, points, canvas.WRITE_COLOUR))
    return written
