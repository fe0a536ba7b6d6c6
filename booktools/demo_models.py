"""Train chapter 8's two digit networks and export them for the browser demo (``book/demo.md``).

Run by ``make demo-models`` before every HTML build (never committed): trains the separable
MobileNet and its standard-convolution twin with chapter 8's recipe and seed
(:mod:`mobilenet_lab.recipes`), exports both to ONNX and writes ``demo.json`` beside them:

- ``models``: per network its file, mult-adds and parameters (``mobilenet_lab`` counters), file
  size, validation and test accuracy;
- ``preprocess``: what the page needs to preprocess a drawing exactly as chapter 8 does (8×8
  digits with values 0–16, scaled to ``size`` px bilinearly, normalised with the training
  split's ``mean``/``std``);
- ``digits``: held-out test digits (one per class) as stored 8×8 pixels with their label and
  PyTorch's probabilities and top-1 for both networks, which the page loads with one click and
  the browser test compares with ONNX Runtime Web;
- ``parity``: the first of those digits preprocessed by PyTorch (``size×size`` floats), which the
  browser test compares with the page's JavaScript preprocessing.

Usage: python -m booktools.demo_models [--out _build/demo-extra/demo] [--epochs N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from booktools.book import ROOT
from mobilenet_lab import count_mult_adds, count_parameters, evaluate, export_onnx
from mobilenet_lab.data import digits_split
from mobilenet_lab.recipes import (
    DIGITS_ALPHA,
    DIGITS_EPOCHS,
    DIGITS_SIZE,
    DIGITS_VAL_FRACTION,
    digits_data,
    train_digits_model,
)

DEFAULT_OUT = ROOT / "_build" / "demo-extra" / "demo"
NETWORKS = {"separable": "mobilenet_separable.onnx", "standard": "mobilenet_standard.onnx"}
SEED = 0


def held_out_digits(data, count_per_class: int = 1) -> list[int]:
    """Positions in ``data.test`` of the first ``count_per_class`` test digits of every class."""
    labels = data.test.tensors[1].tolist()
    chosen = []
    for digit in range(10):
        chosen += [i for i, label in enumerate(labels) if label == digit][:count_per_class]
    return chosen


def export_demo(out: Path, epochs: int = DIGITS_EPOCHS) -> tuple[dict, dict, object]:
    """Train, export and describe both networks in ``out``; return (summary, models, data)."""
    out.mkdir(parents=True, exist_ok=True)
    data = digits_data()
    x_test, y_test = data.test.tensors
    held = data.val if getattr(data, "val", None) is not None else data.test
    positions = held_out_digits(data)
    from sklearn.datasets import load_digits

    raw = load_digits().images.astype(int)  # 0–16, 8×8
    _, test_idx = digits_split()
    summary: dict = {
        "recipe": {
            "alpha": DIGITS_ALPHA,
            "size": DIGITS_SIZE,
            "epochs": epochs,
            "seed": SEED,
            "val_fraction": DIGITS_VAL_FRACTION if held is not data.test else 0.0,
        },
        "preprocess": {"size": DIGITS_SIZE, "mean": data.mean[0], "std": data.std[0], "max": 16},
        "models": {},
        "digits": [
            {"label": int(y_test[p]), "pixels": raw[test_idx[p]].tolist(), "probs": {}, "top1": {}}
            for p in positions
        ],
        "parity": [round(v, 6) for v in x_test[positions[0], 0].flatten().tolist()],
    }
    models = {}
    for block, filename in NETWORKS.items():
        t0 = time.perf_counter()
        model, history = train_digits_model(
            block, seed=SEED, data=data, epochs=epochs, device="cpu"
        )
        seconds = time.perf_counter() - t0
        path = export_onnx(model, out / filename, data.input_size)
        _, test_acc = evaluate(model, data.test, device="cpu")
        with torch.no_grad():
            probs = torch.softmax(model(x_test[positions]), dim=1)
        for digit, p in zip(summary["digits"], probs):
            digit["probs"][block] = [round(v, 6) for v in p.tolist()]
            digit["top1"][block] = int(p.argmax())
        summary["models"][block] = {
            "file": filename,
            "mult_adds": count_mult_adds(model, (1, *data.input_size)),
            "params": count_parameters(model),
            "bytes": path.stat().st_size,
            "val_acc": round(history.final.test_acc, 4),
            "test_acc": round(test_acc, 4),
            "train_seconds": round(seconds, 1),
        }
        models[block] = model
        print(
            f"{block:>9}: {summary['models'][block]['params']:,} parameters, "
            f"{path.stat().st_size / 1024:.0f} KiB ONNX, test accuracy {test_acc:.1%}, "
            f"trained in {seconds:.0f} s",
            flush=True,
        )
    (out / "demo.json").write_text(json.dumps(summary, separators=(",", ":")) + "\n")
    return summary, models, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=DIGITS_EPOCHS)
    args = parser.parse_args()
    started = time.perf_counter()
    torch.set_num_threads(min(torch.get_num_threads(), 2))
    export_demo(args.out, args.epochs)
    print(f"demo models written to {args.out} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
