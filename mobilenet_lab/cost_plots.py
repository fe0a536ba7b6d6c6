"""Figures of where MobileNet's cost sits: per layer, and over the α × resolution grid.

Every number comes from :func:`~mobilenet_lab.counting.layer_counts` (or is passed in), so the
figures follow whatever model or grid they are given. Their words go through
:func:`~mobilenet_lab.i18n.tr` (the reader's language); ``KIND_NAMES`` holds English msgids, shown
with ``tr(KIND_NAMES[kind])``.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from .counting import LayerCount, layer_counts
from .i18n import N_, tr

KIND_COLOURS = {
    "conv": "#1f77b4",
    "depthwise": "#ff7f0e",
    "pointwise": "#2ca02c",
    "linear": "#9467bd",
}
#: The kinds' names (English msgids: shown through :func:`~mobilenet_lab.i18n.tr`).
KIND_NAMES = {
    "conv": N_("3×3 conv (first layer)"),
    "depthwise": N_("3×3 depthwise"),
    "pointwise": N_("1×1 pointwise"),
    "linear": N_("fully connected"),
}
#: The same, shorter, for the share lines above the panels.
_SHORT_NAMES = {
    "conv": N_("3×3 conv"),
    "depthwise": N_("3×3 depthwise"),
    "pointwise": N_("1×1 pointwise"),
    "linear": N_("fully connected"),
}


@dataclass(frozen=True)
class LayerCost:
    """One weight layer: its kind, output map side, output channels, weights and mult-adds."""

    name: str
    kind: str
    side: int  # output map side D_F (1 for the fully connected layer)
    channels: int  # output channels (classes for the fully connected layer)
    weights: int
    mult_adds: int


def layer_costs(model: nn.Module, input_size=(1, 3, 224, 224)) -> list[LayerCost]:
    """The weight layers of ``model`` (convolutions and linear layers), in execution order."""
    rows: list[LayerCount] = layer_counts(model, input_size)
    costs = []
    for r in rows:
        if r.kind not in KIND_COLOURS:
            continue
        side = r.output_shape[2] if len(r.output_shape) == 4 else 1
        costs.append(LayerCost(r.name, r.kind, side, r.output_shape[1], r.weights, r.mult_adds))
    return costs


def shares(costs: list[LayerCost]) -> dict[str, tuple[float, float]]:
    """Per kind: (share of mult-adds, share of weights), as fractions of the whole."""
    total_macs = sum(c.mult_adds for c in costs)
    total_weights = sum(c.weights for c in costs)
    out = {}
    for kind in KIND_COLOURS:
        macs = sum(c.mult_adds for c in costs if c.kind == kind)
        weights = sum(c.weights for c in costs if c.kind == kind)
        if macs or weights:
            out[kind] = (macs / total_macs, weights / total_weights)
    return out


def draw_layer_costs(costs: list[LayerCost], title: str | None = None):
    """Four panels over the layers: map side, channels, weights and mult-adds (log scales);
    each share printed to two decimals, as the paper's Table 2."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if not costs:
        raise ValueError("costs must hold at least one layer")
    x = list(range(1, len(costs) + 1))
    colours = [KIND_COLOURS[c.kind] for c in costs]
    fig, axes = plt.subplots(4, 1, figsize=(8.6, 8.6), sharex=True)
    panels = (
        (tr("output map side"), [c.side for c in costs], False),
        (tr("output channels"), [c.channels for c in costs], False),
        (tr("weights (log scale)"), [c.weights for c in costs], True),
        (tr("mult-adds (log scale)"), [c.mult_adds for c in costs], True),
    )
    share = shares(costs)
    for ax, (label, values, log) in zip(axes, panels):
        ax.bar(x, values, color=colours, width=0.8)
        ax.set_ylabel(label)
        if log:
            ax.set_yscale("log")
    for ax, index, what in (
        (axes[2], 1, tr("share of all weights:")),
        (axes[3], 0, tr("share of all mult-adds:")),
    ):
        text = "  ".join(f"{tr(_SHORT_NAMES[k])}: {100 * s[index]:.2f}%" for k, s in share.items())
        ax.set_title(f"{what}  {text}", fontsize=8.5, loc="left")
    axes[-1].set_xlabel(tr("weight layer (execution order; the last is the classifier)"))
    axes[-1].set_xticks(x[::2] if len(x) > 20 else x)
    handles = [Patch(color=KIND_COLOURS[k], label=tr(KIND_NAMES[k])) for k in share]
    axes[0].legend(handles=handles, ncol=len(handles), fontsize=8, loc="upper right")
    fig.suptitle(title if title is not None else tr("MobileNet v1, layer by layer"))
    fig.tight_layout()
    return fig


def draw_cost_grid(
    mult_adds: dict[tuple[float, int], int],
    top1: dict[tuple[float, int], float],
    title: str | None = None,
):
    """Heat map of mult-adds (millions, log colour scale) for ``(alpha, resolution)`` keys, with
    each cell's mult-adds and top-1 accuracy written in it, labelled in the reader's language."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import LogNorm

    if not mult_adds:
        raise ValueError("mult_adds must hold at least one (alpha, resolution) entry")
    alphas = sorted({a for a, _ in mult_adds}, reverse=True)
    sizes = sorted({r for _, r in mult_adds}, reverse=True)
    grid = np.full((len(alphas), len(sizes)), np.nan)
    for (a, r), macs in mult_adds.items():
        grid[alphas.index(a), sizes.index(r)] = macs / 1e6
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    norm = LogNorm(vmin=np.nanmin(grid), vmax=np.nanmax(grid))
    image = ax.imshow(grid, cmap="viridis", norm=norm)
    for i, a in enumerate(alphas):
        for j, r in enumerate(sizes):
            if np.isnan(grid[i, j]):
                continue
            dark = norm(grid[i, j]) < 0.6
            text = f"{grid[i, j]:.0f} M"
            if (a, r) in top1:
                text += f"\n{top1[a, r]:.1f}%"
            ax.text(j, i, text, ha="center", va="center", fontsize=10,
                    color="white" if dark else "black")  # fmt: skip
    ax.set_xticks(range(len(sizes)), [f"{r}×{r}" for r in sizes])
    ax.set_yticks(range(len(alphas)), [f"α = {a}" for a in alphas])
    ax.set_xlabel(tr("input resolution (ρ = resolution / 224)"))
    ax.set_ylabel(tr("width multiplier"))
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax)
    ticks = [t for t in (10, 20, 50, 100, 200, 500, 1000, 2000) if norm.vmin <= t <= norm.vmax]
    bar.set_ticks(ticks, labels=[str(t) for t in ticks])
    bar.minorticks_off()
    bar.set_label(tr("mult-adds per image (millions, log scale)"))
    if title is None:
        title = tr("Mult-adds over the α × resolution grid, with published top-1")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return fig
