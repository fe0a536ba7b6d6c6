"""Chapter 7 exercises: the width and resolution multipliers (records: ``ch07.toml``)."""

from ._records import standard_checker

check_predict_mult_adds = standard_checker("ex-07-predict-mult-adds")
check_param_ratio = standard_checker("ex-07-param-ratio")
