"""Chapter 10 exercises: pretrained ImageNet weights (records: ``ch10.toml``)."""

from ._records import standard_checker

check_map_key = standard_checker("ex-10-map-key")
check_normalise = standard_checker("ex-10-normalise")
check_resize = standard_checker("ex-10-resize")
