"""Render the notebook editions the way Jupyter shows them: nbconvert's HTML export (lab template).

A stand-in for Colab and JupyterLab when checking what notebook readers see: Markdown rendered as
CommonMark (so any MyST left over would show as source), math by the site's own MathJax, and
inputs folded in the notebook (``jupyter.source_hidden``: solutions, checks) left out, as
JupyterLab collapses them. Writes ``_build/notebooks/preview/<edition>/<name>.html``; open them in a
browser or screenshot them (``chromium --headless --screenshot``).

Usage: python -m booktools.preview [--edition reader] [NB.ipynb ...]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

from booktools.book import ROOT

EDITIONS = ROOT / "_build" / "notebooks"
HIDDEN = "preview-folded-input"
MATHJAX = ROOT / "_build" / "vendor" / "vendor" / "mathjax" / "tex-mml-chtml.js"


def preview(path: Path, out_dir: Path) -> Path:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            cell.metadata.setdefault("tags", []).append(HIDDEN)
    config = Config()
    config.TagRemovePreprocessor.remove_input_tags = {HIDDEN}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(template_name="lab", config=config)
    if MATHJAX.exists():
        exporter.mathjax_url = os.path.relpath(MATHJAX, out_dir)
    html, _ = exporter.from_notebook_node(nb)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / path.with_suffix(".html").name
    target.write_text(html, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--edition", default="reader", choices=["reader", "student"])
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((EDITIONS / args.edition).glob("*.ipynb"))
    if not notebooks:
        print("preview: no notebook editions yet: run `make notebooks` first")
        return 1
    for path in notebooks:
        print(preview(path, EDITIONS / "preview" / args.edition))
    return 0


if __name__ == "__main__":
    sys.exit(main())
