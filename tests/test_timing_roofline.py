"""mobilenet_lab.timing (interleaved medians with spread, disturbances), mobilenet_lab.roofline
and mobilenet_lab.machine."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from torch import nn

from mobilenet_lab import MobileNetV1, count_mult_adds
from mobilenet_lab.counting import conv_kind
from mobilenet_lab.machine import cpu_info
from mobilenet_lab.roofline import attainable, layer_intensities
from mobilenet_lab.timing import (
    Timing,
    background_load,
    cold_call,
    interleaved,
    speedup,
    time_block,
)


def test_timing_statistics():
    t = Timing((5.0, 1.0, 3.0, 2.0, 4.0))
    assert (t.median, t.q1, t.q3) == (3.0, 2.0, 4.0)
    assert math.isclose(t.p90, 4.6)
    assert "ms" in str(t)
    assert Timing((2.0,)).p90 == 2.0
    with pytest.raises(ValueError):
        Timing(())


def test_speedup_is_per_round():
    base, cand = Timing((2.0, 4.0, 6.0)), Timing((1.0, 2.0, 3.0))
    assert speedup(base, cand) == (2.0, 2.0, 2.0)
    with pytest.raises(ValueError):
        speedup(base, Timing((1.0,)))


def test_interleaved_on_a_fake_clock():
    ticks = itertools.count()
    calls = {"a": 0, "b": 0}
    order = []

    def make(name, cost):
        def fn():
            calls[name] += 1
            order.append(name)
            for _ in range(cost):
                next(ticks)

        return fn

    now = lambda: float(next(ticks))  # noqa: E731  (each reading costs one tick)
    threads = torch.get_num_threads()
    times = interleaved(
        {"a": make("a", 10), "b": make("b", 30)}, rounds=4, min_time=1.0, warmup=1, clock=now
    )
    assert torch.get_num_threads() == threads  # restored
    assert set(times) == {"a", "b"} and all(len(t.samples) == 4 for t in times.values())
    assert times["b"].median > 2.5 * times["a"].median
    timed = order[4:]  # 2 warm-up + 2 calibration calls first
    assert timed[0] == "a" and "b" in timed and timed[-1] == "b"  # round-robin
    with pytest.raises(ValueError):
        interleaved({})
    with pytest.raises(ValueError):
        interleaved({"a": lambda: None}, rounds=0)


def test_cold_call_counts_one_call():
    ticks = itertools.count()
    assert cold_call(lambda: [next(ticks) for _ in range(5)], clock=lambda: float(next(ticks))) == 6


def test_layer_intensities_of_mobilenet():
    model = MobileNetV1(0.25, 10)
    rows = layer_intensities(model, (1, 3, 64, 64))
    assert len(rows) == 28  # 27 convolutions + the classifier
    assert sum(r.mult_adds for r in rows) == count_mult_adds(model, (1, 3, 64, 64))
    dw = [r.intensity for r in rows if r.kind == "depthwise"]
    pw = [r.intensity for r in rows if r.kind == "pointwise"]
    assert max(dw) < 9 / 4  # at most 9 mult-adds per 4-byte value read
    assert sorted(pw)[len(pw) // 2] > 2 * max(dw)  # the median pointwise layer
    first_dw = next(r for r in rows if r.kind == "depthwise")
    c, f = 8, 32  # α = 0.25: 8 channels, stride-1 on 32×32
    assert first_dw.mult_adds == 9 * c * f * f
    assert first_dw.bytes_moved == 4 * (2 * c * f * f + 9 * c)
    assert model.training  # mode restored


def test_layer_intensities_rejects_non_modules():
    with pytest.raises(TypeError):
        layer_intensities("mobilenet")
    assert layer_intensities(nn.Sequential(nn.Flatten()), (1, 1, 2, 2)) == []


def test_attainable_is_the_roofline():
    assert attainable(1.0, peak=100.0, bandwidth=20.0) == 20.0
    assert attainable(10.0, peak=100.0, bandwidth=20.0) == 100.0


def test_time_block_times_one_block_per_call():
    ticks = itertools.count()
    calls = []
    seconds = time_block(lambda: calls.append(next(ticks)), 4, clock=lambda: float(next(ticks)))
    assert len(calls) == 4 and seconds == 5 / 4  # 4 calls + the closing reading, per call
    with pytest.raises(ValueError):
        time_block(lambda: None, 0)
    with pytest.raises(TypeError):
        time_block(lambda: None, 2.5)


def test_background_load_counts_on_the_process_clock():
    import threading
    import time

    before = threading.active_count()
    with background_load(64):
        assert threading.active_count() == before + 1
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        time.sleep(0.2)  # this thread does nothing: the helper is all the CPU time
        cpu = time.process_time() - start_cpu
        wall = time.perf_counter() - start_wall
    assert threading.active_count() == before  # stopped and joined
    assert cpu > 0.05 * wall  # the helper's work shows on the process clock
    with pytest.raises(ValueError):
        with background_load(0):
            pass


def test_conv_kind_names_the_paper_kinds():
    assert conv_kind(32, 32, (3, 3)) == "depthwise"
    assert conv_kind(32, 1, (1, 1)) == "pointwise"
    assert conv_kind(3, 1, (3, 3)) == "conv"
    assert conv_kind(32, 4, (1, 1)) == "conv"  # grouped, not depthwise


def test_cpu_info_reads_the_flags(tmp_path):
    fake = tmp_path / "cpuinfo"
    fake.write_text("model name\t: Test CPU\nflags\t\t: fpu avx2 avx512f avx512_vnni sse\n")
    cpu = cpu_info(fake)
    assert cpu.model == "Test CPU" and cpu.logical_cores >= 1
    assert cpu.extensions == ("avx2", "avx512f", "avx512_vnni")
    assert cpu.int8_extensions == ("avx512_vnni",)
    assert isinstance(cpu.capability, str) and cpu.capability
    unreadable = cpu_info(tmp_path / "missing")
    assert unreadable.extensions is None and unreadable.int8_extensions is None
    assert unreadable.model  # from the platform module
