"""How an animation's frames are stored: a background, small additive layers, vector lines, and
a still.

A frame has two parts. What only ever *accumulates* (the output cells written so far, and the
counters) is raster: each frame stores only the pixels that changed since the previous frame
(the others transparent), and the player stacks these layers on the background. What *moves*
(the lines from windows to filters and the highlighted windows) is vector: a few SVG shapes per
frame, in the frame's pixel coordinates. The still (the last frame, drawn whole by matplotlib)
is what readers see without JavaScript, in print and with reduced motion.

PNGs are palette images sharing the still's palette (no colour flicker), without dithering or
metadata, and SVG numbers have one decimal: the same software gives the same bytes on every run.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

TRANSPARENT = 31  # the palette's last index: 31 colours, then "transparent"
UNKNOWN = 255  # in a colour table: not looked up yet
KEY_COLOURS = 16  # colours kept exactly, the most common first ...
KEY_SHARE = 0.002  # ... if they cover at least this share of the pixels


@dataclass(frozen=True)
class Frames:
    """What a renderer drew (RGB arrays): the picture before any step, each frame's raster
    part, each frame's vector part (SVG shapes), the still, and the mult-adds each counter
    drew."""

    background: np.ndarray
    layers: list[np.ndarray]
    shapes: list[str]
    still: np.ndarray
    drawn: dict[str, int]
    colours: list[tuple[int, int, int]]  # colours to keep exactly (thin lines and highlights)


@dataclass(frozen=True)
class Encoded:
    """The stored animation: background, per-frame changes (PNG) and shapes (SVG), the still."""

    background: bytes
    changes: list[bytes]
    shapes: list[str]
    still: bytes
    size: tuple[int, int]


def _points(artist) -> np.ndarray:
    """A line's points, or a rectangle outline's corners (closed), in display pixels."""
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D):
        return artist.get_transform().transform(artist.get_xydata())
    x0, y0, x1, y1 = artist.get_transform().transform([(0, 0), (1, 1)]).ravel()
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])


def svg_shapes(fig, artists: list) -> str:
    """The visible lines and rectangle outlines of ``artists`` as SVG paths (one per colour
    and width), in whole pixels from the figure's top-left corner."""
    from matplotlib import colors
    from matplotlib.lines import Line2D

    height, scale = fig.bbox.height, fig.dpi / 72
    paths: dict[tuple[str, str], list[str]] = {}
    for artist in (a for a in artists if a.get_visible()):
        colour = artist.get_color() if isinstance(artist, Line2D) else artist.get_edgecolor()
        key = (colors.to_hex(colour), f"{artist.get_linewidth() * scale:.1f}")
        xy = np.rint(_points(artist)).astype(int)
        moves = "L".join(f"{x} {int(height) - y}" for x, y in xy)
        paths.setdefault(key, []).append(f"M{moves}")
    return "".join(
        f'<path d="{"".join(d)}" stroke="{colour}" stroke-width="{width}"/>'
        for (colour, width), d in paths.items()
    )


def _png(indices: np.ndarray, palette: list[int], transparent: bool = False) -> bytes:
    from PIL import Image

    image = Image.fromarray(indices, mode="P")
    image.putpalette(palette)
    buffer = io.BytesIO()
    extra = {"transparency": TRANSPARENT} if transparent else {}
    image.save(buffer, format="png", optimize=True, **extra)
    return buffer.getvalue()


def palette_of(image: np.ndarray, exact: list[tuple[int, int, int]]) -> np.ndarray:
    """``TRANSPARENT`` colours for ``image`` (RGB): its most common colours (white, the channel
    colours, the greys of cells and text) and the ``exact`` ones, then a median cut of the
    other (anti-aliased) pixels."""
    from PIL import Image

    pixels = image.reshape(-1, 3)
    codes, counts = np.unique(_codes(image), return_counts=True)
    order = np.argsort(-counts, kind="stable")[:KEY_COLOURS]
    common = codes[order[counts[order] >= KEY_SHARE * len(pixels)]]
    extra = _codes(np.array(exact, dtype=np.int32))
    keys = np.concatenate([common, extra[~np.isin(extra, common)]])
    others = pixels[~np.isin(_codes(image), keys)]
    keys = _rgb(keys)
    wanted = TRANSPARENT - len(keys)
    if len(others) == 0:
        return keys
    cut = Image.fromarray(others[None]).quantize(
        wanted, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    used = len(cut.getcolors(wanted))
    return np.concatenate([keys, np.array(cut.getpalette()[: 3 * used]).reshape(-1, 3)])


def _codes(image: np.ndarray) -> np.ndarray:
    """Each pixel's colour as one int (``0xRRGGBB``), flattened."""
    rgb = image.reshape(-1, 3).astype(np.int32)
    return (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


def _rgb(codes: np.ndarray) -> np.ndarray:
    return np.stack([(codes >> 16) & 255, (codes >> 8) & 255, codes & 255], axis=-1)


def nearest(image: np.ndarray, palette: np.ndarray, table: np.ndarray | None = None) -> np.ndarray:
    """Each pixel's index in ``palette``: its exact nearest colour (the first on ties).

    ``table`` (``2**24`` entries, ``UNKNOWN`` where not computed yet) remembers the answers
    across the frames of one animation, which share most of their colours."""
    codes = _codes(image)
    if table is None:
        table = np.full(1 << 24, UNKNOWN, dtype=np.uint8)
    new = np.unique(codes[table[codes] == UNKNOWN])
    if len(new):
        distance = (_rgb(new)[:, None, :] - palette[None].astype(np.int32)) ** 2
        table[new] = distance.sum(axis=-1).argmin(axis=1)
    return table[codes].reshape(image.shape[:2])


def encode(frames: Frames) -> Encoded:
    """Palette PNGs of the background, of each frame's changes and of the still."""
    colours = palette_of(frames.still, frames.colours)
    padding = [0] * (3 * (TRANSPARENT - len(colours)))
    palette = [int(v) for v in colours.ravel()] + padding + [255, 0, 255]
    table = np.full(1 << 24, UNKNOWN, dtype=np.uint8)
    previous = nearest(frames.background, colours, table)
    changes = []
    for layer in frames.layers:
        current = nearest(layer, colours, table)
        change = current.copy()
        change[current == previous] = TRANSPARENT
        changes.append(_png(change, palette, transparent=True))
        previous = current
    height, width = frames.background.shape[:2]
    return Encoded(
        _png(nearest(frames.background, colours, table), palette),
        changes,
        list(frames.shapes),
        _png(nearest(frames.still, colours, table), palette),
        (width, height),
    )
