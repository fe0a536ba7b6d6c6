"""Execute notebooks in place (outputs and widget state saved), as the book build would.

No execution timestamps are recorded (``record_timing=False``): re-running a chapter changes its
outputs only where the outputs change, never its cells' metadata, and nothing may depend on how
long a cell took on whichever machine ran it last (what the autograder skips is a tag,
``skip-grading``: ``booktools.dataflow``).

Usage: python -m booktools.execute book/01_standard_convolution.ipynb [...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> float:
    """Run ``path`` top to bottom in its own folder and write it back; return seconds taken."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{arg}: {execute(Path(arg)):.1f} s", flush=True)
