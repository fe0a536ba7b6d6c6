"""Published figures, as data: the paper's tables and TF-slim's released checkpoints.

Source: A. G. Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile
Vision Applications", arXiv:1704.04861 (2017), and TensorFlow models'
``research/slim/nets/mobilenet_v1.md``. Mult-adds and parameters are in millions, as printed
(rounded); accuracies are ImageNet top-1 in percent. The book computes its own counts and checks
them against these.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_

PAPER = (
    'A. G. Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision '
    'Applications", arXiv:1704.04861 (2017)'
)
SLIM = "TensorFlow models, research/slim/nets/mobilenet_v1.md (released checkpoints)"


@dataclass(frozen=True)
class Published:
    """One published row: a model's accuracy and cost, with where it was printed."""

    source: str  # e.g. "Table 6" or "TF-slim"
    model: str
    top1: float | None
    mult_adds_m: float
    params_m: float
    alpha: float | None = None
    resolution: int | None = None
    block: str = "separable"
    top5: float | None = None


#: Table 2: share of mult-adds and of parameters (conv and FC weights only) per layer type, in %.
#: The printed 1.19% for the first conv is a typo for 1.91% (the four values then sum to 100%).
TABLE_2 = {
    "pointwise": (94.86, 74.59),
    "depthwise": (3.06, 1.06),
    "conv": (1.19, 0.02),
    "linear": (0.18, 24.33),
}
TABLE_2_ERRATA = {"conv": 1.91}

#: Table 3: one layer on a 14×14 map, 512 → 512 channels: (million mult-adds, million params).
#: The row names are English msgids (show them with ``tr(name)``).
TABLE_3 = {
    N_("conv 3×3"): (462, 2.36),
    N_("depthwise separable"): (52.3, 0.27),
    "α = 0.75": (29.6, 0.15),
    "ρ = 0.714": (15.1, 0.15),
}

_M = "MobileNet"
TABLE_4 = (
    Published("Table 4", "Conv MobileNet", 71.7, 4866, 29.3, 1.0, 224, block="standard"),
    Published("Table 4", _M, 70.6, 569, 4.2, 1.0, 224),
)
TABLE_5 = (
    Published("Table 5", "0.75 MobileNet", 68.4, 325, 2.6, 0.75, 224),
    Published("Table 5", "Shallow MobileNet", 65.3, 307, 2.9, 1.0, 224),
)
TABLE_6 = (
    Published("Table 6", "1.0 MobileNet-224", 70.6, 569, 4.2, 1.0, 224),
    Published("Table 6", "0.75 MobileNet-224", 68.4, 325, 2.6, 0.75, 224),
    Published("Table 6", "0.5 MobileNet-224", 63.7, 149, 1.3, 0.5, 224),
    Published("Table 6", "0.25 MobileNet-224", 50.6, 41, 0.5, 0.25, 224),
)
TABLE_7 = (
    Published("Table 7", "1.0 MobileNet-224", 70.6, 569, 4.2, 1.0, 224),
    Published("Table 7", "1.0 MobileNet-192", 69.1, 418, 4.2, 1.0, 192),
    Published("Table 7", "1.0 MobileNet-160", 67.2, 290, 4.2, 1.0, 160),
    Published("Table 7", "1.0 MobileNet-128", 64.4, 186, 4.2, 1.0, 128),
)
#: Tables 8 and 9: other networks, for scale (alpha/resolution only for MobileNets).
OTHER_NETWORKS = (
    Published("Table 8", "GoogleNet", 69.8, 1550, 6.8),
    Published("Table 8", "VGG 16", 71.5, 15300, 138),
    Published("Table 9", "SqueezeNet", 57.5, 1700, 1.25),
    Published("Table 9", "AlexNet", 57.2, 720, 60),
)
TABLE_9_MOBILENET = Published("Table 9", "0.50 MobileNet-160", 60.2, 76, 1.32, 0.5, 160)

