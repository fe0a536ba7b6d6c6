"""Inference latency: the blog's model, ours eager, ours optimised (BN folded + channels_last),
and that optimised model under torch.compile — interleaved in one run with torch.utils.benchmark.

Every candidate runs in eval mode under ``torch.inference_mode()`` on the same random 224×224
input, at batch 1 and 8, for each thread count. With one thread the clock is the CPU time of the
thread doing the work (``time.thread_time``: time the OS gives to other jobs on a shared machine
is not counted); with more threads it is the wall clock (``--clock wall`` uses it throughout). Candidates are timed round-robin (``--rounds``
rounds of ``blocked_autorange``), so a noisy neighbour slows all of them alike; the script prints
each candidate's median and its speed-up over our eager model (eager / candidate, > 1 is faster).

torch.compile (inductor, with ``freezing`` so weights are constant-folded and prepacked for
oneDNN) needs a C++ compiler and compiles once per batch size (tens of seconds on 2 cores); skip it
with ``--no-compile``. ``--torchscript`` adds ``torch.jit.trace`` + ``freeze`` + ``optimize_for_inference``,
deprecated since torch 2.13 (it warns) but still a useful reference point.

Run: .venv/bin/python benchmarks/latency.py [--rounds 5] [--threads 1 2] [--no-compile]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from typing import Callable

import torch
import torch.utils.benchmark as tb

from mobilenet_lab import MobileNetV1
from mobilenet_lab.inference import optimize_for_inference
from mobilenet_lab.seed import MobileNetV1 as SeedMobileNetV1


def compiled(model: torch.nn.Module, x: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    import torch._inductor.config as inductor_config

    inductor_config.freezing = True
    fn = torch.compile(model, dynamic=False)
    start = time.perf_counter()
    with torch.inference_mode():
        fn(x)
    print(f"  torch.compile for batch {x.shape[0]}: {time.perf_counter() - start:.1f} s")
    return fn


def torchscript(model: torch.nn.Module, x: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "torch.jit.* is deprecated"
        traced = torch.jit.trace(model, x)
        frozen = torch.jit.optimize_for_inference(torch.jit.freeze(traced))
    with torch.inference_mode():
        frozen(x)
    return frozen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per candidate")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--min-run-time", type=float, default=0.3, help="seconds per measurement")
    parser.add_argument("--clock", choices=("auto", "wall"), default="auto")
    parser.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    parser.add_argument("--torchscript", action="store_true", help="add TorchScript freeze")
    args = parser.parse_args()
    torch.manual_seed(0)
    ours = MobileNetV1(activation="relu6").eval()
    candidates: dict[str, torch.nn.Module | Callable] = {
        "seed eager": SeedMobileNetV1(1.0).eval(),
        "ours eager": ours,
        "ours optimised": optimize_for_inference(ours),
    }
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads available, "
        f"{args.rounds} interleaved rounds, min_run_time {args.min_run_time} s"
    )
    for batch in args.batches:
        x = torch.randn(batch, 3, 224, 224)
        models = dict(candidates)
        if not args.no_compile:
            models["optimised + compile"] = compiled(candidates["ours optimised"], x)
        if args.torchscript:
            models["optimised + TorchScript"] = torchscript(candidates["ours optimised"], x)
        with torch.inference_mode():
            reference = ours(x)
            for name, model in models.items():  # warm-up, and every candidate agrees
                out = model(x)
                if name != "seed eager":
                    torch.testing.assert_close(out, reference, rtol=1e-3, atol=1e-4)
        for threads in args.threads:
            thread_clock = threads == 1 and args.clock == "auto"
            clock = time.thread_time if thread_clock else time.perf_counter
            times: dict[str, list[float]] = {name: [] for name in models}
            with torch.inference_mode():
                for _ in range(args.rounds):
                    for name, model in models.items():
                        timer = tb.Timer(
                            "model(x)",
                            globals={"model": model, "x": x},
                            num_threads=threads,
                            timer=clock,
                        )
                        measurement = timer.blocked_autorange(min_run_time=args.min_run_time)
                        times[name].append(measurement.median)
            med = {name: statistics.median(t) for name, t in times.items()}
            what = "CPU time of the working thread" if thread_clock else "wall clock"
            print(f"batch {batch}, {threads} thread(s), {what}:")
            for name, seconds in med.items():
                spread = (max(times[name]) - min(times[name])) / seconds
                print(
                    f"  {name:24s} {seconds * 1e3:8.2f} ms   speed-up vs ours eager "
                    f"{med['ours eager'] / seconds:5.2f}x   (round-to-round spread {spread:.0%})"
                )


if __name__ == "__main__":
    main()
