"""Chapter 2 exercises: the depthwise convolution (records: ``ch02.toml``)."""

from __future__ import annotations

from ._records import standard_checker

check_depthwise_params = standard_checker("ex-02-depthwise-params")
check_strided_depthwise = standard_checker("ex-02-strided-depthwise")
