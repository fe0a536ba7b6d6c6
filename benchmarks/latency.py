"""Inference latency of MobileNetV1 (α = 1, 224×224) along every path the book offers, in ONE
interleaved run, same weights: the blog's model, ours eager, ours with BatchNorm folded +
channels_last (``fold_for_inference``), that model under ``torch.compile``, ONNX Runtime FP32
and ONNX Runtime INT8 (static QDQ quantization).

Method (see ``mobilenet_lab.timing``): every candidate is warmed up, then all are timed
round-robin, ``--rounds`` rounds of about ``--min-time`` seconds each; each candidate reports
the median seconds per call with its interquartile range, and its speed-up over our eager model
is computed round by round (both timed in the same round) and reported as median [q1–q3].

Clock: with one thread, ``time.process_time`` for every row (CPU time of the process: what a
busy neighbour on a shared machine does is not counted, and work in helper threads is). With
more threads, the wall clock for every row of that table (process time would add up the
threads), so those rows are only as good as the machine was quiet: the load average is
recorded before and after.

Every FP32 candidate is checked with ``torch.testing.assert_close`` against our eager model
before timing; the INT8 model is checked for top-1 agreement on the timing input.

torch.compile (inductor, ``freezing``: weights constant-folded and pre-packed for oneDNN) needs
a C++ compiler and compiles once per batch size (the committed run took 57 s for the first
shape and 8 s for the second, on 2 busy cores; the table records it); ``--no-compile``
skips it. ``--out FILE.md`` writes the tables and the machine's description as Markdown.

Run: .venv/bin/python benchmarks/latency.py [--rounds 15] [--threads 1 2] [--out benchmarks/results/latency.md]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from mobilenet_lab import MobileNetV1
from mobilenet_lab.inference import fold_for_inference
from mobilenet_lab.machine import cpu_info
from mobilenet_lab.onnx_export import OnnxModel, export_onnx
from mobilenet_lab.quantize import quantize_int8
from mobilenet_lab.seed import MobileNetV1 as SeedMobileNetV1
from mobilenet_lab.timing import Timing, interleaved, speedup

BASELINE = "ours eager"


def machine() -> list[str]:
    """Lines describing this machine: CPU model, cores, vector extensions, versions."""
    import onnxruntime

    cpu = cpu_info()
    extensions = "unknown" if cpu.extensions is None else ", ".join(cpu.extensions) or "none found"
    return [
        f"CPU: {cpu.model}, {cpu.logical_cores} logical cores visible",
        f"vector extensions: {extensions} (PyTorch's CPU capability: {cpu.capability})",
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"onnxruntime {onnxruntime.__version__}, {platform.platform()}",
    ]


def load() -> str:
    one_five_fifteen = cpu_info().load
    if one_five_fifteen is None:
        return "unknown"
    return " / ".join(f"{v:.2f}" for v in one_five_fifteen) + " (1 / 5 / 15 min)"


def pretend_trained(model: nn.Module, seed: int = 0) -> nn.Module:
    """Give every BatchNorm non-trivial statistics, so that folding them is not a no-op."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=g))
                m.bias.copy_(0.2 * torch.randn(n, generator=g))
                m.running_mean.copy_(0.2 * torch.randn(n, generator=g))
                m.running_var.copy_(0.5 + torch.rand(n, generator=g))
    return model


def compiled(model: nn.Module, x: torch.Tensor) -> tuple[Callable, float]:
    import torch._inductor.config as inductor_config

    inductor_config.freezing = True
    fn = torch.compile(model, dynamic=False)
    start = time.perf_counter()
    with torch.inference_mode():
        fn(x)
    return fn, time.perf_counter() - start


