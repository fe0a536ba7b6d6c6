"""Checkers for chapter 10, pretrained ImageNet weights."""

from __future__ import annotations

from typing import Any

from ..i18n import N_
from ._core import Case, Exercise, Feedback, checker, compare_cases

MAP_KEY = Exercise(
    "ex-10-map-key",
    title=N_("a timm key as our key"),
    hint=N_(
        "conv_stem/bn1 are layer 0 (features.0.0 / features.0.1); block i of stage s is layer "
        "k = 1 + (blocks in the stages before s) + i with stage lengths 1, 2, 2, 6, 2; conv_dw/bn1 "
        "go to .depthwise.0/.depthwise.1, conv_pw/bn2 to .pointwise.0/.pointwise.1"
    ),
    kind="function",
    answer="str",
    call="timm_to_ours",
    # a timm mobilenetv1_100 key → ours
    cases=tuple(
        Case((timm,), ours)
        for timm, ours in (
            ("conv_stem.weight", "features.0.0.weight"),
            ("bn1.running_var", "features.0.1.running_var"),
            ("blocks.0.0.conv_dw.weight", "features.1.depthwise.0.weight"),
            ("blocks.0.0.bn2.bias", "features.1.pointwise.1.bias"),
            ("blocks.1.1.conv_pw.weight", "features.3.pointwise.0.weight"),
            ("blocks.3.0.bn1.running_mean", "features.6.depthwise.1.running_mean"),
            ("blocks.3.5.conv_dw.weight", "features.11.depthwise.0.weight"),
            ("blocks.4.1.bn2.weight", "features.13.pointwise.1.weight"),
            ("classifier.bias", "classifier.bias"),
        )
    ),
    messages={"correct": N_("every key tried maps right")},
)


@checker(MAP_KEY)
def check_map_key(timm_to_ours: Any) -> Feedback:
    """Check ``timm_to_ours(key)``: a timm ``mobilenetv1_100`` key to our ``MobileNetV1`` key."""
    return compare_cases(timm_to_ours)


NORMALISE = Exercise(
    "ex-10-normalise",
    title=N_("an 8-bit pixel as the network expects it"),
    hint=N_(
        "these weights were trained with mean = std = 0.5 (not 0.485/0.229…): scale to [0, 1] "
        "first (divide by 255), then (x - 0.5) / 0.5"
    ),
    kind="function",
    answer="real",
    call="normalise",
    rel_tol=1e-6,
    abs_tol=1e-9,
    # pixel → (pixel / 255 - 0.5) / 0.5, and with the usual ImageNet mean and std of red
    cases=(
        Case((0,), -1.0, {"imagenet": -2.1179039301310043}),
        Case((51,), -0.6, {"imagenet": -1.244541484716157}),
        Case((128,), 0.0039215686274509665, {"imagenet": 0.0740645603219454}),
        Case((255,), 1.0, {"imagenet": 2.2489082969432315}),
    ),
    messages={
        "imagenet": N_("{what} = {answer:.4g} uses the usual ImageNet mean/std"),
        "correct": N_("0 → -1, 255 → +1: the network sees pixels in [-1, 1]"),
    },
)


@checker(NORMALISE)
def check_normalise(normalise: Any) -> Feedback:
    """Check ``normalise(pixel)``: an 8-bit pixel value (0–255) as the network expects it."""
    return compare_cases(normalise)


RESIZE = Exercise(
    "ex-10-resize",
    title=N_("the size of a photo before the centre crop"),
    hint=N_(
        "the *shorter* side becomes int(224 / 0.875); the longer side keeps the aspect ratio and "
        "is truncated to a whole number (int), as torchvision's Resize does; answer (height, width)"
    ),
    kind="function",
    answer="pair",
    call="resized_size",
    # (height, width) → the size before the centre crop; with the sides swapped, rounded up or
    # to the nearest pixel, the crop's size, the longer side set to 256
    cases=tuple(
        Case(
            photo,
            size,
            {"swapped": size[::-1], "rounded": rounded, "crop": (224, 224), "longer": longer},
        )
        for photo, size, rounded, longer in (
            ((427, 640), (256, 383), (256, 384), (170, 256)),
            ((640, 427), (383, 256), (384, 256), (256, 170)),
            ((256, 256), (256, 256), (256, 256), (256, 256)),
            ((500, 375), (341, 256), (342, 256), (256, 192)),
            ((300, 1000), (256, 853), (256, 854), (76, 256)),
        )
    ),
    messages={
        "swapped": N_("{what} = {answer}: height and width are swapped"),
        "crop": N_(
            "{what} = {answer}: that is the crop size; the resize comes first and is larger"
        ),
        "rounded": N_("{what} = {answer}: round down, as int() does"),
        "longer": N_("{what} = {answer}: it is the shorter side that is set"),
        "unexpected": N_("{what} = {answer} is not the size timm resizes to"),
        "not_pair": N_("{what} should return (height, width), got {shown}"),
        "correct": N_(
            "the shorter side goes to 256 and the centre 224 × 224 is cropped from that: a "
            "427×640 photo loses its left and right borders"
        ),
    },
)


@checker(RESIZE)
def check_resize(resized_size: Any) -> Feedback:
    """Check ``resized_size(height, width)``: the image size before the centre crop."""
    return compare_cases(resized_size)
