"""The convolution animations of chapters 1–4 (mobilenet_lab.animations): one frame per output
position, drawn counts equal to the counters', an offline, accessible, deterministic player."""

from __future__ import annotations

import base64
import io
import json
import re
from html import escape

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

import mobilenet_lab as ml
from mobilenet_lab import i18n
from mobilenet_lab.animations.frames import TRANSPARENT, encode, nearest, palette_of

ANIMATE = {
    "standard": ml.animate_standard_conv,
    "depthwise": ml.animate_depthwise_conv,
    "pointwise": ml.animate_pointwise_conv,
    "separable": ml.animate_separable_conv,
}
SMALL = {  # small shapes keep the rendering tests fast
    "standard": dict(m=2, n=2, size=2, k=3),
    "depthwise": dict(m=2, size=2, k=3),
    "pointwise": dict(m=2, n=3, size=2),
    "separable": dict(m=2, n=3, size=2, k=3),
}
BASE64 = re.compile(r"[A-Za-z0-9+/=]{40,}")


@pytest.fixture(scope="module")
def small():
    """The four animations at small shapes, rendered once."""
    animations = {name: ANIMATE[name](**SMALL[name]) for name in ANIMATE}
    return {name: (a, a.to_html()) for name, a in animations.items()}


def expected_counts(anim: ml.ConvAnimation) -> dict[str, int]:
    """What mobilenet_lab's counter says for the animation's real layers and input."""
    shape = tuple(anim.input.shape)
    layers = anim.layers
    counts = {name: ml.count_mult_adds(conv, shape) for name, conv in layers.items()}
    if "pointwise" in layers and "depthwise" in layers:
        pair = nn.Sequential(layers["depthwise"], layers["pointwise"])
        return {"standard": counts["standard"], "separable": ml.count_mult_adds(pair, shape)}
    return counts


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("standard", dict(m=3, n=2, size=5, k=3)),
        ("standard", dict(m=1, n=4, size=4, k=5)),
        ("depthwise", dict(m=3, size=5, k=3)),
        ("depthwise", dict(m=4, size=6, k=1)),
        ("pointwise", dict(m=3, n=4, size=5)),
        ("pointwise", dict(m=5, n=2, size=2)),
        ("separable", dict(m=3, n=4, size=5, k=3)),
        ("separable", dict(m=2, n=6, size=4, k=5)),
    ],
)
def test_frames_and_counts_follow_the_shape(name, args):
    anim = ANIMATE[name](**args)  # not drawn: steps and counts only
    size = args["size"]
    assert anim.frames == size * size + 1  # an opening frame, then one per output position
    assert [step.position for step in anim.steps[1:]] == [
        (r, c) for r in range(size) for c in range(size)
    ]
    expected = expected_counts(anim)
    assert set(anim.counts) == set(expected)
    for counter, running in anim.counts.items():
        assert len(running) == anim.frames and running[0] == 0
        assert running[-1] == expected[counter]  # the last frame shows the counter's total
        steps = np.diff(running)
        assert (steps == steps[0]).all()  # the same cost at every position


def test_default_counts_are_the_formulas():
    k, m, n, f = 3, 3, 4, 5
    anim = ml.animate_separable_conv(m=m, n=n, size=f, k=k)
    assert anim.counts["standard"][-1] == ml.standard_conv_mult_adds(k, m, n, f) == 2700
    assert anim.counts["separable"][-1] == ml.separable_conv_mult_adds(k, m, n, f) == 975
    assert ml.animate_standard_conv().counts["standard"][-1] == ml.standard_conv_mult_adds(
        3, 3, 2, 5
    )
    assert ml.animate_depthwise_conv().counts["depthwise"][-1] == ml.depthwise_conv_mult_adds(
        3, 3, 5
    )
    assert ml.animate_pointwise_conv().counts["pointwise"][-1] == ml.pointwise_conv_mult_adds(
        3, 4, 5
    )


def test_numbers_are_the_real_layers_outputs():
    anim = ml.animate_separable_conv()
    layers, x = anim.layers, anim.input
    with torch.no_grad():
        assert torch.equal(anim.outputs["standard"].float(), layers["standard"](x))
        pair = layers["pointwise"](layers["depthwise"](x))
    assert torch.equal(anim.outputs["pointwise"].float(), pair)
    # the standard layer is the pair's factorised kernel: both write the same numbers
    assert torch.equal(anim.outputs["standard"], anim.outputs["pointwise"])
    depthwise = layers["depthwise"]
    assert depthwise.groups == depthwise.in_channels == 3
    for conv in layers.values():  # no dead (all-zero) filter
        assert (conv.weight.flatten(1) != 0).any(dim=1).all()


