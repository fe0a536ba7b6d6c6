"""The chapter registry (booktools.book) and every numbered chapter's completeness.

A chapter is complete when everything that refers to it by number exists: its concept quiz, its
checkers, its hidden tests, its think answers, its teacher notes, each translation's ``.po``
file, and its entries in the teacher page's generated parts. CONTRIBUTING.md lists what adding a
chapter takes; this is the test that says what is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from importlib import resources

import nbformat
import pytest

from booktools import book as registry
from booktools import teacher_page
from booktools.assignments import book_solutions
from booktools.cells import checker_name
from booktools.hidden import hidden_tests
from mobilenet_lab.i18n import LANGUAGES

CHAPTERS = registry.chapters()


def test_chapters_are_the_numbered_notebooks_in_reading_order():
    assert [c.number for c in CHAPTERS] == list(range(1, len(CHAPTERS) + 1))
    assert len(CHAPTERS) >= 10
    pages = registry.pages()
    assert [c.page for c in CHAPTERS] == [p for p in pages if p in {c.page for c in CHAPTERS}]
    for chapter in CHAPTERS:
        assert chapter.name.startswith(f"{chapter.number:02d}_"), (
            f"{chapter.page} is chapter {chapter.number} in _toc.yml: name it "
            f"book/{chapter.number:02d}_…"
        )
        assert registry.page_of(chapter.path) == chapter.page
    assert registry.number("book/appendix_paper_numbers") is None


def test_published_urls_come_from_the_config():
    config = registry.config()
    colab = config["launch_buttons"]["colab_url"]
    branch = config["sphinx"]["config"]["notebook_editions"]["branch"]
    assert registry.colab_url("reader", "01_x.ipynb", "ko") == (
        f"{colab}/github/{registry.repository()}/blob/{branch}/ko/reader/01_x.ipynb"
    )
    assert registry.site_url("ko") == config["html"]["baseurl"].rstrip("/") + "/ko/"
    with pytest.raises(ValueError, match="language"):
        registry.site_url("xx")


def test_the_browser_test_reads_the_registry(tmp_path):
    out = tmp_path / "book.json"
    assert registry.main(["--json", str(out)]) == 0
    facts = json.loads(out.read_text())
    assert [c["key"] for c in facts["chapters"]] == [c.key for c in CHAPTERS]
    assert facts["colab"]["ko"]["student"] + "01_x.ipynb" == registry.colab_url(
        "student", "01_x.ipynb", "ko"
    )


# --- completeness ---------------------------------------------------------------------------------


def _generated_entries(chapter: registry.Chapter, parts: dict[str, str]) -> list[str]:
    """What the teacher page's generated parts lack of ``chapter``."""
    expected = {
        "objectives.md": f"<{chapter.stem}>`",
        "student_links.md": registry.colab_url("student", chapter.name),
        "expected.md": f"\n| {chapter.number} | ",
        "quiz_key.md": f"### Chapter {chapter.number}\n",
        "think.md": f"### Chapter {chapter.number}\n",
    }
    if book_solutions(nbformat.read(chapter.path, 4)):
        expected["exercises.md"] = f"<{chapter.stem}>`"
    return [f"teacher page: {name}" for name, text in expected.items() if text not in parts[name]]


def missing_parts(chapter: registry.Chapter) -> list[str]:
    """Everything a complete chapter has and ``chapter`` lacks (empty: complete)."""
    missing = []
    if not chapter.path.exists():
        return [f"{chapter.page}.ipynb"]
    if not resources.files("mobilenet_lab").joinpath("quizzes", f"{chapter.key}.json").is_file():
        missing.append(f"mobilenet_lab/quizzes/{chapter.key}.json")
    module = f"mobilenet_lab.exercises.{chapter.key}"
    checkers = {checker_name(c) for c in nbformat.read(chapter.path, 4).cells} - {None}
    if importlib.util.find_spec(module) is None:
        missing.append(module)
    elif not all(hasattr(importlib.import_module(module), name) for name in checkers):
        missing.append(f"{module}: the checkers {sorted(checkers)}")
    labels = {label for label, _ in book_solutions(nbformat.read(chapter.path, 4))}
    if len(labels) < 2:
        missing.append(f"{chapter.page}: at least two exercises")
    if not labels <= set(hidden_tests(chapter.key)):
        missing.append(f"grading/hidden/{chapter.key}.py: tests of {sorted(labels)}")
    for language in registry.translations():
        listed = registry.translation_status(language)
        if chapter.page not in listed["translated"] + listed["pending"]:
            missing.append(f"locale/translated.yml: {chapter.page} under {language}")
        if not (
            registry.ROOT / "locale" / language / "LC_MESSAGES" / f"{chapter.page}.po"
        ).exists():
            missing.append(f"locale/{language}/LC_MESSAGES/{chapter.page}.po")
    for part in (
        lambda: teacher_page.think_answers((chapter,)),
        lambda: teacher_page.teacher_notes(chapter),
    ):
        try:
            part()
        except ValueError as err:
            missing.append(str(err))
    return missing


@pytest.fixture(scope="module")
def teacher_parts() -> dict[str, str]:
    return teacher_page.includes()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.key)
def test_every_chapter_is_complete(chapter, teacher_parts):
    missing = missing_parts(chapter) + _generated_entries(chapter, teacher_parts)
    assert not missing, f"{chapter.page} lacks: " + "; ".join(missing)


def test_completeness_names_what_a_new_chapter_lacks(monkeypatch, tmp_path):
    """Chapter 11 with only its notebook: the test lists every other file it needs."""
    source = nbformat.read(CHAPTERS[0].path, 4)
    notebook = tmp_path / "11_new_chapter.ipynb"
    nbformat.write(source, notebook)
    new = registry.Chapter(11, "book/11_new_chapter")
    monkeypatch.setattr(registry.Chapter, "path", property(lambda self: notebook))
    missing = " ".join(missing_parts(new))
    for part in ("quizzes/ch11.json", "exercises.ch11", "hidden/ch11.py", "think/ch11.md"):
        assert part in missing, part
    assert "teacher_notes/ch11.md" in missing and "book/11_new_chapter.po" in missing


def test_the_teacher_page_names_no_chapter_itself():
    """Adding a chapter needs no edit of book/teachers.md: its per-chapter parts are generated."""
    text = (registry.ROOT / "book" / "teachers.md").read_text(encoding="utf-8")
    assert not re.search(r"think/ch\d\d|^\*\*Chapter \d+:|^\| \d+ \|", text, re.MULTILINE)
    for name in teacher_page.includes():
        assert f"{{include}} ../_build/teacher_page/{name}" in text, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_hook_owns_the_colab_button_in_every_language(language):
    """book_site rewrites the theme's Colab link (the MyST source on main) into the page's reader
    edition in the page's language; no other extension touches it."""
    from types import SimpleNamespace

    from booktools.sphinxext import book_i18n, book_site, korean

    theme_url = f"https://colab.research.google.com/github/{registry.repository()}/blob/main/"
    button = {"text": "Colab", "url": theme_url + "book/01_standard_convolution.ipynb"}
    context = {"header_buttons": [{"label": "launch-buttons", "buttons": [button]}]}
    app = SimpleNamespace(config=SimpleNamespace(language=language))
    book_site.colab_buttons_open_the_reader_edition(app, "book/01_x", "page.html", context, None)
    assert button["url"] == registry.colab_url("reader", "01_standard_convolution.ipynb", language)
    for module in (book_i18n, korean):
        assert not [name for name in vars(module) if "colab" in name.lower()], module.__name__
