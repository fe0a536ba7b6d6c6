"""The browser demo's networks (booktools.demo_models): ONNX Runtime gives PyTorch's outputs.

A one-epoch export (the parity does not depend on how long the networks trained) checks every
test digit; when the book's own export exists (``make demo-models``), its files are checked
against the PyTorch probabilities it recorded for the held-out digits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from booktools import demo_models
from mobilenet_lab import OnnxModel
from mobilenet_lab.data import RandomAffine
from mobilenet_lab.recipes import DIGITS_RECIPE, digits_recipe

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "_build" / "demo-extra" / "demo"


def test_recipe_is_fresh_and_overridable():
    a, b = digits_recipe(), digits_recipe(lr=0.1)
    assert isinstance(a["augment"], RandomAffine) and a["augment"] is not b["augment"]
    assert a["lr"] == DIGITS_RECIPE["lr"] and b["lr"] == 0.1
    assert {k: a[k] for k in DIGITS_RECIPE} == DIGITS_RECIPE


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    torch.set_num_threads(1)
    summary, models, data = demo_models.export_demo(out, epochs=1)
    return out, summary, models, data


def test_onnx_runtime_matches_pytorch_on_the_test_digits(exported):
    out, summary, models, data = exported
    x, _ = data.test.tensors
    for block, model in models.items():
        with torch.no_grad():
            expected = model(x).numpy()
        got = OnnxModel(out / summary["models"][block]["file"]).run(x.numpy())
        assert got.shape == (len(x), 10)
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
        assert (got.argmax(1) == expected.argmax(1)).mean() > 0.99


def test_summary_describes_the_page(exported):
    out, summary, models, data = exported
    assert set(summary["models"]) == {"separable", "standard"}
    sep, std = summary["models"]["separable"], summary["models"]["standard"]
    assert std["mult_adds"] > 5 * sep["mult_adds"] and std["params"] > 5 * sep["params"]
    # float32 weights in the files: their sizes follow the parameters (4 bytes each)
    for model in (sep, std):
        assert 4 * model["params"] < model["bytes"] < 4 * model["params"] + 200_000
    assert sep["bytes"] < 8_000_000 and std["bytes"] < 40_000_000
    digits = summary["digits"]
    assert sorted(d["label"] for d in digits) == list(range(10))
    for d in digits:
        pixels = np.array(d["pixels"])
        assert pixels.shape == (8, 8) and pixels.min() >= 0 and pixels.max() <= 16
        for block in models:
            assert abs(sum(d["probs"][block]) - 1) < 1e-4
            assert d["top1"][block] == int(np.argmax(d["probs"][block]))
    pre = summary["preprocess"]
    size = pre["size"]
    assert len(summary["parity"]) == size * size
    # the recorded preprocessing reproduces data.test: /16, bilinear, normalised
    first = torch.tensor(digits[0]["pixels"], dtype=torch.float32)[None, None] / pre["max"]
    scaled = torch.nn.functional.interpolate(first, size=(size, size), mode="bilinear")
    manual = ((scaled - pre["mean"]) / pre["std"]).flatten().numpy()
    np.testing.assert_allclose(manual, summary["parity"], atol=1e-5)
    assert json.loads((out / "demo.json").read_text()) == summary


def test_the_books_export_matches_its_recorded_pytorch_outputs():
    assert (BUILT / "demo.json").is_file(), "run `make demo-models` first (make test does)"
    summary = json.loads((BUILT / "demo.json").read_text())
    pre = summary["preprocess"]
    pixels = torch.tensor([d["pixels"] for d in summary["digits"]], dtype=torch.float32)
    x = torch.nn.functional.interpolate(
        pixels[:, None] / pre["max"], size=(pre["size"],) * 2, mode="bilinear"
    )
    x = ((x - pre["mean"]) / pre["std"]).numpy()
    for block, model in summary["models"].items():
        logits = torch.from_numpy(OnnxModel(BUILT / model["file"]).run(x))
        probs = torch.softmax(logits, dim=1).numpy()
        expected = np.array([d["probs"][block] for d in summary["digits"]])
        np.testing.assert_allclose(probs, expected, atol=1e-4)
        assert [d["top1"][block] for d in summary["digits"]] == probs.argmax(1).tolist()


def test_chapter_8_trains_with_the_recipe_the_demo_exports():
    """The demo's networks are chapter 8's: the chapter takes its EPOCHS and RECIPE from
    ``mobilenet_lab.recipes`` (the recipe is defined once), and types no recipe of its own."""
    import ast

    import nbformat

    nb = nbformat.read(ROOT / "book" / "08_training.ipynb", as_version=4)
    assigned = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or "%pip" in cell.source:  # the Colab setup cell
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id in {"EPOCHS", "RECIPE"}:
                        assigned.setdefault(target.id, []).append(ast.unparse(node.value))
    assert assigned == {"EPOCHS": ["DIGITS_EPOCHS"], "RECIPE": ["digits_recipe()"]}
