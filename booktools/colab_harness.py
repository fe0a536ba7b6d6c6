"""The cells the Colab-faithful run adds to each notebook it runs, and what it reads back.

Colab has no myst-nb, so ``mobilenet_lab.notebook.glue`` does nothing there. The run adds:

- a **harness** cell after the setup cell: it records every glued value (``text/plain``) and the
  text of every figure a cell shows (titles, labels, legends, annotations: what the
  English-word scan of the translated editions reads, ``tests/test_korean_outputs.py``). With
  ``records=True`` (the translated reader edition, whose outputs the translated site renders) it
  also writes each glued value as myst-nb's ``glue`` does: an output carrying a ``scrapbook``
  record, hidden behind the ``application/papermill.record/`` prefix unless shown
  (``tests/test_upstream_internals.py`` compares it with myst-nb's own);
- a **report** cell at the end: it writes everything it recorded to ``<notebook>.harness.json``,
  checks that the kernel imported the installed wheel, not the repository, and prints the glued
  values nbval compares (the English reader edition's expected output says which).

Both cells carry the tag ``colab-faithful`` and are removed again (:func:`strip`) before a run is
saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

from booktools.cells import BOOK_ONLY
from booktools.code_text import translate_code

TAG = "colab-faithful"
GLUE_PREFIX = "application/papermill.record/"  # myst-nb's (myst_nb.ext.glue.GLUE_PREFIX)

HARNESS = """\
import mobilenet_lab.notebook as _notebook
from IPython.core.formatters import format_display_data as _format
from IPython.display import display as _display
from matplotlib.backend_bases import FigureCanvasBase as _Canvas

_glued, _figure_text, _plain_glue = {}, {}, _notebook.glue


def _recording_glue(name, value, display=False):
    bundle, metadata = _format(value)
    _glued[name] = bundle["text/plain"]
    if not RECORDS:
        return _plain_glue(name, value, display=display)
    prefix = "" if display else "GLUE_PREFIX"
    metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
    _display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def _record_figure_text(figure):
    from matplotlib import text

    _shown.extend(
        t.get_text()
        for t in figure.findobj(text.Text)
        if t.get_visible() and t.get_text().strip()
    )


def _printing(canvas, *args, **kwargs):
    _record_figure_text(canvas.figure)
    return _print_figure(canvas, *args, **kwargs)


def _keep_figure_text(result):
    if _shown:
        _figure_text.setdefault(result.execution_count, []).extend(_shown)
        _shown.clear()


_notebook.glue = _recording_glue
_shown, _print_figure = [], _Canvas.print_figure
_Canvas.print_figure = _printing
get_ipython().events.register("post_run_cell", _keep_figure_text)"""

REPORT = """\
import json
import sys
from pathlib import Path

Path(DUMP).write_text(json.dumps({"glued": _glued, "figure_text": _figure_text}))
_file = Path(_notebook.__file__).resolve()
assert sys.prefix != sys.base_prefix, "the kernel does not run in the venv"
assert _file.is_relative_to(Path(sys.prefix, "lib").resolve()), _file
assert "site-packages" in str(_file), _file
for _name in CHECKED:
    print(f"glued {_name} = {_glued[_name]}")
print("ran the installed wheel")"""


def harness_cell(records: bool) -> nbformat.NotebookNode:
    source = HARNESS.replace("GLUE_PREFIX", GLUE_PREFIX).replace("RECORDS", repr(records))
    return nbformat.v4.new_code_cell(source, metadata={"tags": [TAG]})


def dump_name(name: str) -> str:
    """The file the report cell of notebook ``name`` writes, next to it."""
    return f"{Path(name).stem}.harness.json"


def report_cell(name: str, checked: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The report cell of notebook ``name``; with ``checked`` (glued name → text), its expected
    output for nbval."""
    names = sorted(checked or {})
    source = REPORT.replace("CHECKED", repr(names)).replace("DUMP", repr(dump_name(name)))
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [TAG]})
    if checked is not None:
        glued = "".join(f"glued {key} = {checked[key]}\n" for key in names)
        text = glued + "ran the installed wheel\n"
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def with_harness(cells: list, name: str, records: bool = False) -> list:
    """``cells`` (the first being the setup cell) with the harness after the setup cell and the
    report at the end."""
    return [cells[0], harness_cell(records), *cells[1:], report_cell(name)]


