"""Run student notebooks as a Colab user does: every cell, keeping going after errors.

The Colab-faithful run (:mod:`booktools.colab_faithful`) copies this file next to the copied
notebooks and runs it with the fresh venv's Python in isolated mode (``python -I``), so it
imports nothing from the repository: only ``nbformat`` and ``nbclient``.

Usage (inside that venv): python -I _runner.py student/NAME.ipynb [...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any


def execute(path: Path, timeout: int = 900) -> Any:
    """Run one notebook in its own folder, keeping going after errors (they are checked after);
    return the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    ).execute()
    return nb


def run_students(paths: list[str]) -> int:
    """The student copies one after the other (the reader's nbval runs beside), each saved."""
    import nbformat

    for path in paths:
        start = time.perf_counter()
        nbformat.write(execute(Path(path)), path)
        print(f"  student {Path(path).name}: {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run_students(sys.argv[1:]))