_SLIM_PARAMS = {1.0: 4.24, 0.75: 2.59, 0.5: 1.34, 0.25: 0.47}
# (alpha, resolution): (million MACs, top-1, top-5)
_SLIM_TABLE = {
    (1.0, 224): (569, 70.9, 89.9), (1.0, 192): (418, 70.0, 89.2),
    (1.0, 160): (291, 68.0, 87.7), (1.0, 128): (186, 65.2, 85.8),
    (0.75, 224): (317, 68.4, 88.2), (0.75, 192): (233, 67.2, 87.3),
    (0.75, 160): (162, 65.3, 86.0), (0.75, 128): (104, 62.1, 83.9),
    (0.5, 224): (150, 63.3, 84.9), (0.5, 192): (110, 61.7, 83.6),
    (0.5, 160): (77, 59.1, 81.9), (0.5, 128): (49, 56.3, 79.4),
    (0.25, 224): (41, 49.8, 74.2), (0.25, 192): (34, 47.7, 72.3),
    (0.25, 160): (21, 45.5, 70.3), (0.25, 128): (14, 41.5, 66.3),
}  # fmt: skip
#: The 16 released TF-slim checkpoints (α ∈ {1, 0.75, 0.5, 0.25} × {224, 192, 160, 128}).
SLIM_CHECKPOINTS = tuple(
    Published("TF-slim", f"MobileNet_v1_{a}_{r}", t1, macs, _SLIM_PARAMS[a], a, r, top5=t5)
    for (a, r), (macs, t1, t5) in _SLIM_TABLE.items()
)

ALPHAS = (1.0, 0.75, 0.5, 0.25)
RESOLUTIONS = (224, 192, 160, 128)

#: timm's pretrained MobileNet v1 (the weights the book's last chapter loads).
TIMM = {
    "model": "mobilenetv1_100",
    "weights": "mobilenetv1_100.ra4_e3600_r224_in1k",
    "top1_224": 75.38,
    "top1_256": 76.09,
    "params": 4_231_976,
    "activation": "relu6",
    "bn_eps": 1e-5,
    "mean": (0.5, 0.5, 0.5),
    "std": (0.5, 0.5, 0.5),
}


def paper_row(alpha: float, resolution: int) -> Published | None:
    """The Table 6 or Table 7 row for ``(alpha, resolution)``, if the paper printed one."""
    for row in TABLE_6 + TABLE_7:
        if row.alpha == alpha and row.resolution == resolution:
            return row
    return None


def slim_row(alpha: float, resolution: int) -> Published:
    """The TF-slim checkpoint row for ``(alpha, resolution)``."""
    for row in SLIM_CHECKPOINTS:
        if row.alpha == alpha and row.resolution == resolution:
            return row
    raise KeyError(f"no TF-slim checkpoint for alpha={alpha!r}, resolution={resolution!r}")


#: Published mult-add figures that exact counting does not reproduce when rounded, and why.
#: Keys are ``(source, alpha, resolution)``; the book shows both numbers instead of bending ours.
#: The reasons are English msgids (show them with ``tr(reason)``).
KNOWN_MULT_ADD_MISMATCHES = {
    ("Table 7", 1.0, 160): N_(
        "exact 290.68 M; the paper prints 290 (truncated), TF-slim prints 291"
    ),
    ("TF-slim", 0.5, 224): N_("exact 149.497 M, on the rounding boundary; the paper prints 149"),
    ("TF-slim", 0.75, 224): N_(
        "317 = exact 325.40 M minus the first 3×3 conv (8.13 M); paper: 325"
    ),
    ("TF-slim", 0.75, 192): N_("233 = exact 239.27 M minus the first 3×3 conv (5.97 M)"),
    ("TF-slim", 0.75, 160): N_("162 = exact 166.40 M minus the first 3×3 conv (4.15 M)"),
    ("TF-slim", 0.75, 128): N_("104 = exact 106.77 M minus the first 3×3 conv (2.65 M)"),
    ("TF-slim", 0.25, 192): N_(
        "exact 30.21 M; 34 fits no consistent count (224: 41, 160: 21): most likely a typo"
    ),
}
