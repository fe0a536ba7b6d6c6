"""The paper's Figure 3, drawn from real layers: a standard conv block beside the separable block.

Left: ``3×3 Conv → BN → ReLU``. Right: ``3×3 Depthwise Conv → BN → ReLU → 1×1 Conv → BN → ReLU``,
with the stride on the depthwise convolution. Shapes and weight counts come from running
:class:`~mobilenet_lab.layers.StandardConv` and :class:`~mobilenet_lab.layers.DepSepConv` through
:func:`~mobilenet_lab.counting.layer_counts`, so the figure follows the sizes it is given: ``m``
and ``n`` are the paper's M input and N output channels, ``size`` the input map's side. Every
word in the figure goes through :func:`~mobilenet_lab.i18n.tr` (the reader's language).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._validation import check_positive_int
from .counting import layer_counts
from .i18n import tr
from .layers import DepthwiseSeparableConv, StandardConv

CONV_COLOURS = {"conv": "#9ecae1", "depthwise": "#fdae6b", "pointwise": "#a1d99b"}
OTHER_COLOUR = "#eeeeee"


@dataclass(frozen=True)
class Box:
    """One box of the diagram: its label, its kind (for the colour) and the shape it outputs."""

    label: str
    kind: str  # "conv", "depthwise", "pointwise", "batchnorm" or "relu"
    output: str  # "D_F×D_F×channels" after this layer (numbers only, in every language)


def _hwc(shape: tuple[int, ...]) -> str:
    _, c, h, w = shape
    return f"{h}×{w}×{c}"


def block_boxes(m: int, n: int, size: int = 112, stride: int = 2) -> tuple[list[Box], list[Box]]:
    """The boxes of both columns for an ``m → n`` block on a ``size×size`` map.

    Labels carry the kernel, the stride and the weight count measured on the real layers.
    """
    m = check_positive_int("m", m)
    n = check_positive_int("n", n)
    size = check_positive_int("size", size)
    stride = check_positive_int("stride", stride)
    if stride not in (1, 2):
        raise ValueError(f"stride must be 1 or 2, got {stride!r}")

    def column(rows: list) -> list[Box]:
        boxes = []
        for row in rows:
            if row.kind == "batchnorm":
                boxes.append(Box(tr("BatchNorm"), "batchnorm", _hwc(row.output_shape)))
                boxes.append(Box(tr("ReLU"), "relu", _hwc(row.output_shape)))
                continue
            title = {
                "conv": tr("3×3 Conv, stride {stride}", stride=stride),
                "depthwise": tr("3×3 Depthwise Conv, stride {stride}", stride=stride),
                "pointwise": tr("1×1 Conv (pointwise), stride 1"),
            }[row.kind]
            label = title + "\n" + tr("{n:,} weights", n=row.weights)
            boxes.append(Box(label, row.kind, _hwc(row.output_shape)))
        return boxes

    shape = (1, m, size, size)
    standard = column(layer_counts(StandardConv(m, n, 3, stride), shape))
    separable = column(layer_counts(DepthwiseSeparableConv(m, n, stride), shape))
    return standard, separable


def draw_block_comparison(m: int = 64, n: int = 128, size: int = 112, stride: int = 2):
    """Figure 3 of the paper for an ``m → n`` block on a ``size×size`` input; returns the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    standard, separable = block_boxes(m, n, size, stride)
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 6.4))
    step = 1.0
    height = {"batchnorm": 0.42, "relu": 0.42}
    for ax, boxes, title in (
        (axes[0], standard, tr("Standard convolution block")),
        (axes[1], separable, tr("Depthwise separable block")),
    ):
        ax.set_xlim(0, 1)
        ax.set_ylim(-(len(separable) + 0.1) * step, 0.8)
        ax.axis("off")
        ax.set_title(title, fontsize=13)
        ax.text(
            0.5,
            0.55,
            tr("input {shape}", shape="×".join(map(str, (size, size, m)))),
            ha="center",
            va="center",
            fontsize=10,
        )
        previous = 0.35
        for i, box in enumerate(boxes):
            y = -i * step
            h = height.get(box.kind, 0.62)
            ax.add_patch(
                FancyBboxPatch(
                    (0.06, y - h / 2),
                    0.88,
                    h,
                    boxstyle="round,pad=0.02",
                    facecolor=CONV_COLOURS.get(box.kind, OTHER_COLOUR),
                    edgecolor="black",
                    linewidth=1,
                )
            )
            ax.text(0.5, y, box.label, ha="center", va="center", fontsize=10.5)
            ax.add_patch(
                FancyArrowPatch(
                    (0.5, previous), (0.5, y + h / 2 + 0.02), arrowstyle="-|>", mutation_scale=12
                )
            )
            if box.kind in CONV_COLOURS:
                ax.text(0.53, y - h / 2 - 0.17, box.output, ha="left", va="center", fontsize=9.5,
                        color="#444444")  # fmt: skip
            previous = y - h / 2 - 0.02
        end = -len(boxes) * step + 0.35
        ax.add_patch(
            FancyArrowPatch((0.5, previous), (0.5, end), arrowstyle="-|>", mutation_scale=12)
        )
        ax.text(
            0.5, end - 0.15, tr("output {shape}", shape=boxes[-1].output), ha="center", va="center"
        )
    fig.suptitle(
        tr(
            "The paper's Figure 3 for a {m} → {n} block, stride {stride}, on a {side}×{side} map",
            m=m,
            n=n,
            stride=stride,
            side=size,
        ),
        fontsize=12,
    )
    fig.tight_layout()
    return fig