def table(
    times: dict[str, Timing], batch: int, threads: int, clock: str, notes: dict[str, str]
) -> list[str]:
    base = times[BASELINE]
    lines = [
        f"### batch {batch}, {threads} thread{'s' * (threads > 1)} ({clock})",
        "",
        "| path | median ms | IQR ms | p90 ms | ms / image | speed-up vs ours eager "
        "[q1–q3] | check |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, t in times.items():
        ratio, low, high = speedup(base, t)
        lines.append(
            f"| {name} | {t.median * 1e3:.2f} | {t.q1 * 1e3:.2f}–{t.q3 * 1e3:.2f} | "
            f"{t.p90 * 1e3:.2f} | {t.median * 1e3 / batch:.2f} | "
            f"{ratio:.2f}× [{low:.2f}–{high:.2f}] | {notes.get(name, '')} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per sample")
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    parser.add_argument("--out", type=Path, help="write a Markdown report here")
    args = parser.parse_args()

    lines = [
        "# MobileNetV1 (α = 1, 224×224) inference latency, one interleaved run",
        "",
        f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  ",
        *[f"{line}  " for line in machine()],
        f"Load average before: {load()}  ",
        f"{args.rounds} interleaved rounds of about {args.min_time} s per candidate; medians "
        "with interquartile range; speed-ups computed round by round.",
        "",
    ]
    torch.manual_seed(0)
    ours = pretend_trained(MobileNetV1(activation="relu6")).eval()
    seed = SeedMobileNetV1(1.0).eval()
    fast = fold_for_inference(ours)
    folder = Path(tempfile.mkdtemp(prefix="mobilenet-latency-"))
    export_onnx(ours, folder / "fp32.onnx")
    calibration = torch.randn(64, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    quantize_int8(folder / "fp32.onnx", folder / "int8.onnx", calibration)
    compile_seconds: dict[int, float] = {}
    for threads in args.threads:
        torch.set_num_threads(threads)
        ort_fp32 = OnnxModel(folder / "fp32.onnx", threads=threads)
        ort_int8 = OnnxModel(folder / "int8.onnx", threads=threads)
        for batch in args.batches:
            x = torch.randn(batch, 3, 224, 224, generator=torch.Generator().manual_seed(batch))
            models: dict[str, Callable] = {
                "blog (seed) eager": seed,
                BASELINE: ours,
                "ours folded + channels_last": fast,
            }
            if not args.no_compile:
                models["folded + torch.compile"], seconds = compiled(fast, x)
                compile_seconds[batch] = seconds
            models["ONNX Runtime FP32"] = ort_fp32
            models["ONNX Runtime INT8"] = ort_int8
            notes = {"blog (seed) eager": "other weights"}
            with torch.inference_mode():
                reference = ours(x)
                for name, model in models.items():
                    out = model(x)
                    if name == "ONNX Runtime INT8":
                        agree = (out.argmax(1) == reference.argmax(1)).float().mean().item()
                        gap = (out - reference).abs().max().item()
                        notes[name] = f"top-1 agrees {agree:.0%}, max |Δ| {gap:.3f}"
                    elif name != "blog (seed) eager":
                        torch.testing.assert_close(out, reference, rtol=1e-3, atol=1e-4)
                        notes[name] = "allclose ✓"
            clock = "process CPU time" if threads == 1 else "wall clock"
            times = interleaved(
                {name: (lambda m=m, x=x: m(x)) for name, m in models.items()},
                rounds=args.rounds,
                min_time=args.min_time,
                threads=threads,
                clock=time.process_time if threads == 1 else time.perf_counter,
            )
            block = table(times, batch, threads, clock, notes)
            fp32 = {k: v for k, v in times.items() if "INT8" not in k and "blog" not in k}
            best = min(fp32, key=lambda k: fp32[k].median)
            ratio, low, high = speedup(times[best], times["ONNX Runtime INT8"])
            block += [
                "",
                f"Fastest FP32 path: {best}, {speedup(times[BASELINE], times[best])[0]:.2f}× "
                f"ours eager. INT8 vs {best}: {ratio:.2f}× [{low:.2f}–{high:.2f}].",
                "",
            ]
            print("\n".join(block), flush=True)
            lines += block
    if compile_seconds:
        lines.append(
            "torch.compile time (first call, wall clock): "
            + ", ".join(f"batch {b}: {s:.0f} s" for b, s in compile_seconds.items())
        )
        lines.append("")
    lines.append(f"Load average after: {load()}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n")
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
