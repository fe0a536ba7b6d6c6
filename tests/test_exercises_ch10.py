"""Chapter 10's preprocessing exercise: the reference is accepted, typical mistakes get a hint
that does not give the answer away, a stub is "not done yet"."""

from __future__ import annotations

import math

from mobilenet_lab.exercises import CORRECT, NOT_DONE, WRONG
from mobilenet_lab.exercises.ch10 import check_resize


def resized_size(height, width):
    """Reference solution."""
    short = int(224 / 0.875)
    if height <= width:
        return short, int(short * width / height)
    return int(short * height / width), short


def test_reference_is_correct():
    assert check_resize(resized_size).status == CORRECT
    assert check_resize(lambda h, w: list(resized_size(h, w))).status == CORRECT


def test_typical_mistakes_are_explained():
    swapped = check_resize(lambda h, w: resized_size(h, w)[::-1])
    assert swapped.status == WRONG and "swapped" in swapped.message
    rounded = check_resize(
        lambda h, w: (256, round(256 * w / h)) if h <= w else (round(256 * h / w), 256)
    )
    assert rounded.status == WRONG and "round down" in rounded.message
    crop = check_resize(lambda h, w: (224, 224))
    assert crop.status == WRONG and "crop" in crop.message
    longer = check_resize(
        lambda h, w: (int(256 * h / w), 256) if h <= w else (256, int(256 * w / h))
    )
    assert longer.status == WRONG
    ceil = check_resize(
        lambda h, w: (256, math.ceil(256 * w / h)) if h <= w else (math.ceil(256 * h / w), 256)
    )
    assert ceil.status == WRONG
    for feedback in (swapped, rounded, crop, longer, ceil):
        assert feedback.hint and "383" not in feedback.hint and "(256, 383)" not in feedback.message
    assert check_resize(lambda h, w: 256).status == WRONG
    assert check_resize(lambda h, w: 1 / 0).status == WRONG


def test_stub_is_not_done():
    assert check_resize(None).status == NOT_DONE

    def stub(height, width):
        raise NotImplementedError

    assert check_resize(stub).status == NOT_DONE
