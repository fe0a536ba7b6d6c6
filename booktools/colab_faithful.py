"""Colab-faithful run: both notebook editions, executed the way a Colab user runs them.

Colab users open the notebook editions (``make notebooks`` → ``_build/notebooks/``), so those are
what run here, not the MyST source. A fresh virtual environment (``_build/colab-venv``) holds only
torch (the pinned CPU wheel), the notebook tooling and ``mobilenet_lab`` installed *non-editable
from a built wheel*; the notebooks are copied to a temporary folder outside the repository, so
nothing can import the working tree. Each chapter runs once per edition, both editions at once,
one thread each (two cores):

- **reader edition, under nbval** (strict, ``tests/nbval_sanitize.cfg``): every output must equal
  the committed one of ``book/``, which the HTML book renders. The copy that runs is the reader
  edition with the book's committed outputs put back as the expected outputs (the edition clears
  the check cells' outputs and drops glue records), plus the build's glue-only cells (they only
  glue). Colab has no myst-nb, so ``glue`` is recorded by a cell inserted after the setup cell and
  a last cell prints every glued value: it must equal what the book build glued into the prose
  (except values glued by cells whose outputs nbval ignores, as nbval does).
  That last cell also checks that the kernel imported the installed wheel, not the repository.
  The setup cell's expected output is empty: its ``%pip install`` must not fire.
- **student edition**, every cell run (errors kept): no cell may raise unless tagged
  ``raises-exception``, and every checker must say "Not done yet". The executed notebooks are
  saved in ``_build/colab-runs/student/`` with a digest of their source edition, for
  ``tests/test_student_edition.py``.

The environment is reused while its inputs (the pins below, from requirements.txt) are unchanged;
the wheel is rebuilt and reinstalled on every run.
Usage: python -m booktools.colab_faithful [NAME.ipynb ...]   (default: every notebook)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from booktools import book as registry
from booktools import colab_runner
from booktools.book import ROOT
from booktools.cells import tags
from booktools.glue import glue_values, glued_names, is_hidden_record

VENV = ROOT / "_build" / "colab-venv"
WHEELS = ROOT / "_build" / "wheel"
EDITIONS = ROOT / "_build" / "notebooks"
RUNS = ROOT / "_build" / "colab-runs"
# What Colab has (besides much else) and the notebooks may use, plus the test runner (pytest and
# nbval run outside the kernel); versions from requirements.txt.
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
    "safetensors",
    "pytest",
    "nbval",
]

RECORDER = """\
import mobilenet_lab.notebook as _notebook

_glued, _plain_glue = {}, _notebook.glue


def _recording_glue(name, value, display=False):
    text = get_ipython().display_formatter.format(value)[0]["text/plain"]
    _glued[name] = text
    _plain_glue(name, value, display=display)


_notebook.glue = _recording_glue"""

REPORT = """\
import sys
from pathlib import Path

_file = Path(_notebook.__file__).resolve()
assert sys.prefix != sys.base_prefix, "the kernel does not run in the venv"
assert _file.is_relative_to(Path(sys.prefix, "lib").resolve()), _file
assert "site-packages" in str(_file), _file
for _name in sorted(_glued):
    print(f"glued {_name} = {_glued[_name]}")
