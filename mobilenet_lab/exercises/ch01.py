"""Chapter 1 exercises: the standard convolution (records: ``ch01.toml``)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ._core import Case, Feedback, call_answer, checker, correct, judge
from ._records import record, standard_checker

check_conv_params = standard_checker("ex-01-conv-params")
check_output_size = standard_checker("ex-01-output-size")


@checker(record("ex-01-weighted-sum"))
def check_weighted_sum(one_output: Any) -> Feedback:
    """``one_output(x, weight, o, i, j)``: output channel ``o`` at row ``i``, column ``j`` of a
    conv without padding or bias, for ``x`` of shape ``(M, H, W)`` and ``weight`` ``(N, M, k, k)``."""
    g = torch.Generator().manual_seed(1)
    for m, n, k, size in ((3, 4, 3, 7), (2, 5, 5, 9)):
        x = torch.randn(m, size, size, generator=g)
        weight = torch.randn(n, m, k, k, generator=g)
        reference = F.conv2d(x[None], weight)[0]
        for o, i, j in ((0, 0, 0), (n - 1, 2, 1), (1, size - k, size - k)):
            one_channel = (x[0, i : i + k, j : j + k] * weight[o, 0]).sum().item()
            case = Case(
                (o, i, j), reference[o, i, j].item(), {"one_channel": one_channel}, {"m": m, "k": k}
            )
            got = call_answer(one_output, x.clone(), weight.clone(), o, i, j)
            feedback = judge([got], [case])
            if not feedback:
                return feedback
    return correct()
