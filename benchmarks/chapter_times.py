"""How long each chapter takes to run: the one measurement the teacher page's run times come from.

Every numbered chapter (the registry, ``booktools.book``) runs top to bottom in a fresh kernel,
kernel start included, one chapter at a time, ``--rounds`` times (round-robin: every chapter once,
then again), with ``--threads`` threads: ``OMP_NUM_THREADS`` and ``MKL_NUM_THREADS`` are set for
the kernel, so PyTorch starts with that many (a chapter that sets its own count, as chapter 9
does, keeps its own). The notebooks run in ``book/``, as a reader of a clone runs them (chapter
10 finds the repository's test fixture), and are never written back.

It writes ``benchmarks/results/chapter_times.json``: the command, the date, the thread count,
the machine (CPU model, logical cores, GPU, torch and Python versions), the load average before
and after, whether the machine was idle before the run (1- and 5-minute load averages below
``IDLE_LOAD``: ``teacher_page.is_idle``), and per chapter the wall-clock seconds of every round and the kernel's CPU
seconds. The teacher page shows each chapter's median wall-clock time and names the measurement
(``booktools.teacher_page``); a run that did not start on an idle machine is marked there as not
final. Run it on an idle machine, with nothing else running, before a release.

Run: .venv/bin/python benchmarks/chapter_times.py [--threads 1] [--rounds 1] [--chapters ch01 ...]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shlex
import statistics
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from booktools import book as registry  # noqa: E402
from booktools.execute import run  # noqa: E402
from booktools.teacher_page import RUN_TIMES, is_idle  # noqa: E402


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else what ``platform`` says)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine() -> dict:
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "gpu": gpu,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def time_chapter(chapter: registry.Chapter) -> tuple[float, float]:
    """Run one chapter in a fresh kernel: (wall-clock seconds, the kernel's CPU seconds)."""
    nb = nbformat.read(chapter.path, as_version=4)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(nb, chapter.path.parent)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def measure(chapters: list[registry.Chapter], threads: int, rounds: int) -> dict:
    """Every chapter ``rounds`` times, round-robin; the measurement as the JSON file holds it."""
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(threads)
    load_before = [round(v, 2) for v in os.getloadavg()]
    times = {c.key: {"notebook": c.page + ".ipynb", "wall_s": [], "cpu_s": []} for c in chapters}
    for r in range(rounds):
        for chapter in chapters:
            wall, cpu = time_chapter(chapter)
            times[chapter.key]["wall_s"].append(round(wall, 1))
            times[chapter.key]["cpu_s"].append(round(cpu, 1))
            print(f"round {r + 1}: {chapter.key} {wall:.1f} s (CPU {cpu:.1f} s)", flush=True)
    return {
        "command": shlex.join(["python", "benchmarks/chapter_times.py", *sys.argv[1:]]),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "threads": threads,
        "rounds": rounds,
        "machine": machine(),
        "load_before": load_before,
        "load_after": [round(v, 2) for v in os.getloadavg()],
        "idle": is_idle(load_before),
        "chapters": times,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="threads per kernel (default 1)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of every chapter")
    parser.add_argument("--chapters", nargs="+", help="only these chapters (chNN), for a trial")
    parser.add_argument("--out", type=Path, default=RUN_TIMES)
    args = parser.parse_args(argv)
    if args.threads < 1 or args.rounds < 1:
        parser.error("--threads and --rounds must be at least 1")
    chapters = list(registry.chapters())
    if args.chapters:
        unknown = set(args.chapters) - {c.key for c in chapters}
        if unknown:
            parser.error(f"--chapters: no chapter {sorted(unknown)}")
        chapters = [c for c in chapters if c.key in args.chapters]
    result = measure(chapters, args.threads, args.rounds)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    medians = {k: statistics.median(v["wall_s"]) for k, v in result["chapters"].items()}
    print(f"{args.out}: {medians}; idle before the run: {result['idle']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
