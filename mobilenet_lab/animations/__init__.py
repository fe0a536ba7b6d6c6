"""Animations of the convolutions of chapters 1–4, drawn from real layers, in an offline player.

``animate_standard_conv()`` and its siblings return a :class:`ConvAnimation`: the last expression
of a notebook cell, it shows itself (``to_html()`` gives the same HTML).
"""

from .animation import ConvAnimation
from .convolutions import (
    animate_depthwise_conv,
    animate_pointwise_conv,
    animate_separable_conv,
    animate_standard_conv,
)

__all__ = [
    "ConvAnimation",
    "animate_depthwise_conv",
    "animate_pointwise_conv",
    "animate_separable_conv",
    "animate_standard_conv",
]
