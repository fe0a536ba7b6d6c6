"""The Korean student edition of every notebook, executed (``tests/test_student_edition.py``)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from booktools import book as registry
from booktools import colab_faithful

LANGUAGE, EDITION = "ko", "student"


def saved_run(edition: Path) -> nbformat.NotebookNode | None:
    """The Colab-faithful run of this edition's notebook (``make colab``), if it ran this very
    edition (same digest); else None."""
    saved = colab_faithful.run_path(EDITION, LANGUAGE, edition.name)
    if not saved.exists():
        return None
    nb = nbformat.read(saved, as_version=4)
    ran = nb.metadata.get("colab_faithful", {}).get("edition_sha256")
    return nb if ran == hashlib.sha256(edition.read_bytes()).hexdigest() else None


@pytest.fixture(scope="session")
def student_runs(tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """The Korean student edition of every notebook, executed as ``make colab`` runs it (what its
    stubs reach; the English one has the same code, ``tests/test_korean_outputs.py``):
    the Colab-faithful run's notebooks where they ran the current edition, else run here with the
    same harness (two at a time)."""
    from booktools.editions import write_editions

    out = tmp_path_factory.mktemp("editions")
    paths = write_editions(registry.notebooks(), out, LANGUAGE)[EDITION]
    runs = {p.name: saved_run(p) for p in paths}
    todo = [p for p in paths if runs[p.name] is None]
    folder = tmp_path_factory.mktemp("runs")
    with ProcessPoolExecutor(max_workers=2) as pool:
        ran = pool.map(
            colab_faithful.run_here,
            todo,
            [LANGUAGE] * len(todo),
            [EDITION] * len(todo),
            [folder] * len(todo),
        )
        runs.update(zip([p.name for p in todo], ran))
    return runs
