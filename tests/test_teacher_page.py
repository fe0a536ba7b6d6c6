"""The teacher page's run times: one measurement (benchmarks/chapter_times.py), shown by a role.

``benchmarks/results/chapter_times.json`` is the only source of the run times the page shows:
the expected-results table has a ``{chapter-times}`chNN``` cell per chapter, and the paragraph
below it names the measurement (threads, machine, date, load, whether the machine was idle).
"""

from __future__ import annotations

import importlib.util
import json

import pytest

from booktools import book as registry
from booktools import teacher_page
from booktools.teacher_page import run_time_text

CHAPTERS = registry.chapters()


def measurement(**changes) -> dict:
    times = {
        "command": "python benchmarks/chapter_times.py",
        "date": "2026-12-01 10:00 UTC",
        "threads": 1,
        "rounds": 1,
        "machine": {"cpu": "Some CPU", "cores": 2, "gpu": None, "torch": "2", "python": "3"},
        "load_before": [0.1, 0.2, 0.3],
        "load_after": [1.0, 0.5, 0.4],
        "idle": True,
        "chapters": {"ch01": {"wall_s": [7.4], "cpu_s": [6.0]}},
    }
    times.update(changes)
    return times


@pytest.mark.parametrize(
    ("walls", "shown"), [([7.4], "7 s"), ([59.6], "1 min 0 s"), ([185.0], "3 min 5 s")]
)
def test_a_chapter_shows_its_median_wall_time(walls, shown):
    times = measurement(chapters={"ch01": {"wall_s": walls, "cpu_s": walls}})
    assert run_time_text("ch01", "en", times) == shown


def test_the_median_of_several_rounds():
    times = measurement(rounds=3, chapters={"ch01": {"wall_s": [9.0, 30.0, 10.0], "cpu_s": []}})
    assert run_time_text("ch01", "en", times) == "10 s"
    assert run_time_text("rounds", "en", times) == "the median of 3 runs"
    assert run_time_text("rounds", "en", measurement()) == "a single run"


def test_the_measurement_is_named():
    times = measurement()
    assert run_time_text("threads", "en", times) == "one thread per kernel"
    assert run_time_text("threads", "en", measurement(threads=2)) == "2 threads per kernel"
    assert run_time_text("machine", "en", times) == "Some CPU, 2 logical cores, no GPU"
    assert run_time_text("date", "en", times) == "2026-12-01 10:00 UTC"
    assert run_time_text("load_before", "en", times) == "0.10 / 0.20 / 0.30"
    status = "an idle machine (1- and 5-minute load averages below 0.5)"
    assert run_time_text("status", "en", times) == status


def test_a_run_on_a_busy_machine_says_it_is_not_final():
    """Busy by the 1- or by the 5-minute load average, whatever the file's own flag says."""
    for load in ([0.9, 0.2, 0.1], [0.1, 1.3, 2.0]):
        busy = measurement(load_before=load, idle=True)
        assert "NOT FINAL" in run_time_text("status", "en", busy)


def test_missing_numbers_say_so_and_unknown_fields_fail():
    assert run_time_text("ch02", "en", measurement()) == "not measured yet"
    assert run_time_text("ch01", "en", {}) == "not measured yet"
    with pytest.raises(ValueError, match="no such field"):
        run_time_text("cores", "en", measurement())


def test_every_chapter_row_shows_the_measured_time():
    table = teacher_page.expected_table(CHAPTERS)
    for chapter in CHAPTERS:
        assert f"\n| {chapter.number} | " in table
        assert f"{{chapter-times}}`{chapter.key}` |\n" in table


def test_the_page_names_the_measurement():
    text = (registry.ROOT / "book" / "teachers.md").read_text(encoding="utf-8")
    for field in ("threads", "rounds", "machine", "date", "load_before", "load_after", "status"):
        assert f"{{chapter-times}}`{field}`" in text, field
        run_time_text(field, "en")  # the committed measurement has it


def test_the_committed_measurement_covers_every_chapter():
    times = teacher_page.run_times()
    assert set(times["chapters"]) == {c.key for c in CHAPTERS}
    for chapter in CHAPTERS:
        entry = times["chapters"][chapter.key]
        assert entry["notebook"] == chapter.page + ".ipynb"
        assert len(entry["wall_s"]) == times["rounds"] and min(entry["wall_s"]) > 0


def _script():
    path = registry.ROOT / "benchmarks" / "chapter_times.py"
    spec = importlib.util.spec_from_file_location("chapter_times", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_times_every_chapter_round_robin_and_names_the_machine(monkeypatch, tmp_path):
    script = _script()
    order = []
    monkeypatch.setattr(script, "time_chapter", lambda c: order.append(c.key) or (2.0, 1.5))
    monkeypatch.setattr(script.os, "getloadavg", lambda: (3.0, 2.0, 1.0))
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # restored after the test
        monkeypatch.setenv(variable, "0")
    out = tmp_path / "times.json"
    assert (
        script.main(
            ["--threads", "2", "--rounds", "2", "--chapters", "ch01", "ch02"] + ["--out", str(out)]
        )
        == 0
    )
    times = json.loads(out.read_text())
    assert order == ["ch01", "ch02", "ch01", "ch02"]
    assert times["threads"] == 2 and times["rounds"] == 2 and times["idle"] is False
    assert times["chapters"]["ch02"]["wall_s"] == [2.0, 2.0]
    assert times["machine"]["cores"] and times["machine"]["cpu"]
    assert script.os.environ["OMP_NUM_THREADS"] == "2"
    assert run_time_text("ch01", "en", times) == "2 s"


def test_the_script_refuses_an_unknown_chapter(tmp_path):
    with pytest.raises(SystemExit):
        _script().main(["--chapters", "ch99", "--out", str(tmp_path / "x.json")])
