"""Drawing pieces of the convolution animations, in the book's colours.

Coordinates are in units of one cell (one input value), y pointing up. A feature map is a stack
of channel grids one above the other; an input channel's cells take that channel's colour
(:data:`mobilenet_lab.diagrams.CHANNEL_COLOURS`, as in the paper's Figure 2 for our layers),
padding cells are white with a grey "0", and an output cell is filled when it is computed: in its
channel's colour when it comes from one channel only (depthwise), grey when it mixes channels.
Filters are drawn as in Figure 2 (:func:`mobilenet_lab.diagrams.draw_filter_bank`'s squares).
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field

import numpy as np
from torch import nn

from ..diagrams import CHANNEL_COLOURS, DEPTH_OFFSET, filter_shapes
from ..diagrams import _draw_filter as draw_filter

MIXED_COLOUR = "#d9d9d9"  # an output cell that mixes every input channel
EMPTY_EDGE = "0.72"
HIGHLIGHT = "#222222"
WRITE_COLOUR = "#4d4d4d"  # the line from a filter to the cell it writes
CELL_FONT = 6.5
LABEL_FONT = 8


def channel_colour(c: int) -> str:
    """The colour of input channel ``c`` (the book's Figure 2 colours)."""
    return CHANNEL_COLOURS[c % len(CHANNEL_COLOURS)]


def line_colour(c: int) -> tuple[float, float, float]:
    """A deeper shade of channel ``c``'s colour (same hue), for the lines that carry it."""
    from matplotlib import colors

    hue, _, saturation = colorsys.rgb_to_hls(*colors.to_rgb(channel_colour(c)))
    return colorsys.hls_to_rgb(hue, 0.4, min(1.0, 0.2 + saturation))


def drawn_colours(channels: int) -> list[tuple[int, int, int]]:
    """The colours of the thin moving marks of an animation over ``channels`` input channels
    (its lines and highlights), as 0–255 RGB: few pixels, so they are kept exactly."""
    from matplotlib import colors

    rgb = [line_colour(c) for c in range(channels)] + [
        colors.to_rgb(HIGHLIGHT),
        colors.to_rgb(WRITE_COLOUR),
    ]
    return [tuple(round(255 * v) for v in colour) for colour in rgb]


@dataclass
class ChannelGrid:
    """One channel of a feature map: ``rows × cols`` cells, top-left corner at ``(x0, top)``."""

    x0: float
    top: float
    rows: int
    cols: int
    cells: list = field(default_factory=list)  # rows × cols Rectangles
    texts: list = field(default_factory=list)  # rows × cols Texts

    def centre(self, i: int, j: int) -> tuple[float, float]:
        return self.x0 + j + 0.5, self.top - i - 0.5

    def exit(self, i: int, j: int, h: int = 1, w: int = 1) -> list[tuple[float, float]]:
        """From the right edge of the ``h × w`` block at ``(i, j)`` out of the grid's right side."""
        y = self.top - i - h / 2
        return [(self.x0 + j + w, y), (self.x0 + self.cols, y)]

    def entry(self, i: int, j: int) -> list[tuple[float, float]]:
        """From the grid's left side into cell ``(i, j)`` (its left edge's middle)."""
        y = self.top - i - 0.5
        return [(self.x0, y), (self.x0 + j, y)]


def draw_grid(
    ax, x0: float, top: float, values: np.ndarray, colour: str, pad: int = 0
) -> ChannelGrid:
    """Draw a channel of ``values`` (ints) with a ring of ``pad`` zeros."""
    from matplotlib.patches import Rectangle

    rows, cols = values.shape
    grid = ChannelGrid(x0, top, rows + 2 * pad, cols + 2 * pad)
    for i in range(grid.rows):
        row_cells, row_texts = [], []
        for j in range(grid.cols):
            inside = pad <= i < pad + rows and pad <= j < pad + cols
            value = values[i - pad, j - pad] if inside else 0
            face = colour if inside else "white"
            cell = Rectangle(
                (x0 + j, top - i - 1),
                1,
                1,
                facecolor=face,
                edgecolor="0.35" if inside else EMPTY_EDGE,
                linewidth=0.5,
                linestyle="-" if inside else (0, (2, 1.5)),
            )
            ax.add_artist(cell)  # not add_patch: the limits are set once, by the caller
            text = ax.text(
                *grid.centre(i, j),
                f"{value:d}",
                ha="center",
                va="center",
                fontsize=CELL_FONT,
                color="0.1" if inside else "0.6",
            )
            row_cells.append(cell)
            row_texts.append(text)
        grid.cells.append(row_cells)
        grid.texts.append(row_texts)
    return grid


def draw_empty_grid(ax, x0: float, top: float, rows: int, cols: int) -> ChannelGrid:
    """An output channel not computed yet: white cells, no numbers (filled by :func:`fill`)."""
    grid = draw_grid(ax, x0, top, np.zeros((rows, cols), dtype=int), "white")
    for i in range(rows):
        for j in range(cols):
            grid.cells[i][j].set_edgecolor(EMPTY_EDGE)
            grid.texts[i][j].set_text("")
    return grid


def fill(grid: ChannelGrid, i: int, j: int, value: int, colour: str) -> list:
    """Show ``value`` in cell ``(i, j)`` on ``colour``; returns the artists to draw again."""
    cell, text = grid.cells[i][j], grid.texts[i][j]
    cell.set_facecolor(colour)
    cell.set_edgecolor("0.35")
    text.set_text(f"{value:d}")
    return [cell, text]


def window(ax):
    """The highlight (a ``Rectangle``) around the cells being read or written (moved by
    :func:`place`)."""
    from matplotlib.patches import Rectangle

    rect = Rectangle((0, 0), 1, 1, fill=False, edgecolor=HIGHLIGHT, linewidth=2.0, zorder=5)
    rect.set_visible(False)
    rect.set_animated(True)
    ax.add_artist(rect)
    return rect


def place(rect, grid: ChannelGrid, i: int, j: int, h: int = 1, w: int = 1) -> None:
    """Put ``rect`` around the ``h × w`` block of ``grid`` whose top-left cell is ``(i, j)``."""
    rect.set_xy((grid.x0 + j, grid.top - i - h))
    rect.set_width(w)
    rect.set_height(h)
    rect.set_visible(True)


@dataclass(frozen=True)
class FilterBox:
    """Where one filter was drawn: its front slice's left and right edges' middles."""

    left: tuple[float, float]
    right: tuple[float, float]
    top: float

    def inlet(self, c: int, depth: int, k: int) -> tuple[float, float]:
        """Where the line from input channel ``c`` (of ``depth``) meets the filter."""
        x, y = self.left
        return x, y + k / 2 - k * (c + 0.5) / depth


def filter_extent(conv: nn.Conv2d) -> tuple[float, float]:
    """Width and height of one of ``conv``'s filters drawn as in Figure 2."""
    _, depth, kh, kw = filter_shapes(conv)
    dx, dy = DEPTH_OFFSET
    return kw + (depth - 1) * dx, kh + (depth - 1) * dy


def draw_filter_at(ax, conv: nn.Conv2d, index: int, x0: float, top: float) -> FilterBox:
    """Draw filter ``index`` of ``conv`` (Figure 2's squares) with its stack's top at ``top``."""
    _, _, kh, kw = filter_shapes(conv)
    _, height = filter_extent(conv)
    bottom = top - height
    draw_filter(ax, conv, index, x0, bottom)
    return FilterBox((x0, bottom + kh / 2), (x0 + kw, bottom + kh / 2), top)


def link(ax, points: list[tuple[float, float]], colour):
    """A line (a ``Line2D``) carrying values through ``points``. It is not added to the axes:
    the caller draws it in its frame only (``ax.draw_artist``)."""
    from matplotlib.lines import Line2D

    xs, ys = zip(*points)
    line = Line2D(xs, ys, color=colour, linewidth=1.1, transform=ax.transData, animated=True)
    line.set_solid_capstyle("round")
    line.set_figure(ax.figure)
    return line


def label(ax, x: float, y: float, text: str, **kwargs) -> None:
    """A small label (column headings, channel numbers), in the book's font."""
    kwargs.setdefault("fontsize", LABEL_FONT)
    ax.text(x, y, text, **kwargs)
