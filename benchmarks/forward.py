"""Eager forward pass: mobilenet_lab.MobileNetV1 vs the blog post's implementation.

Both models are timed interleaved in one run with ``mobilenet_lab.timing.interleaved`` (one
thread, process CPU time for both rows, eval mode, inference mode), at batch 1 and 8. Prints
medians with their interquartile range and the ratio ours / seed computed round by round
(<= 1.0 means ours is not slower). Run: .venv/bin/python benchmarks/forward.py [--rounds 9]
"""

from __future__ import annotations

import argparse

import torch

from mobilenet_lab import MobileNetV1, count_mult_adds
from mobilenet_lab.seed import MobileNetV1 as SeedMobileNetV1
from mobilenet_lab.timing import interleaved, speedup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds")
    parser.add_argument("--min-time", type=float, default=0.3, help="seconds per sample")
    args = parser.parse_args()
    torch.manual_seed(0)
    models = {"seed": SeedMobileNetV1(1.0).eval(), "ours": MobileNetV1().eval()}
    print(f"torch {torch.__version__}, 1 thread, process CPU time, {args.rounds} rounds")
    for batch in (1, 8):
        x = torch.randn(batch, 3, 224, 224)
        times = interleaved(
            {name: (lambda m=m, x=x: m(x)) for name, m in models.items()},
            rounds=args.rounds,
            min_time=args.min_time,
        )
        ratio, low, high = speedup(times["ours"], times["seed"])  # ours / seed, per round
        print(
            f"batch {batch}: seed {times['seed']}\n         ours {times['ours']}\n"
            f"         ratio ours/seed {ratio:.3f} [IQR {low:.3f}–{high:.3f}]"
        )
    counter = interleaved(
        {"count": lambda: count_mult_adds(models["ours"])}, rounds=3, min_time=1.0
    )["count"]
    print(f"count_mult_adds(MobileNetV1(), 224 px): {counter}")


if __name__ == "__main__":
    main()
