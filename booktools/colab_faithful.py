"""Colab-faithful run: the notebook editions, executed the way a Colab user runs them.

Colab users open the notebook editions (``make notebooks`` → ``_build/notebooks/``), so those are
what run here, not the MyST source. A fresh virtual environment (``_build/colab-venv``) holds only
torch (the pinned CPU wheel), the notebook tooling and ``mobilenet_lab`` installed *non-editable
from a built wheel* (with its dependencies: the Korean font); the notebooks are copied to a
temporary folder outside the repository, so nothing can import the working tree. Three editions
of every chapter run, one thread per notebook, two notebooks at once (a job queue, the longest
first):

- **English reader edition, under nbval** (strict, ``tests/nbval_sanitize.cfg``): every output
  must equal the committed one of ``book/``, which the English site renders. The copy that runs is
  the reader edition with the book's committed outputs put back as the expected outputs (the
  edition clears the check cells' outputs and drops glue records), plus the build's glue-only
  cells (they only glue). Colab has no myst-nb, so glued values are recorded by a harness cell
  after the setup cell and a last cell prints them: they must equal what the book build glued into
  the prose (except values glued by cells whose outputs nbval ignores, as nbval does). That last
  cell also checks that the kernel imported the installed wheel, not the repository
  (``booktools.colab_harness``). The setup cell's expected output is empty: its ``%pip install``
  must not fire.
- **Korean reader edition** (``ko-reader``), every cell run: no cell may raise unless tagged
  ``raises-exception``. Its outputs are Korean (figure labels, tables, feedback: the edition sets
  the language) and are what the **Korean site renders** (``booktools.translation html``, cells
  matched by id): the run is saved in ``_build/colab-runs/ko/reader/`` with a digest of the
  book's code it ran, its glued values written as myst-nb writes them. Every glued value must
  equal the English run's, except text, whose words may differ by language but whose numbers may
  not (values glued by cells whose outputs nbval ignores, such as timings, are not compared).
  **A run of exactly this code is not run again**: ``make execute`` keeps each translated run
  (reader and student) in the repository (``locale/ko/runs/<edition>/``) with a digest of what
  ran (:func:`run_key`: the notebook's code as it runs, the package's files (catalogs
  included), the pins, the runner); when the committed run's digest is the job's, it is reused
  (a reader run's crash check and glue comparison with this English run are made again, a
  student run is checked by ``tests/test_student_edition.py`` as always), else the job runs and
  a note says the committed run is out of date. The English run is never reused: it is the test
  that the book's committed outputs reproduce in a Colab-like environment.
- **Korean student edition** (``ko-student``): the cells its stubs can reach run (errors kept):
  the solutions' stubs, every cell that reads what they bind (the check cells), and what those
  cells need (``dataflow.stub_reach``); every other cell is the reader edition's code with the
  same inputs, run above. It replaces the English student edition, whose code is the same but for
  comments, docstrings, ``#@title`` lines and the language cell (``tests/test_korean_outputs.py``
  checks). Saved in ``_build/colab-runs/ko/student/`` with a digest of its source edition, for
  ``tests/test_student_edition.py`` (no crash, every checker "not done yet").

The environment is reused while its inputs (the pins below, from requirements.txt) are unchanged;
the wheel is rebuilt and reinstalled on every run. Each job's CPU time (its processes and the
kernel's) is printed, and the stage's total.

Usage: python -m booktools.colab_faithful [--editions en-reader,ko-reader,ko-student] [--commit]
[NAME ...] (default: every edition of every notebook; ``make book`` runs ``--editions ko-reader``;
``--commit``: the translated runs are written to ``locale/<lang>/runs/`` too, as ``make execute``
does)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from booktools import book as registry
from booktools import colab_harness as harness
from booktools import colab_runner
from booktools.book import ROOT
from booktools.cells import tags
from booktools.dataflow import stub_reach
from booktools.glue import glue_values, glued_names, is_hidden_record

VENV = ROOT / "_build" / "colab-venv"
WHEELS = ROOT / "_build" / "wheel"
EDITIONS = ROOT / "_build" / "notebooks"
RUNS = ROOT / "_build" / "colab-runs"
JOBS = ("en-reader", "ko-reader", "ko-student")
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
        run(python, "-m", "pip", "install", "-q", "--no-compile", *pins())
        stamp.write_text(inputs)
    shutil.rmtree(WHEELS, ignore_errors=True)
    run(python, "-m", "pip", "wheel", "-q", "--no-deps", ".", "-w", WHEELS)
    (wheel,) = WHEELS.glob("mobilenet_lab-*.whl")
    run(python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel)
    run(python, "-m", "pip", "install", "-q", wheel)  # the package's own dependencies, if new
    return python


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_path(edition: str, language: str, name: str) -> Path:
    """Where a saved run of one edition lies: ``_build/colab-runs/ko/student/NN_….ipynb``."""
    return RUNS / registry.language_folder(language) / edition / name


def edition_path(edition: str, language: str, name: str) -> Path:
    return EDITIONS / registry.language_folder(language) / edition / name


def committed_path(language: str, edition: str, name: str) -> Path:
    """Where the repository keeps a translated run: ``locale/ko/runs/reader/NN_….ipynb``."""
    return ROOT / "locale" / language / "runs" / edition / name


# What a run's outputs depend on besides its own code: the package (every file the wheel
# installs), the pins, timm's fixture (chapters 9 and 10) and the runner; and the package's
# metadata (pyproject.toml's [project] table: its dependencies), not the tools' settings there.
RUN_INPUTS = ("mobilenet_lab", "requirements.txt", "tests/fixtures")


def inputs_digest() -> str:
    """A digest of :data:`RUN_INPUTS` (the tracked files, as they are in the working tree), the
    package's metadata and this Python's version."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", *RUN_INPUTS], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    files = sorted({*filter(None, listed.split("\0")), "booktools/colab_runner.py"})
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    h = hashlib.sha256(json.dumps([sys.version_info[:2], project], sort_keys=True).encode())
    for name in files:
        h.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return h.hexdigest()


