"""An offline HTML player for an animation, with a still for print and for reduced motion.

matplotlib's ``Animation.to_jshtml`` links Font Awesome from a CDN, writes random element ids on
every run and has no alt text, so the book uses this small player instead
(``mobilenet_lab/assets/animation_player.js`` and ``.css``):

- everything is inline (base64 PNGs, SVG shapes and icons: see :mod:`.frames`; no URL at
  all), so it works in the offline HTML book, in Jupyter, Colab and VS Code, and in
  nbconvert's HTML export;
- the HTML holds the **still** (the last frame, with the alt text), the frames as JSON and the
  script that builds the player; where scripts do not run (a sanitised or untrusted output,
  GitHub's preview) the still is all there is;
- no element ids (the script finds its own animation), so the same frames give the same bytes
  on every run;
- the still replaces the player when the reader asks for reduced motion
  (``prefers-reduced-motion: reduce``) and in print; the player never starts by itself.
"""

from __future__ import annotations

import base64
import html
import json
from functools import cache
from importlib import resources

from ..i18n import tr
from .frames import Encoded


@cache
def _asset(name: str) -> str:
    return resources.files("mobilenet_lab").joinpath(f"assets/{name}").read_text("utf-8")


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def _labels() -> dict[str, str]:
    """The controls' names, in the reader's language."""
    return {
        "first": tr("First step"),
        "back": tr("Previous step"),
        "play": tr("Play"),
        "pause": tr("Pause"),
        "forward": tr("Next step"),
        "last": tr("Last step"),
        "step": tr("Step"),
    }


def player_html(encoded: Encoded, alt: str, interval_ms: int, label: str) -> str:
    """The HTML of the player of ``encoded``: its still, its frames and the player's script.

    ``alt`` describes the animation (the images' alt text), ``label`` names it (its group's
    ``aria-label``). The same arguments give the same string.
    """
    width, height = encoded.size
    data = {
        "size": [width, height],
        "interval": int(interval_ms),
        "labels": _labels(),
        "background": _b64(encoded.background),
        "changes": [_b64(png) for png in encoded.changes],
        "shapes": encoded.shapes,
    }
    # "<" escaped: the JSON (SVG shapes, labels) cannot close its <script>
    frames = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<div class="mnl-anim" role="group" aria-label="{html.escape(label)}" '
        f'style="width:{width}px"><style>{_asset("animation_player.css")}</style>'
        f'<img class="mnl-still" src="data:image/png;base64,{_b64(encoded.still)}" '
        f'alt="{html.escape(alt)}" width="{width}" height="{height}">'
        f'<script type="application/json" class="mnl-frames">{frames}</script>'
        f"<script>{_asset('animation_player.js')}</script></div>"
    )
