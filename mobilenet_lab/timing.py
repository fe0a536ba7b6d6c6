"""Latency measurement done right: warm-up, one clock, interleaved rounds, median with spread.

The checklist this module follows (chapter 9 explains each point):

1. **Warm up.** The first call of a model allocates memory, picks kernels and (for compiled
   models) compiles; it is timed separately (:func:`cold_call`), never mixed with the others.
2. **Fix the threads.** :func:`interleaved` sets ``torch.set_num_threads`` for the run and
   restores it afterwards; runtimes with their own thread pool (ONNX Runtime) are given the
   same count when they are built.
3. **One clock for every row.** On a CPU the default is ``time.process_time``: the CPU time of
   the whole process. It leaves out the moments the operating system gives our core to another
   job, and it counts work hidden in helper threads. It does **not** shield a timing from
   everything else on the machine: a job on the sibling hyper-thread of our core (sharing its
   execution units), jobs that evict our data from a shared cache or compete for memory
   bandwidth, and clock-frequency changes (turbo, heat, power limits) all make our own work
   take longer, and process time counts that. Nor does it separate our work from another thread
   of our own process (:func:`background_load` uses that to make a disturbance on purpose).
   It equals latency only when the work runs on one thread; with several threads compare wall
   clocks (``clock=time.perf_counter``) on a quiet machine. On CUDA the clock is the wall clock
   and every reading is preceded by ``torch.cuda.synchronize()``: kernels run asynchronously,
   so without it you time the launch.
4. **Interleave.** Candidates are timed round-robin (A, B, C, A, B, C, …): a disturbance slows
   every candidate a little instead of one a lot, and a ratio taken round by round compares
   two candidates that met the same disturbance.
5. **Report the median with its spread** (:class:`Timing`: quartiles and the 90th percentile
   of the per-round times), and compare candidates by ratios.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from ._validation import check_positive_int, check_positive_real

Clock = Callable[[], float]


@dataclass(frozen=True)
class Timing:
    """Seconds per call, one sample per interleaved round, with order statistics."""

    samples: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.samples:
            raise ValueError("a Timing needs at least one sample")

    def _quantile(self, q: float) -> float:
        data = sorted(self.samples)
        if len(data) == 1:
            return data[0]
        pos = q * (len(data) - 1)  # linear interpolation, like numpy's default
        low = int(pos)
        high = min(low + 1, len(data) - 1)
        return data[low] + (data[high] - data[low]) * (pos - low)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def q1(self) -> float:
        return self._quantile(0.25)

    @property
    def q3(self) -> float:
        return self._quantile(0.75)

    @property
    def p90(self) -> float:
        return self._quantile(0.9)

    def __str__(self) -> str:
        ms = 1e3
        return (
            f"{self.median * ms:.2f} ms (IQR {self.q1 * ms:.2f}–{self.q3 * ms:.2f}, "
            f"p90 {self.p90 * ms:.2f})"
        )


def speedup(baseline: Timing, candidate: Timing) -> tuple[float, float, float]:
    """``(median, low, high)`` of ``baseline / candidate`` over the rounds.

    The ratio is taken round by round (both were timed in the same round, so they saw the same
    machine), then summarised by its median and quartiles. > 1 means the candidate is faster.
    """
    if len(baseline.samples) != len(candidate.samples):
        raise ValueError("baseline and candidate must come from the same interleaved run")
    ratios = Timing(tuple(b / c for b, c in zip(baseline.samples, candidate.samples)))
    return ratios.median, ratios.q1, ratios.q3


def _sync_for(device: Any) -> Callable[[], None]:
    if torch.device(device).type == "cuda":
        return torch.cuda.synchronize
    return lambda: None


def default_clock(device: Any = "cpu") -> Clock:
    """``time.process_time`` on a CPU, ``time.perf_counter`` (wall clock) on CUDA."""
    return time.perf_counter if torch.device(device).type == "cuda" else time.process_time


def cold_call(fn: Callable[[], Any], *, device: Any = "cpu", clock: Clock | None = None) -> float:
    """Seconds taken by one call of ``fn`` (use it on the very first call: the cold one)."""
    clock = clock or default_clock(device)
    sync = _sync_for(device)
    with torch.inference_mode():
        sync()
        start = clock()
        fn()
        sync()
        return clock() - start


def time_block(
    fn: Callable[[], Any], number: int, *, device: Any = "cpu", clock: Clock | None = None
) -> float:
    """Seconds per call of ``fn`` over one block of ``number`` calls, under
    ``torch.inference_mode()`` (no warm-up; one clock reading before the block and one after,
    synchronized on CUDA)."""
    number = check_positive_int("number", number)
    with torch.inference_mode():
        return _per_call(fn, number, clock or default_clock(device), _sync_for(device))


def _per_call(fn: Callable[[], Any], number: int, clock: Clock, sync: Callable[[], None]) -> float:
    sync()
    start = clock()
    for _ in range(number):
        fn()
    sync()
    return (clock() - start) / number


@contextlib.contextmanager
def background_load(size: int = 256) -> Iterator[None]:
    """Keep one helper thread of this process multiplying ``size×size`` matrices while the
    ``with`` block runs: a disturbance you control, for seeing what it does to a timing.

    The process CPU clock counts every thread of the process, so each timing taken inside the
    block includes the helper's work too; on the wall clock the helper competes for the cores.
    The block starts only once the helper has finished its first product (on a busy machine a
    new thread can wait a while for a core), and the thread stops (and is joined) when it ends.
    """
    size = check_positive_int("size", size)
    running, stop = threading.Event(), threading.Event()
    a = torch.randn(size, size)

    def work() -> None:
        with torch.inference_mode():
            try:
                torch.mm(a, a)
            finally:
                running.set()
            while not stop.is_set():
                torch.mm(a, a)

    helper = threading.Thread(target=work, name="background_load", daemon=True)
    helper.start()
    running.wait()
    try:
        yield
    finally:
        stop.set()
        helper.join()


def interleaved(
    candidates: Mapping[str, Callable[[], Any]],
    *,
    rounds: int = 7,
    min_time: float = 0.05,
    warmup: int = 2,
    threads: int | None = 1,
    device: Any = "cpu",
    clock: Clock | None = None,
) -> dict[str, Timing]:
    """Time every zero-argument callable in ``candidates`` round-robin; return a :class:`Timing`
    (seconds per call, one sample per round) for each.

    Each candidate is first called ``warmup`` times, then its number of calls per sample is
    chosen so that one sample lasts about ``min_time`` seconds. ``threads`` sets
    ``torch.set_num_threads`` during the run (``None`` leaves it). Everything runs under
    ``torch.inference_mode()``.
    """
    if not candidates:
        raise ValueError("candidates is empty")
    rounds = check_positive_int("rounds", rounds)
    min_time = check_positive_real("min_time", min_time)
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup must be an int >= 0, got {warmup!r}")
    clock = clock or default_clock(device)
    sync = _sync_for(device)
    old_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(check_positive_int("threads", threads))
    try:
        with torch.inference_mode():
            numbers = {}
            for name, fn in candidates.items():
                for _ in range(warmup):
                    fn()
                once = max(_per_call(fn, 1, clock, sync), 1e-6)
                numbers[name] = max(1, round(min_time / once))
            samples: dict[str, list[float]] = {name: [] for name in candidates}
            for _ in range(rounds):
                for name, fn in candidates.items():
                    samples[name].append(_per_call(fn, numbers[name], clock, sync))
    finally:
        torch.set_num_threads(old_threads)
    return {name: Timing(tuple(s)) for name, s in samples.items()}