def run_key(nb: dict, inputs: str) -> str:
    """A digest of everything a run's outputs depend on: the code of the notebook as it runs
    (cell by cell, the harness included) and :func:`inputs_digest`."""
    code = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
    return hashlib.sha256(json.dumps([code, inputs]).encode()).hexdigest()


# --- the notebooks that run -------------------------------------------------------------------


def ignored_glue(book: dict) -> set[str]:
    """Values glued by cells whose outputs nbval ignores (training results, timings: they differ
    with the thread count and the hardware, and the chapter asserts ranges instead)."""
    return set().union(
        *(glued_names(cell) for cell in book["cells"] if "nbval-ignore-output" in tags(cell))
    )


def nbval_copy(reader: dict, book: dict, name: str) -> nbformat.NotebookNode:
    """The English reader edition with the book's committed outputs as expected outputs, the
    build's glue-only cells put back, the harness after the setup cell and the report, which
    expects every glued value nbval checks, at the end."""
    committed = {c["id"]: c for c in book["cells"] if c["cell_type"] == "code"}
    cells = [c for c in harness.run_cells(reader, book) if c.cell_type == "code"]
    for cell in cells:
        source = committed.get(cell.get("id")) or {}
        cell.outputs = [o for o in source.get("outputs", []) if not is_hidden_record(o)]
        cell.execution_count = source.get("execution_count")
    ignored = ignored_glue(book)
    checked = {k: v for k, v in glue_values(book).items() if k not in ignored}
    cells = [*harness.with_harness(cells, name)[:-1], harness.report_cell(name, checked)]
    cells[-1].execution_count = len(cells)
    out = nbformat.v4.new_notebook(metadata=reader["metadata"])
    title = next(c for c in reader["cells"] if c["cell_type"] == "markdown")
    out.cells = [nbformat.from_dict(title), *cells]
    return out


def stub_cells(student: dict) -> list[dict]:
    """The cells of a student edition that its run executes: the Markdown, and the code that the
    stubs can change or that such code needs (``dataflow.stub_reach``); the rest is the reader
    edition's code with the same inputs, which the reader run has run."""
    code = [c for c in student["cells"] if c["cell_type"] == "code"]
    keep = {id(c) for c, kept in zip(code, stub_reach(code)) if kept}
    return [c for c in student["cells"] if c["cell_type"] != "code" or id(c) in keep]


def run_copy(edition: dict, book: dict, name: str, records: bool) -> nbformat.NotebookNode:
    """An edition as it runs, with the harness and the report; ``records`` (a reader edition
    whose outputs a site renders): the book's glue-only cells put back, glued values recorded;
    else a student edition, of which only what the stubs can reach runs (:func:`stub_cells`)."""
    out = nbformat.from_dict(json.loads(json.dumps(edition)))
    if not records:
        out.cells = stub_cells(out)
    cells = harness.run_cells(edition, book) if records else list(out.cells)
    setup = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    out.cells = harness.with_harness(cells[setup:], name, records)
    out.cells[:0] = cells[:setup]
    return out


# --- the jobs -----------------------------------------------------------------------------------


