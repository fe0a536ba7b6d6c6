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


def setup_plots() -> None:
    """PNG figures (never SVG: nbval would compare their random ids), readable default size."""
    import matplotlib

    matplotlib.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7, 4),
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "mobilenet-lab",
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