def test_drawn_counts_equal_the_counters(small):
    for anim, _ in small.values():
        assert anim.drawn == {name: running[-1] for name, running in anim.counts.items()}
        assert anim.drawn == expected_counts(anim)


def frames_data(html: str) -> dict:
    """The JSON the player's script reads (it holds no "<": it cannot end its script early)."""
    match = re.search(r'<script type="application/json" class="mnl-frames">(.*?)</script>', html)
    assert "<" not in match.group(1)
    return json.loads(match.group(1))


def test_player_is_offline_accessible_and_has_a_still(small):
    for anim, html in small.values():
        text = BASE64.sub("", html)  # what is left once the images are taken out
        assert "http" not in text and "url(" not in text and "href" not in text  # no URL
        assert "@import" not in text and "cdn" not in text.lower()
        assert re.findall(r'src="([a-z]+):', html) == ["data"]  # the still, inline
        assert f'role="group" aria-label="{escape(anim.title)}"' in html
        assert '<img class="mnl-still" src="data:image/png;base64,' in html
        assert html.count(f'alt="{escape(anim.alt)}"') == 1  # the player reuses it
        assert len(anim.alt) > 100 and f"{anim.counts[next(iter(anim.counts))][-1]:,}" in anim.alt
        # the still stands in for the player with reduced motion and in print; the player is
        # built by the script, so without JavaScript the still is all there is
        assert "@media (prefers-reduced-motion:reduce){.mnl-anim .mnl-player{display:none" in html
        assert "@media print{.mnl-anim .mnl-player{display:none" in html
        assert "mnl-player" not in html.split("<script>")[0].split("<style>")[0]
        assert " id=" not in html  # no element ids (random ids would change every run)
        data = frames_data(html)
        assert len(data["changes"]) == len(data["shapes"]) == anim.frames
        assert data["size"] == list(anim.encoded().size)


def test_player_frames_rebuild_every_frame():
    """The player stacks each frame's changes on the background: that must give every frame."""
    anim = ml.animate_depthwise_conv(**SMALL["depthwise"])
    frames = anim.draw()
    encoded = encode(frames)

    def pixels(png: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(png)))

    stack = pixels(encoded.background).copy()
    still = Image.open(io.BytesIO(encoded.still))
    assert still.size == encoded.size == frames.background.shape[1::-1]
    colours = palette_of(frames.still, frames.colours)
    assert (np.array(still.getpalette()[: 3 * len(colours)]).reshape(-1, 3) == colours).all()
    for layer, change in zip(frames.layers, encoded.changes):
        delta = pixels(change)
        stack = np.where(delta == TRANSPARENT, stack, delta)
        assert (stack == nearest(layer, colours)).all()
        exact = (colours[stack] == layer).all(axis=-1).mean()
        assert exact > 0.85  # 31 colours: only anti-aliased edges are rounded
    assert encoded.shapes[0] == ""  # the opening frame: nothing highlighted
    assert encoded.shapes[-1].count("<path") >= 2


def test_same_bytes_on_every_render(small):
    _, html = small["separable"]  # every kind of layer and panel
    assert ml.animate_separable_conv(**SMALL["separable"]).to_html() == html


def test_frames_are_small(small):
    anim, html = small["separable"]
    pngs = [base64.b64decode(b) for b in frames_data(html)["changes"]]
    assert max(map(len, pngs)) < 4000  # a frame stores only what changed


def test_labels_are_translated(monkeypatch):
    class Marked:
        def gettext(self, message: str) -> str:
            return f"«{message}»"

    monkeypatch.setattr(i18n, "translations", lambda language: Marked())
    anim = ml.animate_pointwise_conv(m=1, n=1, size=1)
    assert anim.title.startswith("«") and anim.alt.startswith("«")
    labels = frames_data(anim.to_html())["labels"]
    assert labels["play"] == "«Play»" and labels["forward"] == "«Next step»"


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: ml.animate_standard_conv(m=0), ValueError, "m"),
        (lambda: ml.animate_standard_conv(n=9), ValueError, "n"),
        (lambda: ml.animate_standard_conv(size=9), ValueError, "size"),
        (lambda: ml.animate_standard_conv(k=2), ValueError, "k"),
        (lambda: ml.animate_standard_conv(size=2, k=7), ValueError, "k"),
        (lambda: ml.animate_depthwise_conv(m=2.0), TypeError, "m"),
        (lambda: ml.animate_pointwise_conv(n="4"), TypeError, "n"),
        (lambda: ml.animate_separable_conv(size=True), TypeError, "size"),
    ],
)
def test_bad_arguments_name_the_argument(call, error, name):
    with pytest.raises(error, match=rf"^{name} must"):
        call()