@dataclass
class Job:
    """One edition of one notebook, run in ``folder`` (``<tmp>/<kind>/``)."""

    kind: str  # one of JOBS
    name: str
    folder: Path
    returncode: int = -1
    cpu_s: float = 0.0
    wall_s: float = 0.0
    key: str = ""  # run_key of the notebook it runs
    reused: bool = False  # a committed run of the same key stands in for it

    @property
    def path(self) -> Path:
        return self.folder / self.name

    def command(self, python: Path) -> list[str]:
        if self.kind == "en-reader":
            return [
                str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                "--nbval-current-env", "--nbval-sanitize-with", "../nbval_sanitize.cfg",
                self.name,
            ]  # fmt: skip
        return [str(python), "-I", "../_runner.py", self.name]


def prepare(job: Job, inputs: str) -> None:
    """Write the notebook ``job`` runs, and note its :func:`run_key`."""
    language, edition = job.kind.split("-")
    source = nbformat.read(edition_path(edition, language, job.name), as_version=4)
    book = nbformat.read(ROOT / "book" / job.name, as_version=4)
    if job.kind == "en-reader":
        nb = nbval_copy(source, book, job.name)
    else:
        nb = run_copy(source, book, job.name, records=edition == "reader")
    job.folder.mkdir(exist_ok=True)
    nbformat.write(nb, job.path)
    job.key = run_key(nb, inputs)


def commits(job: Job) -> bool:
    """Whether the repository keeps this job's runs: a translated edition's (the English reader
    edition's run under nbval is the test that the book's committed outputs reproduce)."""
    return not job.kind.startswith("en-")


