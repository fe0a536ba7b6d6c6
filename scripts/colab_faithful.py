"""Colab-faithful test: run every chapter's reader edition the way a Colab reader would.

Colab users open the reader edition (``make notebooks`` → ``_build/notebooks/reader/``), so that
is what runs here, not the MyST source.

A fresh virtual environment (``_build/colab-venv``) holds only torch (the pinned CPU wheel), the
notebook tooling and ``mobilenet_lab`` installed *non-editable from a built wheel*; the notebooks
are copied to a temporary folder outside the repository, so nothing can import the working tree.
Every notebook must run top to bottom, and its setup cell must not fire its ``%pip install``
(the package is installed, so the cell prints nothing). A probe cell appended to each copy checks
that the kernel imported the installed package, not the repository's.

The environment is reused while its inputs (the pins below, from requirements.txt) are unchanged;
the wheel is rebuilt and reinstalled on every run.
Usage: python scripts/colab_faithful.py [NB ...]   (default: _build/notebooks/reader/*.ipynb)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "_build" / "colab-venv"
WHEELS = ROOT / "_build" / "wheel"
# What Colab has (besides much else) and the notebooks may use; versions from requirements.txt.
TOOLING = [
    "torch",
    "nbclient",
    "nbformat",
    "ipykernel",
    "ipywidgets",
    "matplotlib",
    "scikit-learn",
    "tqdm",
    "torchinfo",
]
PROBE = "import mobilenet_lab, sys\nprint('PROBE', mobilenet_lab.__file__, sys.executable)"


def pins() -> list[str]:
    """``name==version`` for the tooling, as locked in requirements.txt."""
    locked = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            locked[name.strip().lower().replace("_", "-")] = version.strip()
    return [f"{name}=={locked[name]}" for name in TOOLING]


def run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def prepare_venv() -> Path:
    """Create (or reuse) the venv, then build and install the package wheel; return its python."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".inputs"
    inputs = json.dumps({"pins": pins(), "python": sys.version}, sort_keys=True)
    if not (python.exists() and stamp.exists() and stamp.read_text() == inputs):
        shutil.rmtree(VENV, ignore_errors=True)
        run(sys.executable, "-m", "venv", VENV)
        run(python, "-m", "pip", "install", "-q", *pins())
        stamp.write_text(inputs)
    shutil.rmtree(WHEELS, ignore_errors=True)
    run(python, "-m", "pip", "wheel", "-q", "--no-deps", ".", "-w", WHEELS)
    (wheel,) = WHEELS.glob("mobilenet_lab-*.whl")
    run(python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel)
    run(python, "-m", "pip", "install", "-q", wheel)  # the package's own dependencies, if new
    return python


def execute(path: str) -> tuple[str, float, list[str]]:
    """Run one copied notebook (inside the venv); return (name, seconds, problems)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    start = time.perf_counter()
    problems = []
    try:
        NotebookClient(
            nb,
            timeout=900,
            kernel_name="python3",
            resources={"metadata": {"path": str(Path(path).parent)}},
        ).execute()
    except CellExecutionError as err:
        problems.append(f"a cell failed:\n{str(err)[-2000:]}")
    seconds = time.perf_counter() - start
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    if code[0].get("outputs"):
        problems.append(f"the setup cell printed something (did %pip fire?): {code[0].outputs}")
    probe = "".join(o.get("text", "") for o in code[-1].get("outputs", []))
    if probe.startswith("PROBE "):
        module, executable = probe.split()[1:3]
        installed = Path(sys.prefix, "lib").resolve()
        if not Path(module).resolve().is_relative_to(installed) or "site-packages" not in module:
            problems.append(f"the kernel imported mobilenet_lab from {module}, not the wheel")
        if Path(executable).resolve() != Path(sys.executable).resolve():
            problems.append(f"the kernel ran {executable}, not the venv's python")
    elif not problems:
        problems.append(f"the probe cell printed {probe!r}")
    return Path(path).name, seconds, problems


def run_copies(paths: list[str]) -> int:
    """Inside the venv: run the copies two at a time and report."""
    failed = 0
    with ProcessPoolExecutor(max_workers=2) as pool:
        for future in as_completed([pool.submit(execute, path) for path in paths]):
            name, seconds, problems = future.result()
            print(f"  {name}: {seconds:.1f} s {'FAILED' if problems else 'ok'}", flush=True)
            for problem in problems:
                print(f"    {problem}", flush=True)
            failed += bool(problems)
    return failed


def main(argv: list[str]) -> int:
    if argv[:1] == ["--execute"]:
        return 1 if run_copies(argv[1:]) else 0
    reader = ROOT / "_build" / "notebooks" / "reader"
    notebooks = [Path(a).resolve() for a in argv] or sorted(reader.glob("*.ipynb"))
    if not notebooks:
        print("colab-faithful: no reader edition: run `make notebooks` first")
        return 1
    start = time.perf_counter()
    python = prepare_venv()
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        copies = []
        for nb in notebooks:
            shutil.copy(nb, tmp)
            copies.append(str(Path(tmp) / nb.name))
        shutil.copy(__file__, Path(tmp) / "_runner.py")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
        result = subprocess.run(
            [str(python), "-I", str(Path(tmp) / "_runner.py"), "--execute", *copies],
            cwd=tmp,
            env=env,
        )
    status = "passed" if result.returncode == 0 else "FAILED"
    print(
        f"colab-faithful: {len(notebooks)} notebooks {status} in {time.perf_counter() - start:.0f} s"
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
