"""The paper's Figure 2, drawn from real layers: the filters of a standard convolution beside
those of a depthwise and a pointwise convolution.

Every weight is drawn as one unit square, so the picture's sizes follow the layers' weight
shapes: a filter of shape ``depth × D_K × D_K`` is a stack of ``depth`` slices of ``D_K × D_K``
squares, seen slightly from above and the right (one slice per input channel it reads).
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from .i18n import N_, tr

#: Colours of the input channels' slices (R, G, B for an image, then matplotlib's cycle).
CHANNEL_COLOURS = (
    "#f4a6a6",
    "#a8dca8",
    "#a9c4f0",
    "#f2cf8a",
    "#d3b3e6",
    "#b9e3e3",
    "#e6c3a8",
    "#cccccc",
)
#: Offset of one depth slice behind the previous one, in units of one weight square.
DEPTH_OFFSET = (0.45, 0.35)


def filter_shapes(conv: nn.Conv2d) -> tuple[int, int, int, int]:
    """``(filters, depth, kernel height, kernel width)`` of ``conv``: its weight's shape.

    ``depth`` is the number of input channels each filter reads: ``M`` for a standard conv,
    ``1`` for a depthwise one (``groups = M``).
    """
    if not isinstance(conv, nn.Conv2d):
        raise TypeError(f"conv must be a torch.nn.Conv2d, got {type(conv).__name__}")
    n, depth, kh, kw = conv.weight.shape
    return int(n), int(depth), int(kh), int(kw)


def _channel_of(conv: nn.Conv2d, filter_index: int, slice_index: int) -> int:
    """The input channel a filter's slice reads (depthwise filter ``c`` reads channel ``c``)."""
    n, depth, _, _ = filter_shapes(conv)
    group_in = depth
    filters_per_group = n // conv.groups
    group = filter_index // filters_per_group
    return group * group_in + slice_index


def _draw_filter(ax, conv: nn.Conv2d, index: int, x0: float, y0: float) -> int:
    """Draw filter ``index`` of ``conv`` with its front-bottom-left corner at (x0, y0).

    Returns the number of weight squares drawn."""
    from matplotlib.patches import Rectangle

    _, depth, kh, kw = filter_shapes(conv)
    dx, dy = DEPTH_OFFSET
    drawn = 0
    for s in reversed(range(depth)):  # the back slice first, the front slice on top
        colour = CHANNEL_COLOURS[_channel_of(conv, index, s) % len(CHANNEL_COLOURS)]
        for i in range(kh):
            for j in range(kw):
                ax.add_patch(
                    Rectangle(
                        (x0 + j + s * dx, y0 + (kh - 1 - i) + s * dy),
                        1,
                        1,
                        facecolor=colour,
                        edgecolor="0.25",
                        linewidth=0.6,
                        gid="weight",
                    )
                )
                drawn += 1
    return drawn


def draw_filter_bank(
    ax, conv: nn.Conv2d, y0: float, per_row: int = 8, gap: float = 0.9, x0: float = 0.0
) -> tuple[float, float]:
    """Draw every filter of ``conv``, ``per_row`` to a line, the lowest line at ``y0``.

    Returns the bank's ``(width, height)`` in units of one weight square."""
    if per_row < 1:
        raise ValueError(f"per_row must be a positive int, got {per_row}")
    n, depth, kh, kw = filter_shapes(conv)
    dx, dy = DEPTH_OFFSET
    pitch_x = kw + (depth - 1) * dx + gap
    pitch_y = kh + (depth - 1) * dy + gap
    lines = -(-n // per_row)
    for f in range(n):
        line, col = divmod(f, per_row)
        _draw_filter(ax, conv, f, x0 + col * pitch_x, y0 + (lines - 1 - line) * pitch_y)
    return min(n, per_row) * pitch_x - gap, lines * pitch_y - gap


def _label(conv: nn.Conv2d) -> str:
    n, depth, kh, kw = filter_shapes(conv)
    return tr(
        "{n} filters of {height}×{width}×{depth} = {weights:,} weights",
        n=n,
        height=kh,
        width=kw,
        depth=depth,
        weights=conv.weight.numel(),
    )


def draw_figure2(
    standard: nn.Conv2d,
    depthwise: nn.Conv2d,
    pointwise: nn.Conv2d,
    titles: Sequence[str] = (
        N_("(a) standard convolution"),
        N_("(b) depthwise convolution"),
        N_("(c) pointwise (1×1) convolution"),
    ),
    per_row: int = 8,
    figsize: tuple[float, float] = (10, 8),
):
    """The paper's Figure 2 for three real layers: the standard conv's filters (a) are replaced
    by the depthwise filters (b) followed by the pointwise filters (c).

    One unit square per weight, so each filter's size is its weight shape; the filters of a
    layer are drawn ``per_row`` to a line. Titles and labels are in the reader's language
    (:func:`~mobilenet_lab.i18n.tr`). Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    convs = (standard, depthwise, pointwise)
    for name, conv in zip(("standard", "depthwise", "pointwise"), convs):
        if not isinstance(conv, nn.Conv2d):
            raise TypeError(f"{name} must be a torch.nn.Conv2d, got {type(conv).__name__}")
    if len(titles) != 3:
        raise ValueError(f"titles must hold 3 strings, got {len(titles)}")

    fig, ax = plt.subplots(figsize=figsize)
    width, height = _draw_banks(ax, convs, titles, per_row)
    separable = depthwise.weight.numel() + pointwise.weight.numel()
    ax.set_xlim(-0.5, width + 0.5)
    ax.set_ylim(-2.2, height)
    ax.text(
        0,
        -0.8,
        tr(
            "(b) + (c): {depthwise:,} + {pointwise:,} = {separable:,} weights instead of"
            " {standard:,}",
            depthwise=depthwise.weight.numel(),
            pointwise=pointwise.weight.numel(),
            separable=separable,
            standard=standard.weight.numel(),
        ),
        fontsize=12,
        va="top",
        fontweight="bold",
    )
    ax.set_aspect("equal")
    ax.axis("off")
    _channel_legend(ax, standard.in_channels)
    ax.set_title(
        tr("The paper's Figure 2 for our layers")
        + "\n"
        + tr("(one square per weight, one coloured slice per input channel read)"),
        fontsize=12,
    )
    fig.tight_layout()
    return fig


def _draw_banks(
    ax, convs: Sequence[nn.Conv2d], titles: Sequence[str], per_row: int
) -> tuple[float, float]:
    """Draw each layer's filter bank with its label, the last layer lowest; return the widest
    bank's width and the height of the whole stack."""
    row_gap = 2.4  # room for the bank's label above it
    y = 0.0
    widths = []
    for conv, title in zip(reversed(convs), reversed(titles)):
        width, height = draw_filter_bank(ax, conv, y, per_row=per_row)
        widths.append(width)
        ax.text(0, y + height + 0.4, f"{tr(title)}: {_label(conv)}", fontsize=12, va="bottom")
        y += height + row_gap
    return max(widths), y


def _channel_legend(ax, n_in: int) -> None:
    """A legend below the figure: the colour of each input channel's slices."""
    import matplotlib.pyplot as plt

    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor=CHANNEL_COLOURS[c % len(CHANNEL_COLOURS)], ec="0.25")
        for c in range(min(n_in, len(CHANNEL_COLOURS)))
    ]
    ax.legend(
        handles,
        [tr("reads input channel {c}", c=c) for c in range(len(handles))],
        loc="upper left",
        fontsize=10,
        frameon=False,
        ncol=len(handles),
        bbox_to_anchor=(0.0, 0.0),
        handlelength=1.2,
    )
