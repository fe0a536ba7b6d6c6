"""Static checks on the committed notebooks (nbval re-runs them; this checks what readers see)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from booktools import book as registry

NOTEBOOKS = sorted((registry.ROOT / "book").glob("*.ipynb"))  # every notebook, listed or not


def _cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text())["cells"]


def _code_cells(nb: Path) -> list[dict]:
    return [c for c in _cells(nb) if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def _text_outputs(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        for mime, data in out.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append("".join(data))
    return "\n".join(parts)


def test_config_points_colab_at_github():
    config = registry.config()
    assert registry.repository_url().startswith("https://github.com/")
    assert config["launch_buttons"]["colab_url"] == "https://colab.research.google.com"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebook:
    def test_in_toc(self, nb):
        assert f"book/{nb.stem}" in registry.pages()

    def test_setup_cell_installs_from_the_configured_repository(self, nb):
        first = "".join(_code_cells(nb)[0]["source"])
        assert "import mobilenet_lab" in first and "except ImportError" in first
        assert f'"{registry.install_requirement()}"' in first, (
            "setup cell out of step with _config.yml"
        )
        assert not re.search(r"pip install[^\n]*\btorch\b", first), (
            "the setup cell must not touch torch"
        )

    def test_setup_cell_is_for_notebook_readers_only(self, nb):
        """The HTML book hides the `%pip install` cell; every notebook edition keeps it."""
        tags = _code_cells(nb)[0]["metadata"].get("tags", [])
        assert "remove-cell" in tags, "tag the setup cell `remove-cell`"

    def test_check_cells_give_nothing_away_in_the_html(self, nb):
        """A check cell's committed output ("✅ Correct … = 12,800") would reveal the answer
        under the folded solution: the book hides it (`remove-output`); notebook readers see
        the feedback when they run the cell."""
        for cell in _code_cells(nb):
            last = "".join(cell["source"]).rstrip().split("\n")[-1]
            if re.match(r"check_\w+\(", last):
                assert "remove-output" in cell["metadata"].get("tags", []), last

    def test_executed_in_order_without_errors(self, nb):
        cells = _code_cells(nb)
        counts = [c["execution_count"] for c in cells]
        assert None not in counts, "every code cell must be executed (commit executed notebooks)"
        assert counts == sorted(counts), "cells were executed out of order"
        for cell in cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "raises-exception" not in tags:
                assert not any(o["output_type"] == "error" for o in cell["outputs"])

    def test_outputs_are_clean(self, nb):
        for cell in _code_cells(nb):
            text = _text_outputs(cell)
            assert "Units." not in text, "raw torchinfo units: use mobilenet_lab.summary_text"
            assert not re.search(r" at 0x[0-9a-f]{6,}", text), "object address in an output"
            assert "Warning" not in text or "nbval-ignore-output" in cell["metadata"].get(
                "tags", []
            )
            for out in cell.get("outputs", []):
                assert "image/svg+xml" not in out.get("data", {}), "SVG output: use PNG"
                assert out.get("name") != "stderr" or "nbval-ignore-output" in cell["metadata"].get(
                    "tags", []
                ), f"stderr output in a cell: {''.join(out.get('text', ''))[:200]}"

    def test_no_execution_timestamps(self, nb):
        """Re-executing a chapter changes its outputs, never its cells' metadata: no timestamps
        are recorded (``booktools.execute``), and nothing depends on how long a cell took."""
        timed = [i for i, c in enumerate(_cells(nb)) if "execution" in c.get("metadata", {})]
        assert not timed, f"cells {timed} carry execution timestamps (run `make execute`)"

    def test_kernel_is_python3(self, nb):
        assert json.loads(nb.read_text())["metadata"]["kernelspec"]["name"] == "python3"
