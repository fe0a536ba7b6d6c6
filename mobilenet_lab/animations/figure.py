"""The figure every frame is drawn on: a title, one or two panels side by side, and under each
panel its running count of mult-adds and what one output position costs."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from . import canvas
from .frames import Frames, svg_shapes
from .panel import draw_panel, panel_height, show_step
from .steps import Step, running_counts

DPI = 100
CELL_INCH = 0.15  # one cell is 15 pixels
TITLE_FONT = 10
COUNT_FONT = 9.5
MARGIN = 1.0
MIN_WIDTH = 24.0  # room for the title and the player's controls
PANEL_GAP = 4.0
HEAD = 2.2  # room above a panel for its headings (and its name when there are two)
FOOT = 3.4  # room below a panel for its counter and its formula


@dataclass(frozen=True)
class PanelSpec:
    """One panel: its layers (in order), their outputs, its column headings, the name of its
    counter, the formula of one position's cost and an optional name shown above it."""

    layers: dict[str, nn.Conv2d]
    outputs: list[torch.Tensor]
    headings: list[str]
    counter: str
    formula: str
    name: str = ""


def _wrap(fig, text, width_px: float, fontsize: float) -> str:
    """``text`` wrapped (at spaces) to fit ``width_px`` at ``fontsize``."""
    probe = fig.text(0, 0, text, fontsize=fontsize)
    renderer = fig.canvas.get_renderer()
    full = probe.get_window_extent(renderer).width
    probe.remove()
    if full <= width_px:
        return text
    return textwrap.fill(text, max(10, int(len(text) * width_px / full * 0.97)))


def _draw_panels(ax, x: torch.Tensor, specs: list[PanelSpec], height: float):
    """Draw the panels side by side from ``MARGIN``, each with its name, counter and formula;
    returns them, their counters and where the last one ends."""
    panels, counters, right = [], [], MARGIN
    for spec in specs:
        panel, end = draw_panel(ax, x, spec.layers, spec.outputs, right, 0.0, height, spec.headings)
        if spec.name:
            name_font = {"fontsize": COUNT_FONT, "fontweight": "bold"}
            canvas.label(ax, right, HEAD + 0.6, spec.name, va="bottom", **name_font)
        counter = ax.text(right, -height - 1.0, "", fontsize=COUNT_FONT, fontweight="bold")
        counter.set_verticalalignment("top")
        counters.append(counter)
        canvas.label(ax, right, -height - 2.3, spec.formula, va="top")
        panels.append(panel)
        right = end + PANEL_GAP
    return panels, counters, right - PANEL_GAP


def render(title: str, x: torch.Tensor, specs: list[PanelSpec], steps: list[Step]) -> Frames:
    """Draw every frame of ``steps``: the RGB images, the picture without any step, and the
    mult-adds each counter drew (the sum of the windows its lines read)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    height = max(panel_height(x, spec.layers) for spec in specs)
    panels, counters, end = _draw_panels(ax, x, specs, height)
    width = max(end + MARGIN, MIN_WIDTH)
    left = -(width - end - MARGIN) / 2  # a narrow picture is centred
    title = _wrap(fig, title, (width - 2 * MARGIN) * CELL_INCH * DPI, TITLE_FONT)
    lines = title.count("\n") + 1
    top = HEAD + (1.9 if any(s.name for s in specs) else 0.0) + 0.35 + 1.5 * lines
    ax.text(left + MARGIN, top - 0.4, title, fontsize=TITLE_FONT, va="top", linespacing=1.3)
    fig.set_size_inches(width * CELL_INCH, (top + height + FOOT) * CELL_INCH)
    ax.set_xlim(left, left + width)
    ax.set_ylim(-height - FOOT, top)
    return _frames(fig, ax, specs, panels, counters, steps)


def _grab(fig) -> np.ndarray:
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _frames(fig, ax, specs, panels, counters, steps) -> Frames:
    """Draw the static picture once, then each step on top of it (matplotlib's blitting: the
    cells written so far stay in the restored region). Lines and highlights are kept as
    vectors, and drawn on the last frame only, for the still."""
    for counter in counters:
        counter.set_animated(True)
    fig.canvas.draw()
    background = _grab(fig)
    base = fig.canvas.copy_from_bbox(fig.bbox)
    counts = {s.counter: running_counts(steps, tuple(s.layers)) for s in specs}
    marks = [mark for panel in panels for column in panel.marks for mark in column]
    layers, shapes = [], []
    for t, step in enumerate(steps):
        fig.canvas.restore_region(base)
        for spec, panel, counter in zip(specs, panels, counters):
            for artist in show_step(ax, panel, step):
                ax.draw_artist(artist)
            counter.set_text(tr("mult-adds: {n:,}", n=counts[spec.counter][t]))
        base = fig.canvas.copy_from_bbox(fig.bbox)
        for counter in counters:
            ax.draw_artist(counter)
        layers.append(_grab(fig))
        lines = [line for panel in panels for line in panel.lines]
        shapes.append(svg_shapes(fig, [*lines, *marks]))
    for artist in [*lines, *marks]:
        ax.draw_artist(artist)
    drawn = {
        spec.counter: int(sum(panel.drawn.get(name, 0) for name in spec.layers))
        for spec, panel in zip(specs, panels)
    }
    colours = canvas.drawn_colours(panels[0].values[0].shape[0])
    return Frames(background, layers, shapes, _grab(fig), drawn, colours)
