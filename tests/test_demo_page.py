"""The demo page's prose quotes this build's export (booktools.sphinxext.demo_page's ``{demo}``)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from booktools.book import ROOT
from booktools.sphinxext.demo_page import demo_number, demo_numbers

SUMMARY = {
    "models": {
        "separable": {
            "mult_adds": 2_971_904,
            "params": 823_434,
            "test_acc": 0.9667,
            "bytes": 3_403_220,
        },
        "standard": {
            "mult_adds": 24_814_592,
            "params": 7_075_322,
            "test_acc": 1.0,
            "bytes": 28_348_969,
        },
    }
}


def test_the_numbers_come_from_the_export():
    numbers = demo_numbers(SUMMARY)
    assert numbers["n_test"] == "450"
    assert numbers["separable.errors"] == "15" and numbers["standard.errors"] == "0"
    assert numbers["separable.test_acc"] == "96.7 %"
    assert numbers["mult_adds_ratio"] == "8.3" and numbers["params_ratio"] == "8.6"
    assert numbers["standard.mb"] == "28.3"  # what the page's script shows: bytes / 1e6


def test_every_number_the_page_quotes_exists():
    fields = re.findall(r"\{demo\}`([^`]+)`", (ROOT / "book" / "demo.md").read_text())
    assert fields and set(fields) <= set(demo_numbers(SUMMARY))


def test_an_unknown_field_fails_and_a_build_without_models_shows_a_dash():
    env = SimpleNamespace(demo_numbers=demo_numbers(SUMMARY))
    with pytest.raises(ValueError, match="no such number"):
        demo_number("accuracy", env)
    assert demo_number("n_test", SimpleNamespace()) == "—"
