"""Where ONNX Runtime spends its time, by kind of layer: its profiler's node times, added up.

ONNX Runtime's profiler (``SessionOptions.enable_profiling``) records how long every node of
the graph it runs took, on the wall clock. :func:`time_by_kind` runs an ONNX file ``runs``
times on one input, takes each node's **fastest** run (the least disturbed one: on a busy
machine the operating system takes the core away in the middle of many node runs, so even a
node's median can be inflated, as ``timeit`` warns) and adds them up by kind of layer:

- ``"conv"``, ``"depthwise"``, ``"pointwise"``: the graph's convolutions, whatever ONNX Runtime
  turned them into when it loaded the file (``Conv`` with a fused activation, its blocked-layout
  variant, ``QLinearConv`` in an INT8 graph). They are matched, in execution order, with the
  ``Conv`` nodes of the file (:func:`conv_kinds`), which carry each layer's groups and kernel;
- ``"linear"``: the classifier (``Gemm``, ``QGemm``, ``MatMul`` and their integer forms);
- ``"other"``: everything else (pooling, reshapes, layout changes and, in an INT8 graph, the
  conversions between floats and 8-bit integers).

The sum is less than one call's latency (chapter 9 shows how much: the fastest runs, on another
clock): the session's own work between nodes is in no node, and the fastest runs leave out the
disturbances a real call may meet.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

import torch
from torch import Tensor

from ._validation import check_positive_int
from .counting import conv_kind
from .onnx_export import session_options

#: The kinds :func:`time_by_kind` reports, in the order of a table.
KINDS: tuple[str, ...] = ("conv", "depthwise", "pointwise", "linear", "other")
_LINEAR_OPS = {"Gemm", "QGemm", "FusedGemm", "MatMul", "MatMulInteger", "QLinearMatMul"}


def conv_kinds(path: str | os.PathLike) -> list[str]:
    """The kind of every ``Conv`` node of the ONNX file at ``path``, in graph order (weights
    read through a ``DequantizeLinear`` in a quantized QDQ file)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    shapes = {t.name: tuple(t.dims) for t in graph.initializer}
    made_by = {out: node for node in graph.node for out in node.output}
    kinds = []
    for node in graph.node:
        if node.op_type != "Conv":
            continue
        weight = node.input[1]
        while weight not in shapes and weight in made_by:  # QDQ: DequantizeLinear(weight)
            weight = made_by[weight].input[0]
        if weight not in shapes:
            raise ValueError(f"{path}: the weight of Conv node {node.name!r} is not a constant")
        _, per_group, *kernel = shapes[weight]
        groups = next((a.i for a in node.attribute if a.name == "group"), 1)
        kinds.append(conv_kind(per_group * groups, groups, tuple(kernel)))
    return kinds


def _node_times(path: Path, x: Tensor, runs: int, threads: int) -> dict[str, tuple[str, list]]:
    """Node name → (operator, its durations in µs, one per timed run), in execution order."""
    import onnxruntime as ort

    array = x.detach().to("cpu", torch.float32).contiguous().numpy()
    with tempfile.TemporaryDirectory(prefix="mobilenet-profile-") as folder:
        options = session_options(threads)
        options.enable_profiling = True
        options.profile_file_prefix = str(Path(folder) / "profile")
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: array}
        session.run(None, feed)  # warm-up: its node times are dropped below
        for _ in range(runs):
            session.run(None, feed)
        events = json.loads(Path(session.end_profiling()).read_text())
    nodes: dict[str, tuple[str, list]] = {}
    for event in events:
        name = event.get("name", "")
        if event.get("cat") == "Node" and name.endswith("_kernel_time"):
            nodes.setdefault(name, (event["args"]["op_name"], []))[1].append(event["dur"])
    return {name: (op, durations[-runs:]) for name, (op, durations) in nodes.items()}


def time_by_kind(
    path: str | os.PathLike, x: Tensor, *, runs: int = 20, threads: int = 1
) -> dict[str, float]:
    """Seconds per call that ONNX Runtime spends in each kind of layer (:data:`KINDS`) when it
    runs the file at ``path`` on the input ``x``: every node's fastest of ``runs`` profiled
    runs (after one warm-up run), added up by kind."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no ONNX file at {path}")
    if not isinstance(x, Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    runs = check_positive_int("runs", runs)
    nodes = _node_times(path, x, runs, check_positive_int("threads", threads))
    convs = [name for name, (op, _) in nodes.items() if "Conv" in op]
    kinds = conv_kinds(path)
    if len(convs) != len(kinds):
        raise RuntimeError(
            f"ONNX Runtime ran {len(convs)} convolutions for the {len(kinds)} of {path.name}: "
            "cannot tell which is which"
        )
    kind_of = dict(zip(convs, kinds))
    totals: dict[str, float] = defaultdict(float)
    for name, (op, durations) in nodes.items():
        kind = kind_of.get(name, "linear" if op in _LINEAR_OPS else "other")
        totals[kind] += min(durations) * 1e-6
    return {kind: totals[kind] for kind in KINDS}
