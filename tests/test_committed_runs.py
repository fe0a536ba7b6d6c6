"""The committed Korean runs (``locale/ko/runs/<edition>/``) that the Colab-faithful run reuses.

A committed run stands in for a new one only when it ran the same thing: the same code, cell by
cell, and the same inputs (package, pins, runner). Anything else runs again.
"""

from __future__ import annotations

import nbformat
import pytest

from booktools import book as registry
from booktools import colab_faithful as cf

LANGUAGES = registry.translations()


def _notebook(*sources: str, markdown: str = "text") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown)]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_the_key_follows_the_code_and_the_inputs_only():
    nb = _notebook("x = 1", "print(x)")
    key = cf.run_key(nb, "inputs")
    assert cf.run_key(_notebook("x = 1", "print(x)", markdown="other prose"), "inputs") == key
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    assert cf.run_key(nb, "inputs") == key, "outputs are not an input"
    assert cf.run_key(_notebook("x = 2", "print(x)"), "inputs") != key
    assert cf.run_key(_notebook("x = 1", "print(x)"), "other inputs") != key


def test_the_inputs_digest_follows_the_package(tmp_path, monkeypatch):
    """A changed file of the package changes the digest (the tracked files, read as they are)."""
    before = cf.inputs_digest()
    assert before == cf.inputs_digest()
    real = cf.ROOT / "mobilenet_lab" / "__init__.py"
    original = real.read_bytes()
    read_bytes = type(real).read_bytes

    def changed(path):
        data = read_bytes(path)
        return data + b"\n# changed\n" if path == real else data

    monkeypatch.setattr(type(real), "read_bytes", changed)
    assert real.read_bytes() != original
    assert cf.inputs_digest() != before


@pytest.fixture
def job(tmp_path, monkeypatch) -> cf.Job:
    monkeypatch.setattr(cf, "committed_path", lambda lang, ed, name: tmp_path / "committed" / name)
    monkeypatch.setattr(cf, "run_path", lambda edition, language, name: tmp_path / "run" / name)
    monkeypatch.setattr(cf, "edition_path", lambda edition, language, name: tmp_path / "edition")
    (tmp_path / "edition").write_text("the current edition")
    return cf.Job("ko-student", "01_x.ipynb", tmp_path / "job", key="k1")


def _commit(tmp_path, key: str) -> None:
    nb = _notebook("x = 1")
    nb.metadata["colab_faithful"] = {"run_sha256": key, "glued": {}}
    (tmp_path / "committed").mkdir(exist_ok=True)
    nbformat.write(nb, tmp_path / "committed" / "01_x.ipynb")


def test_a_committed_run_of_the_same_key_is_reused(job, tmp_path):
    """... and counts as a run of the current edition (whose code it ran)."""
    _commit(tmp_path, "k1")
    assert cf.reuse(job) and job.reused
    saved = nbformat.read(tmp_path / "run" / "01_x.ipynb", as_version=4)
    assert saved.metadata["colab_faithful"]["edition_sha256"] == cf.digest(tmp_path / "edition")


def test_a_committed_run_of_another_key_runs_again(job, tmp_path, capsys):
    _commit(tmp_path, "k0")
    assert not cf.reuse(job) and not job.reused
    assert not (tmp_path / "run" / "01_x.ipynb").exists()
    assert "out of date" in capsys.readouterr().out


def test_the_english_run_is_never_reused(job, tmp_path):
    """It is the test that the committed outputs reproduce."""
    _commit(tmp_path, "k1")
    assert not cf.reuse(cf.Job("en-reader", "01_x.ipynb", tmp_path / "job", key="k1"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("edition", ["reader", "student"])
def test_every_chapter_has_a_committed_run(language, edition):
    """`make execute` keeps one per chapter and edition, with what it ran (and what a reader run
    glued)."""
    for path in registry.notebooks():
        committed = cf.committed_path(language, edition, path.name)
        assert committed.exists(), f"{committed}: run `make execute NB={path}`"
        meta = nbformat.read(committed, as_version=4).metadata["colab_faithful"]
        assert len(meta["run_sha256"]) == 64
        assert edition == "student" or meta["glued"] is not None
