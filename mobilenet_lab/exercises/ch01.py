"""Chapter 1 exercises: the standard convolution (records: ``ch01.toml``)."""

from __future__ import annotations

from ._records import standard_checker

check_conv_params = standard_checker("ex-01-conv-params")
check_one_pixel = standard_checker("ex-01-one-pixel")
check_final_map = standard_checker("ex-01-final-map")
