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


RESIZE = "ex-10-resize"

_RESIZE_HINT = (
    "the *shorter* side becomes int(224 / 0.875); the longer side keeps the aspect ratio and is "
    "truncated to a whole number (int), as torchvision's Resize does; answer (height, width)"
)


#: ((height, width), size before the centre crop): answers for these photos only
_RESIZE_CASES = (
    ((427, 640), (256, 383)),
    ((640, 427), (383, 256)),
    ((256, 256), (256, 256)),
    ((500, 375), (341, 256)),
    ((300, 1000), (256, 853)),
)


@checker(RESIZE, _RESIZE_HINT)
def check_resize(resized_size: Any) -> Feedback:
    """Check ``resized_size(height, width)``: the image size before the centre crop."""
    for (height, width), expected in _RESIZE_CASES:
        got = call_answer(resized_size, height, width)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return wrong(
                RESIZE, f"resized_size should return (height, width), got {got!r}", _RESIZE_HINT
            )
        got = tuple(got)
        if got == expected:
            continue
        near = all(isinstance(v, (int, float)) for v in got) and all(
            abs(g - e) <= 1 for g, e in zip(got, expected)
        )
        if got == expected[::-1]:
            message = f"resized_size({height}, {width}) = {got}: height and width are swapped"
        elif 224 in got and 256 not in got:
            message = (
                f"resized_size({height}, {width}) = {got}: that is the crop size; the resize "
                "comes first and is larger"
            )
        elif near:
            message = f"resized_size({height}, {width}) = {got}: round down, as int() does"
        elif 256 in got and min(got) < 256:
            message = f"resized_size({height}, {width}) = {got}: it is the shorter side that is set"
        else:
            message = f"resized_size({height}, {width}) = {got} is not the size timm resizes to"
        return wrong(RESIZE, message, _RESIZE_HINT)
    return correct(
        RESIZE,
        "the shorter side goes to 256 and the centre 224 × 224 is cropped from that: a 427×640 "
        "photo loses its left and right borders",
    )
