"""What a publication is built from: the package's version, the commit, and the package's wheel.

The graded assignments' autograder zips carry the wheel (:mod:`booktools.assignments`), pinned
by its SHA-256, and every package it needs pinned by the exact version that built and graded it
(:func:`runtime_pins`), so that grading installs the package that built them, never the
repository's ``main`` of the day; each student notebook names the same build in its metadata, and
``make publish`` records it next to the two published trees.

The wheel's version says which commit it was built from: ``0.1.0+g<commit>`` (PEP 440's local
label; ``.dirty`` when the working tree had uncommitted changes to tracked files). It is built
from a copy of the package's files only (no stale ``build/`` folder can add a removed module),
with every file dated ``SOURCE_DATE_EPOCH`` (1980), so the same sources give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from booktools.book import ROOT

PACKAGE_FILES = ("pyproject.toml", "README.md", "mobilenet_lab")
ZIP_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip file can hold


@functools.cache
def runtime_pins() -> tuple[str, ...]:
    """Every package the wheel needs, directly or not (extras left out), as ``name==version``
    at the version installed here, which built and graded the assignments; torch without its
    local label (``2.13.0``, installed from PyTorch's CPU index). Read once per process (the
    installed packages do not change while it runs)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(text) for text in project["dependencies"]]
    pins: dict[str, str] = {}
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in pins:
            continue
        pins[name] = importlib.metadata.version(name).split("+")[0]
        todo += [Requirement(text) for text in importlib.metadata.requires(name) or []]
    return tuple(f"{name}=={pins[name]}" for name in sorted(pins))


def base_version() -> str:
    """The package's version as ``pyproject.toml`` gives it (``"0.1.0"``)."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def commit() -> str:
    """The commit of the working tree (12 hex digits, ``.dirty`` after it when tracked files
    changed), or ``"unknown"`` outside a git checkout."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise OSError(done.stderr)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short=12", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except OSError:
        return "unknown"
    return f"{head}.dirty" if dirty else head


def version() -> str:
    """The version of the wheel :func:`build_wheel` builds: ``0.1.0+g<commit>``."""
    build = commit()
    return base_version() if build == "unknown" else f"{base_version()}+g{build}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_wheel(out: Path) -> Path:
    """Build the package's wheel into ``out`` (replacing any there) and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("mobilenet_lab-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="wheel-") as tmp:
        for name in PACKAGE_FILES:
            source, target = ROOT / name, Path(tmp) / name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(source, target)
        pyproject = Path(tmp) / "pyproject.toml"
        text, found = re.subn(
            r'(?m)^version = "[^"]+"$', f'version = "{version()}"', pyproject.read_text(), count=1
        )
        if not found:
            raise ValueError('pyproject.toml: no `version = "…"` line in [project]')
        pyproject.write_text(text)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
             tmp, "-w", str(out)],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": ZIP_EPOCH},
        )  # fmt: skip
    (wheel,) = out.glob("mobilenet_lab-*.whl")
    return wheel