def reuse(job: Job) -> bool:
    """Put the committed run of ``job`` where its run goes, if it ran the same key (a student
    run is then marked as the run of the current edition, whose code it ran: only the code of
    an edition runs, :func:`run_key`)."""
    language, edition = job.kind.split("-")
    committed = committed_path(language, edition, job.name)
    if not (commits(job) and committed.exists()):
        return False
    nb = nbformat.read(committed, as_version=4)
    if nb.metadata.get("colab_faithful", {}).get("run_sha256") != job.key:
        print(
            f"  {job.kind} {job.name}: the committed run is out of date (`make execute` renews it)"
        )
        return False
    nb.metadata["colab_faithful"]["edition_sha256"] = digest(
        edition_path(edition, language, job.name)
    )
    target = run_path(edition, language, job.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    job.reused = True
    print(
        f"  {job.kind} {job.name}: reused {os.path.relpath(committed, ROOT)} (same code and inputs)"
    )
    return True


def execute(job: Job, python: Path, env: dict[str, str]) -> Job:
    """Run one job; its CPU time counts the kernel too (``wait4`` sums the reaped children)."""
    start = time.perf_counter()
    process = subprocess.Popen(job.command(python), cwd=job.folder, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    job.returncode = process.returncode
    job.cpu_s = usage.ru_utime + usage.ru_stime
    job.wall_s = time.perf_counter() - start
    return job


def crashes(nb: nbformat.NotebookNode) -> list[str]:
    """Errors in cells that are not meant to raise."""
    return [
        f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and "raises-exception" not in tags(cell)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def numbers(text: str) -> list[str]:
    import re

    return re.findall(r"\d+(?:[.,]\d+)*", text)


def glue_differences(english: dict[str, str], translated: dict[str, str], skip: set[str]) -> list:
    """Glued values of a translated run that differ from the English run's: any non-text value,
    or the numbers inside a text (``'4.2× faster'`` may become ``'4.2배 빠름'``)."""
    problems = []
    for name in sorted(set(english) | set(translated)):
        a, b = english.get(name), translated.get(name)
        if name in skip or a == b:
            continue
        is_text = a is not None and b is not None and a[:1] in "'\"" and b[:1] in "'\""
        if not is_text or numbers(a) != numbers(b):
            problems.append(f"glued {name}: {a} (English) ≠ {b}")
    return problems


def save(job: Job, language: str, edition: str) -> None:
    """Keep a translated run (harness removed), with what it ran and the values it glued."""
    nb = nbformat.read(job.path, as_version=4)
    dump = harness.read_dump(job.folder, job.name)
    nb = harness.strip(nb, dump)
    book = nbformat.read(ROOT / "book" / job.name, as_version=4)
    nb.metadata["colab_faithful"] = {
        "edition_sha256": digest(edition_path(edition, language, job.name)),
        "book_code_sha256": harness.code_digest(book),
        "run_sha256": job.key,
        "glued": dump.get("glued") if dump else None,
    }
    target = run_path(edition, language, job.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def check(job: Job, dumps: dict) -> list[str]:
    """What went wrong with a translated reader run (saved or reused): a crash, a missing report,
    a glued value that differs from the English run's."""
    nb = nbformat.read(run_path("reader", job.kind.split("-")[0], job.name), as_version=4)
    glued = nb.metadata["colab_faithful"].get("glued")
    problems = [] if glued is not None else ["the report cell never ran"]
    problems += crashes(nb)
    english = dumps.get(("en-reader", job.name))
    if english is not None and glued is not None:
        book = nbformat.read(ROOT / "book" / job.name, as_version=4)
        problems += glue_differences(english["glued"], glued, ignored_glue(book))
    return problems


def run_here(path: Path, language: str, edition: str, folder: Path) -> nbformat.NotebookNode:
    """One edition's notebook run in this environment (the tests' fallback when ``make colab``
    has not run the current edition), with the same harness; the harness removed again."""
    book = nbformat.read(ROOT / "book" / path.name, as_version=4)
    nb = run_copy(nbformat.read(path, as_version=4), book, path.name, edition == "reader")
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / path.name)
    ran = colab_runner.execute(folder / path.name)
    return harness.strip(ran, harness.read_dump(folder, path.name))


# --- every job, from the repository -------------------------------------------------------------


def expected_cost(job: Job) -> float:
    """The job's CPU time in the last run (``durations.json``), else the book notebook's size: the
    queue starts the longest jobs first so that the two workers finish together."""
    path = RUNS / "durations.json"
    last = json.loads(path.read_text()) if path.exists() else {}
    return last.get(f"{job.kind}/{job.name}", (ROOT / "book" / job.name).stat().st_size / 1e4)


def run_jobs(jobs: list[Job], python: Path, tmp: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}", OMP_NUM_THREADS="1")
    shutil.copy(ROOT / "tests" / "nbval_sanitize.cfg", tmp)
    # timm's small network, which chapters 9 and 10 compare with when a clone has it beside
    # book/ (Colab has not: there they say "skipped"); the book's outputs are a clone's.
    shutil.copytree(ROOT / "tests" / "fixtures", tmp / "tests" / "fixtures")
    shutil.copy(colab_runner.__file__, tmp / "_runner.py")
    jobs.sort(key=expected_cost, reverse=True)
    with ThreadPoolExecutor(2) as pool:
        for job in pool.map(lambda j: execute(j, python, env), jobs):
            state = "ok" if job.returncode == 0 else f"FAILED ({job.returncode})"
            print(f"  {job.kind} {job.name}: {job.cpu_s:.0f} s CPU, {job.wall_s:.0f} s, {state}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="NAME.ipynb (default: every notebook)")
    parser.add_argument("--editions", default=",".join(JOBS), help="of " + ", ".join(JOBS))
    parser.add_argument("--commit", action="store_true", help="keep the translated runs in locale/")
    args = parser.parse_args(argv)
    kinds = [k for k in args.editions.split(",") if k]
    if not set(kinds) <= set(JOBS):
        parser.error(f"--editions must be among {', '.join(JOBS)}, got {args.editions!r}")
    names = [Path(a).name for a in args.notebooks] or [p.name for p in registry.notebooks()]
    if not all(edition_path(*k.split("-")[::-1], n).exists() for k in kinds for n in names):
        print("colab-faithful: no notebook editions: run `make notebooks` first")
        return 1
    start = time.perf_counter()
    python = prepare_venv()
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        jobs = [Job(kind, name, Path(tmp, kind)) for kind in kinds for name in names]
        inputs = inputs_digest()
        for job in jobs:
            prepare(job, inputs)
        ran = [job for job in jobs if args.commit or not reuse(job)]
        run_jobs(ran, python, Path(tmp))
        dumps = {(j.kind, j.name): harness.read_dump(j.folder, j.name) for j in ran}
        problems = [
            f"{j.kind} {j.name} failed" for j in jobs if j.kind == "en-reader" and j.returncode
        ]
        for job in (j for j in ran if j.kind != "en-reader"):
            save(job, *job.kind.split("-"))
        for job in filter(commits, jobs):
            language, edition = job.kind.split("-")
            found = check(job, dumps) if edition == "reader" else []
            problems += [f"{job.kind} {job.name}: {p}" for p in found]
            if args.commit and not found:
                target = committed_path(language, edition, job.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(run_path(edition, language, job.name), target)
    durations = RUNS / "durations.json"
    last = json.loads(durations.read_text()) if durations.exists() else {}
    durations.write_text(json.dumps(last | {f"{j.kind}/{j.name}": j.cpu_s for j in ran}, indent=1))
    cpu = {kind: sum(j.cpu_s for j in jobs if j.kind == kind) for kind in kinds}
    reused = sum(j.reused for j in jobs)
    print("\n".join(problems))
    if reused:
        print(f"colab-faithful: {reused} committed translated run(s) reused")
    print(
        f"colab-faithful: {len(names)} notebooks, {', '.join(kinds)}: "
        f"{'FAILED' if problems else 'passed'} in {time.perf_counter() - start:.0f} s; CPU time "
        + ", ".join(f"{kind} {seconds / 60:.1f} min" for kind, seconds in cpu.items())
        + f", total {sum(cpu.values()) / 60:.1f} min"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
