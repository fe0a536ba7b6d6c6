"""Small helpers the chapters share: seeding, figure defaults, and ``glue`` that also works
outside the book build (Colab has no myst-nb)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch so a notebook prints the same outputs on every run."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def glue(name: str, value: Any, display: bool = False) -> None:
    """myst-nb's ``glue`` when available (the book build), else a no-op (Colab, plain Jupyter).

    ``display=True`` still shows the value where myst-nb is missing.
    """
    try:
        from myst_nb import glue as _glue
    except ImportError:
        if display:
            from IPython.display import display as _display

            _display(value)
        return
    _glue(name, value, display=display)


#: The font each language's figures need beyond matplotlib's own DejaVu Sans (which has no
#: Hangul): the distribution that ships it (a dependency of the package, so Colab has it too) and
#: the font's family name. Its files are registered from the installed distribution; the package
#: itself is never imported.
FONTS: dict[str, tuple[str, str]] = {"ko": ("koreanize-matplotlib", "NanumGothic")}


def font_files(language: str) -> list[str]:
    """The font files ``language``'s figures are drawn with (none for English)."""
    from importlib import metadata

    if language not in FONTS:
        return []
    distribution, family = FONTS[language]
    try:
        files = metadata.files(distribution) or []
    except metadata.PackageNotFoundError:
        raise ModuleNotFoundError(
            f"figures in {language!r} need the font package {distribution} "
            f"(pip install {distribution}; mobilenet_lab depends on it)"
        ) from None
    found = [str(f.locate()) for f in files if f.suffix == ".ttf" and f.name.startswith(family)]
    if not found:
        raise FileNotFoundError(f"{distribution} ships no {family} font file")
    return sorted(found)


def setup_plots() -> None:
    """PNG figures (never SVG: nbval would compare their random ids), readable default size, and
    the current language's font (``FONTS``; DejaVu Sans draws what it lacks)."""
    import matplotlib
    from matplotlib import font_manager

    from mobilenet_lab.i18n import get_language

    language = get_language()
    for path in font_files(language):
        font_manager.fontManager.addfont(path)
    family = FONTS[language][1:] if language in FONTS else ()
    matplotlib.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7, 4),
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "mobilenet-lab",
            "font.family": [*family, *matplotlib.rcParamsDefault["font.family"]],
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # pragma: no cover - outside IPython
        pass


def show_table(header: list[str], rows: list[list[object]]) -> None:
    """Show ``rows`` as a table: HTML in the book and in Jupyter, aligned plain text elsewhere
    (the ``text/plain`` fallback is what nbval compares)."""
    import html

    from IPython.display import display

    cells = [[str(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    lines = [list(header), *cells]
    text = "\n".join("  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip() for line in lines)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in cells
    )
    table = f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    display({"text/html": table, "text/plain": text}, raw=True)
