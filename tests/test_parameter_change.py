"""A learner who changes a chapter's layer breaks no check (issue 19).

Chapters 1–4 invite the reader to try other values of ``k`` (D_K), ``m`` (M) and ``n`` (N) in one
parameter cell. Their hidden checks assert relations (formula == count) or skip a comparison with
the blog's numbers when the parameters are not the book's, so the whole chapter must still run.
This test does what such a reader does: it takes the reader edition of each chapter (what Colab
opens, hidden checks included), changes the parameter cell to other values, and runs every cell
with nbclient; any error, an ``AssertionError`` above all, fails it. One variant per chapter
(odd kernels other than 3 and channel counts other than the book's), run two at a time.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from booktools import book as registry
from booktools.editions import edition_notebook, load_book

ROOT = registry.ROOT

#: chapter file -> (the parameter line as the book has it, the learner's version)
VARIANTS = {
    "01_standard_convolution.ipynb": ("k, n = 3, 16  #", "k, n = 5, 8  #"),
    "02_depthwise_convolution.ipynb": ("k, m = 3, 3  #", "k, m = 5, 4  #"),
    "03_pointwise_convolution.ipynb": ("n = 16  #", "n = 7  #"),
    "04_depthwise_separable_convolution.ipynb": ("k, n = 3, 16  #", "k, n = 5, 24  #"),
}


def learner_edition(name: str) -> nbformat.NotebookNode:
    """The reader edition of chapter ``name`` with its parameter cell changed."""
    path = ROOT / "book" / name
    nb = edition_notebook(
        nbformat.read(path, as_version=4), "reader", load_book(), registry.page_of(path), name
    )
    book_line, learner_line = VARIANTS[name]
    cells = [c for c in nb.cells if c.cell_type == "code" and book_line in c.source]
    assert len(cells) == 1, f"{name}: expected one parameter cell with {book_line!r}"
    cells[0].source = cells[0].source.replace(book_line, learner_line)
    return nb


def run(name: str) -> list[str]:
    """Run the learner's edition of ``name``; the errors of its cells (none when it passes)."""
    from nbclient import NotebookClient

    nb = learner_edition(name)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(ROOT)}},
    ).execute()
    return [
        f"{name}, cell {i}: {out.ename}: {out.evalue}\n{cell.source[:400]}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.output_type == "error"
    ]


@pytest.fixture(scope="module")
def errors() -> dict[str, list[str]]:
    with ProcessPoolExecutor(max_workers=2) as pool:
        return dict(zip(VARIANTS, pool.map(run, VARIANTS)))


def test_the_variants_change_the_book_parameters():
    for name in VARIANTS:
        source = "".join(c.source for c in learner_edition(name).cells)
        assert VARIANTS[name][1] in source and VARIANTS[name][0] not in source


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_changed_layer_raises_nothing(errors, name):
    assert not errors[name], "\n\n".join(errors[name])


def test_every_chapter_with_a_parameter_cell_is_covered():
    chapters = sorted(p.name for p in (ROOT / "book").glob("0[1-4]_*.ipynb"))
    assert chapters == sorted(VARIANTS)


def test_the_book_cells_are_the_ones_changed():
    """The parameter lines are the book's (so the test follows an edit of the cell)."""
    for name, (book_line, _) in VARIANTS.items():
        text = Path(ROOT / "book" / name).read_text("utf-8")
        assert text.count(book_line) == 1, name
