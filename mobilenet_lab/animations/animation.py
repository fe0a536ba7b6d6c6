"""``ConvAnimation``: one animation's steps and counts, its frames drawn on first use (on a
figure outside pyplot, so a notebook never shows them twice) and shown by the offline player."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from .frames import Encoded, Frames, encode
from .player import player_html
from .steps import Step

INTERVAL_MS = 650  # between two frames when playing


@dataclass
class ConvAnimation:
    """An animation of convolutions computed by real layers, one frame per output position.

    ``steps`` says what each frame shows; ``counts[name]`` is the running mult-adds after each
    frame, for each counter drawn (``"standard"``, ``"separable"``…); ``layers``, ``input`` and
    ``outputs`` are the real layers, their input and their outputs (exact integers). In a
    notebook, an animation shows itself (the offline player); ``to_html()`` gives the same HTML.
    """

    title: str
    alt: str
    steps: list[Step]
    counts: dict[str, tuple[int, ...]]
    layers: dict[str, nn.Conv2d]
    input: torch.Tensor
    outputs: dict[str, torch.Tensor]
    draw: Callable[[], Frames] = field(repr=False)
    _encoded: Encoded | None = field(default=None, repr=False)
    drawn: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def frames(self) -> int:
        """The number of frames: the opening frame, then one per output position."""
        return len(self.steps)

    def encoded(self) -> Encoded:
        """The frames as PNGs (drawn on first use); ``drawn`` is then what the counters drew."""
        if self._encoded is None:
            frames = self.draw()
            self._encoded, self.drawn = encode(frames), dict(frames.drawn)
        return self._encoded

    def to_html(self) -> str:
        """The offline player (frames inline, no URL), with the last frame as its still."""
        return player_html(self.encoded(), self.alt, INTERVAL_MS, self.title)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<ConvAnimation: {self.title} ({self.frames} frames)>"