print("ran the installed wheel")"""


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


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the reader edition under nbval -----------------------------------------------------------


def nbval_copy(reader: dict, book: dict) -> dict:
    """The reader edition with the book's committed outputs as expected outputs, the build's
    glue-only cells put back, a glue recorder after the setup cell and the report at the end."""
    import nbformat

    readers = {c["id"]: c for c in reader["cells"] if c["cell_type"] == "code"}
    cells, seen_code = [], False
    markdown = iter([c for c in reader["cells"] if c["cell_type"] != "code"])
    for cell in book["cells"]:
        if cell["cell_type"] != "code":
            continue
        kept = readers.get(cell["id"])
        copy = nbformat.from_dict(kept if kept is not None else cell)
        copy.outputs = [o for o in cell.get("outputs", []) if not is_hidden_record(o)]
        copy.execution_count = cell.get("execution_count")
        cells.append(copy)
        if not seen_code:
            cells.append(nbformat.v4.new_code_cell(RECORDER))
            seen_code = True
    missing = set(readers) - {c.get("id") for c in cells}
    if missing:
        raise ValueError(f"code cells of the reader edition not in the book: {sorted(missing)}")
    # Values glued by cells whose outputs nbval ignores (training results: they differ with the
    # thread count and the hardware, and the chapter asserts ranges instead) are not compared.
    ignored = set().union(
        *(glued_names(cell) for cell in book["cells"] if "nbval-ignore-output" in tags(cell))
    )
    checked = {k: v for k, v in glue_values(book).items() if k not in ignored}
    glued = "".join(f"glued {name} = {text}\n" for name, text in sorted(checked.items()))
    source = REPORT.replace("sorted(_glued)", repr(sorted(checked)))
    report = nbformat.v4.new_code_cell(source, execution_count=len(cells) + 1)
    report.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=glued + "ran the installed wheel\n")
    ]
    cells.append(report)
    out = nbformat.v4.new_notebook(metadata=reader["metadata"])
    out.cells = list(markdown)[:1] + cells  # the title cell, then the code
    return out


# --- both, from the repository ----------------------------------------------------------------


def main(argv: list[str]) -> int:
    import nbformat

    names = [Path(a).name for a in argv] or [p.name for p in registry.notebooks()]
    if not all((EDITIONS / "reader" / name).exists() for name in names):
        print("colab-faithful: no notebook editions: run `make notebooks` first")
        return 1
    start = time.perf_counter()
    python = prepare_venv()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}", OMP_NUM_THREADS="1")
    saved = RUNS / "student"
    shutil.rmtree(saved, ignore_errors=True)
    saved.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        readers, students = Path(tmp, "reader"), Path(tmp, "student")
        readers.mkdir()
        students.mkdir()
        for name in names:
            reader = nbformat.read(EDITIONS / "reader" / name, as_version=4)
            book = nbformat.read(ROOT / "book" / name, as_version=4)
            nbformat.write(nbval_copy(reader, book), readers / name)
            shutil.copy(EDITIONS / "student" / name, students / name)
        shutil.copy(ROOT / "tests" / "nbval_sanitize.cfg", tmp)
        # timm's small network, which chapters 9 and 10 compare with when a clone has it beside
        # book/ (Colab has not: there they say "skipped"); the book's outputs are a clone's.
        shutil.copytree(ROOT / "tests" / "fixtures", Path(tmp) / "tests" / "fixtures")
        shutil.copy(colab_runner.__file__, Path(tmp) / "_runner.py")
        nbval = subprocess.Popen(
            [
                str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                "--nbval-current-env", "--nbval-sanitize-with", "nbval_sanitize.cfg",
                "--durations=12", *(f"reader/{name}" for name in names),
            ],
            cwd=tmp,
            env=env,
        )  # fmt: skip
        student = subprocess.run(
            [str(python), "-I", "_runner.py", *(f"student/{n}" for n in names)],
            cwd=tmp,
            env=env,
        )
        nbval.wait()
        for name in names:
            nb = nbformat.read(students / name, as_version=4)
            nb.metadata["colab_faithful"] = {"edition_sha256": digest(EDITIONS / "student" / name)}
            nbformat.write(nb, saved / name)
    failed = nbval.returncode != 0 or student.returncode != 0
    print(
        f"colab-faithful: {len(names)} chapters, reader edition under nbval "
        f"{'FAILED' if nbval.returncode else 'passed'}, student edition "
        f"{'FAILED' if student.returncode else 'ran'} (checked by tests/test_student_edition.py),"
        f" in {time.perf_counter() - start:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
