"""Checkers for chapter 10, pretrained ImageNet weights."""

from __future__ import annotations

import math
from typing import Any

from ..pretrained import MEAN, STD, timm_key_map
from ._core import Feedback, call_answer, checker, correct, wrong

MAP_KEY = "ex-10-map-key"
NORMALISE = "ex-10-normalise"

_MAP_HINT = (
    "conv_stem/bn1 are layer 0 (features.0.0 / features.0.1); block i of stage s is layer "
    "k = 1 + (blocks in the stages before s) + i with stage lengths 1, 2, 2, 6, 2; conv_dw/bn1 "
    "go to .depthwise.0/.depthwise.1, conv_pw/bn2 to .pointwise.0/.pointwise.1"
)
_MAP_CASES = (
    "conv_stem.weight",
    "bn1.running_var",
    "blocks.0.0.conv_dw.weight",
    "blocks.0.0.bn2.bias",
    "blocks.1.1.conv_pw.weight",
    "blocks.3.0.bn1.running_mean",
    "blocks.3.5.conv_dw.weight",
    "blocks.4.1.bn2.weight",
    "classifier.bias",
)


@checker(MAP_KEY, _MAP_HINT)
def check_map_key(timm_to_ours: Any) -> Feedback:
    """Check ``timm_to_ours(key)``: a timm ``mobilenetv1_100`` key to our ``MobileNetV1`` key."""
    mapping = timm_key_map()
    for key in _MAP_CASES:
        got = call_answer(timm_to_ours, key)
        if not isinstance(got, str):
            return wrong(
                MAP_KEY,
                f"timm_to_ours({key!r}) should be a str, got {type(got).__name__}",
                _MAP_HINT,
            )
        if got != mapping[key]:
            return wrong(
                MAP_KEY, f"timm_to_ours({key!r}) = {got!r}, expected {mapping[key]!r}", _MAP_HINT
            )
    return correct(MAP_KEY, f"every key tried maps right ({len(mapping)} keys in all)")


_NORM_HINT = (
    "these weights were trained with mean = std = 0.5 (not 0.485/0.229…): scale to [0, 1] "
    "first (divide by 255), then (x - 0.5) / 0.5"
)


@checker(NORMALISE, _NORM_HINT)
def check_normalise(normalise: Any) -> Feedback:
    """Check ``normalise(pixel)``: an 8-bit pixel value (0–255) as the network expects it."""
    for pixel in (0, 51, 128, 255):
        got = call_answer(normalise, pixel)
        expected = (pixel / 255 - MEAN[0]) / STD[0]
        try:
            value = float(got)
        except (TypeError, ValueError):
            return wrong(
                NORMALISE,
                f"normalise({pixel}) should be a number, got {type(got).__name__}",
                _NORM_HINT,
            )
        if not math.isclose(value, expected, rel_tol=1e-6, abs_tol=1e-9):
            if math.isclose(value, (pixel / 255 - 0.485) / 0.229, rel_tol=1e-6):
                return wrong(
                    NORMALISE,
                    f"normalise({pixel}) = {value:.4g} uses the usual ImageNet mean/std",
                    _NORM_HINT,
                )
            return wrong(
                NORMALISE, f"normalise({pixel}) = {value:.4g}, expected {expected:.4g}", _NORM_HINT
            )
    return correct(NORMALISE, "0 → -1, 255 → +1: the network sees pixels in [-1, 1]")