def is_harness(cell: dict[str, Any]) -> bool:
    return TAG in cell.get("metadata", {}).get("tags", [])


def read_dump(folder: Path, name: str) -> dict[str, Any]:
    """What the report cell wrote (``{}`` when it never ran)."""
    path = folder / dump_name(name)
    return json.loads(path.read_text()) if path.exists() else {}


def strip(nb: nbformat.NotebookNode, dump: dict[str, Any]) -> nbformat.NotebookNode:
    """``nb`` without the harness cells; each code cell that left a figure open gets that
    figure's text as ``metadata.figure_text``."""
    texts = {int(count): found for count, found in dump.get("figure_text", {}).items()}
    nb.cells = [cell for cell in nb.cells if not is_harness(cell)]
    for cell in nb.cells:
        found = texts.get(cell.get("execution_count") or -1)
        if cell.cell_type == "code" and found:
            cell.metadata["figure_text"] = found
    return nb


# --- a run's cells, and its outputs where the book shows them ------------------------------------


def _book_only(cell: dict[str, Any]) -> dict[str, Any]:
    """A copy of a book cell, tagged ``book-only`` (what a reader of an edition never sees)."""
    cell = json.loads(json.dumps(cell))
    cell.setdefault("metadata", {}).setdefault("tags", []).append(BOOK_ONLY)
    return cell


def run_cells(edition: dict[str, Any], book: dict[str, Any]) -> list[nbformat.NotebookNode]:
    """The cells to run for one edition: the edition's, in order, with the book's code cells that
    the edition leaves out (cells that only glue: nothing outside the book build needs them) put
    back where they stand, tagged ``book-only``. Copies; code cells matched by id."""
    book_code = [_book_only(c) for c in book["cells"] if c["cell_type"] == "code"]
    position = {cell["id"]: i for i, cell in enumerate(book_code)}
    cells, next_book = [], 0
    for cell in edition["cells"]:
        index = position.get(cell.get("id")) if cell["cell_type"] == "code" else None
        if index is not None:
            cells += [nbformat.from_dict(c) for c in book_code[next_book:index]]
            next_book = index + 1
        cells.append(nbformat.from_dict(json.loads(json.dumps(cell))))
    return cells + [nbformat.from_dict(c) for c in book_code[next_book:]]


def code_digest(nb: dict[str, Any]) -> str:
    """A digest of the book notebook's code cells (ids and sources): a run made from other code
    is stale."""
    import hashlib

    code = [(c.get("id"), "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    return hashlib.sha256(json.dumps(code).encode()).hexdigest()


def ran_this_code(run: dict[str, Any], book: dict[str, Any]) -> bool:
    """Whether a saved run (``booktools.colab_faithful``) ran the book notebook's current code."""
    return run["metadata"].get("colab_faithful", {}).get("book_code_sha256") == code_digest(book)


def with_run_outputs(
    book: dict[str, Any], run: dict[str, Any], translate: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """The book's notebook showing a (translated) run's outputs: every code cell's outputs and
    execution count come from the run's cell of the same id, the widget state from the run; with
    ``translate``, its comments and docstrings are translated too (``code_text.translate_code``)."""
    ran = {c.get("id"): c for c in run["cells"] if c["cell_type"] == "code"}
    shown = json.loads(json.dumps(book))  # a copy
    missing = []
    for cell in shown["cells"]:
        if cell["cell_type"] != "code":
            continue
        if cell.get("id") not in ran:
            missing.append(cell.get("id"))
            continue
        cell["outputs"] = ran[cell["id"]].get("outputs", [])
        cell["execution_count"] = ran[cell["id"]].get("execution_count")
        if translate is not None:
            cell["source"] = translate_code("".join(cell["source"]), translate)
    if missing:
        raise ValueError(f"code cells the run lacks: {missing}")
    shown["metadata"].pop("widgets", None)
    if run["metadata"].get("widgets"):
        shown["metadata"]["widgets"] = run["metadata"]["widgets"]
    return shown
