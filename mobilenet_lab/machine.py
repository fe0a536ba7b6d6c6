"""The machine a timing comes from: CPU model, logical cores, vector extensions, load.

A timing means little without the machine behind it, and machines differ between runs (even
between two sessions on "the same" cloud service), so chapter 9 and ``benchmarks/`` read the
CPU they run on instead of assuming one. :func:`cpu_info` reads Linux's ``/proc/cpuinfo``
(elsewhere the model comes from :mod:`platform` and the extensions are unknown), PyTorch's own
verdict on the CPU (``torch.backends.cpu.get_cpu_capability()``: the vector code ATen dispatches
to) and the load average.

The extensions listed (:data:`VECTOR_EXTENSIONS`) are those that decide what float32 and 8-bit
integer arithmetic cost on x86: AVX2 and AVX-512 (vector width), AVX-512 VNNI and AVX-VNNI
(one instruction for four 8-bit multiply-adds into a 32-bit sum), AVX-512 BF16 and AMX (tile
units for 8-bit and bfloat16 matrix products).
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import torch

#: The x86 flags that matter for float32 and INT8 inference, as ``/proc/cpuinfo`` names them.
VECTOR_EXTENSIONS: tuple[str, ...] = (
    "avx2",
    "avx512f",
    "avx512_vnni",
    "avx_vnni",
    "avx512_bf16",
    "amx_int8",
    "amx_bf16",
)
#: The flags that give 8-bit integer products their own instructions (VNNI) or tiles (AMX).
INT8_EXTENSIONS: tuple[str, ...] = ("avx512_vnni", "avx_vnni", "amx_int8")


@dataclass(frozen=True)
class CpuInfo:
    """What :func:`cpu_info` found. ``extensions`` is ``None`` where the flags are unreadable."""

    model: str
    logical_cores: int
    extensions: tuple[str, ...] | None
    capability: str
    load: tuple[float, float, float] | None

    @property
    def int8_extensions(self) -> tuple[str, ...] | None:
        """The VNNI and AMX flags among ``extensions`` (``None`` where unreadable)."""
        if self.extensions is None:
            return None
        return tuple(f for f in self.extensions if f in INT8_EXTENSIONS)


def _cpuinfo(path: Path) -> tuple[str | None, set[str] | None]:
    """Model name and flags from a ``/proc/cpuinfo``-style file (``None`` where absent)."""
    try:
        text = path.read_text()
    except OSError:
        return None, None
    model, flags = None, None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and model is None:
            model = value.strip()
        if key.strip() in ("flags", "Features") and flags is None:
            flags = set(value.split())
    return model, flags


def cpu_info(cpuinfo: str | os.PathLike = "/proc/cpuinfo") -> CpuInfo:
    """Describe the CPU this process runs on (``cpuinfo``: where to read the flags)."""
    model, flags = _cpuinfo(Path(cpuinfo))
    try:
        load = os.getloadavg()
    except (AttributeError, OSError):  # Windows, or no load average
        load = None
    return CpuInfo(
        model=model or platform.processor() or platform.machine() or "unknown",
        logical_cores=os.cpu_count() or 1,
        extensions=None if flags is None else tuple(f for f in VECTOR_EXTENSIONS if f in flags),
        capability=torch.backends.cpu.get_cpu_capability(),
        load=load,
    )
