"""CUDA smoke check: run every chapter top to bottom on a machine with a CUDA GPU.

Colab readers switch to a GPU runtime for chapter 8; every chapter must then run unchanged
(each one picks its device once and moves its data there). This runs each notebook with
nbclient in a temporary folder (the committed files are never written) and reports, per
notebook, the time, whether it passed, and how much GPU memory its kernel allocated (0 MB means
the chapter ran on the CPU, which is right for the theory chapters).

Without a CUDA GPU it says so and runs nothing (exit 0; ``--require-gpu`` makes that exit 1).

Usage: python -m booktools.cuda_smoke [--require-gpu] [NB.ipynb ...]   (default: every notebook of the book)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from booktools.book import notebooks as book_notebooks

PROBE = (
    "import torch\n"
    "print('CUDA-PROBE', torch.cuda.is_available(), "
    "torch.cuda.max_memory_allocated() // 2**20 if torch.cuda.is_available() else -1)"
)


def run(path: Path, workdir: Path) -> tuple[float, str, str]:
    """Execute one notebook; return (seconds, problem or "", GPU memory used)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    start = time.perf_counter()
    try:
        NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
        ).execute()
    except CellExecutionError as err:
        return time.perf_counter() - start, str(err)[-1500:], "?"
    seconds = time.perf_counter() - start
    probe = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    fields = probe.split()
    if fields[:2] != ["CUDA-PROBE", "True"]:
        return seconds, f"the kernel did not see CUDA: {probe!r}", "?"
    return seconds, "", f"{fields[2]} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--require-gpu", action="store_true", help="exit 1 without a GPU")
    args = parser.parse_args(argv)
    if not torch.cuda.is_available():
        print(
            "cuda-smoke: NO CUDA GPU on this machine (torch.cuda.is_available() is False, "
            f"torch {torch.__version__}); no notebook was run. Run this where a GPU is."
        )
        return 1 if args.require_gpu else 0
    print(f"cuda-smoke: {torch.cuda.get_device_name(0)}, torch {torch.__version__}", flush=True)
    notebooks = args.notebooks or book_notebooks()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="cuda-smoke-") as tmp:
        for path in notebooks:
            seconds, problem, memory = run(path, Path(tmp))
            status = "FAILED" if problem else "ok"
            print(f"  {path.name}: {status} in {seconds:.1f} s, GPU memory {memory}", flush=True)
            if problem:
                print("    " + problem.replace("\n", "\n    "), flush=True)
            failed += bool(problem)
    print(f"cuda-smoke: {len(notebooks) - failed} of {len(notebooks)} notebooks passed on CUDA")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
