"""Eager forward pass: mobilenet_lab.MobileNetV1 vs the blog post's implementation.

Both models are timed interleaved in one run with torch.utils.benchmark (2 threads, eval mode,
no_grad), at batch 1 and 8. Prints medians and the ratio ours / seed (<= 1.0 means ours is not
slower). Run: .venv/bin/python benchmarks/forward.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics

import torch
import torch.utils.benchmark as tb

from mobilenet_lab import MobileNetV1, count_mult_adds
from mobilenet_lab.seed import MobileNetV1 as SeedMobileNetV1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per candidate")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(0)
    models = {"seed": SeedMobileNetV1(1.0).eval(), "ours": MobileNetV1().eval()}
    print(f"torch {torch.__version__}, {args.threads} threads, {args.rounds} interleaved rounds")
    for batch in (1, 8):
        x = torch.randn(batch, 3, 224, 224)
        times: dict[str, list[float]] = {name: [] for name in models}
        with torch.no_grad():
            for model in models.values():  # warm-up
                model(x)
            for _ in range(args.rounds):
                for name, model in models.items():
                    timer = tb.Timer(
                        "model(x)", globals={"model": model, "x": x}, num_threads=args.threads
                    )
                    times[name].append(timer.blocked_autorange(min_run_time=0.5).median)
        med = {name: statistics.median(t) for name, t in times.items()}
        print(
            f"batch {batch}: seed {med['seed'] * 1e3:7.2f} ms  ours {med['ours'] * 1e3:7.2f} ms  "
            f"ratio ours/seed {med['ours'] / med['seed']:.3f}"
        )
    counter = tb.Timer(
        "count_mult_adds(model)",
        globals={"count_mult_adds": count_mult_adds, "model": models["ours"]},
        num_threads=args.threads,
    )
    seconds = counter.blocked_autorange(min_run_time=1.0).median
    print(f"count_mult_adds(MobileNetV1(), 224 px): median {seconds * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
