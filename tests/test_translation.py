"""The Korean edition (issue 13): translation coverage, markup kept intact, Korean search, the
language switcher and the Korean notebook editions (the package's own messages, checker feedback
and quizzes: ``tests/test_i18n.py``).

Every page of the table of contents is translated: a new page gets its catalog from
``make translations`` and fails here until every entry of it has its Korean.

Coverage is measured against a fresh extraction of the English source
(``python -m booktools.translation pot``, about 10 s, nothing executed), so an English paragraph
that changed fails here even before anyone has run ``sphinx-intl update``: the new string is
missing, and after the update it is fuzzy, which fails too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from booktools import book as registry
from booktools.myst_book import parser
from booktools.myst_markdown import EXERCISE
from mobilenet_lab.i18n import tr_in
from tests.myst_residue import residue

ROOT = registry.ROOT
LANGUAGE = "ko"
TRANSLATED = list(registry.translated_pages(LANGUAGE))
PO_DIR = ROOT / "locale" / LANGUAGE / "LC_MESSAGES"


def read_catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def pot_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pot")
    result = subprocess.run(
        [sys.executable, "-m", "booktools.translation", "pot", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_every_page_has_its_catalog():
    """The whole book is in Korean: every page of the table of contents has its catalog."""
    missing = [page for page in TRANSLATED if not (PO_DIR / f"{page}.po").exists()]
    assert not missing, f"run `make translations` and translate: {missing}"


def _coverage_problems(page: str, pot_dir: Path) -> list[str]:
    pot_path, po_path = pot_dir / f"{page}.pot", PO_DIR / f"{page}.po"
    if not po_path.exists():
        return [f"{po_path.relative_to(ROOT)} is missing"]
    po = {m.id: m for m in read_catalog(po_path) if m.id}
    problems = []
    for message in read_catalog(pot_path):
        if not message.id:
            continue
        entry = po.get(message.id)
        short = message.id[:70].replace("\n", " ")
        if entry is None:
            problems.append(f"not in the .po file (run make translations): {short!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy (its English changed; check and clear the flag): {short!r}")
        elif not entry.string:
            problems.append(f"no translation: {short!r}")
    return problems


@pytest.mark.parametrize(
    "page",
    TRANSLATED,
)
def test_every_string_has_a_korean_translation(page, pot_dir):
    problems = _coverage_problems(page, pot_dir)
    assert not problems, f"{page}: {len(problems)} problems\n" + "\n".join(problems[:20])


# --- markup: roles, glued numbers and math survive the translation -----------------------------


def _role_target(name: str, content: str) -> str:
    """What a role points at: a glue key, a term's headword, a label or a page (not its text)."""
    content = content.strip()
    if "<" in content and content.endswith(">"):
        content = content[content.rindex("<") + 1 : -1]
    return content.lower() if name == "term" else content


def formula(math: str) -> str:
    """What of a formula a translation keeps: all but the words of its ``\\text{…}`` (which it
    translates, and may reorder: ``\\text{an } N \\text{ matrix}``), blanks ignored."""
    return "".join(re.sub(r"\\text\{[^{}]*\}", " ", math).split())


def markup(text: str) -> Counter:
    """Every role (with its target), formula and code span of one message."""
    found: Counter = Counter()
    for token in parser().parse(text):
        if token.type in ("math_block", "amsmath"):
            found[("math", formula(token.content))] += 1
        for child in token.children or []:
            if child.type == "myst_role":
                found[(child.meta["name"], _role_target(child.meta["name"], child.content))] += 1
            elif child.type in ("math_inline", "math_single", "math_inline_double"):
                found[("math", formula(child.content))] += 1
            elif child.type == "code_inline":
                found[("code", child.content)] += 1
    return found


def translated_entries():
    for page in TRANSLATED:
        for message in read_catalog(PO_DIR / f"{page}.po"):
            if message.id and message.string:
                yield page, message


def test_no_catalog_keeps_obsolete_entries():
    """A string the pages no longer have leaves its catalog (``#~`` entries are dead weight)."""
    catalogs = sorted((ROOT / "locale").glob("*/LC_MESSAGES/**/*.po"))
    assert len(catalogs) > len(registry.notebooks())
    with_obsolete = [
        str(path.relative_to(ROOT)) for path in catalogs if read_po(path.open("rb")).obsolete
    ]
    assert not with_obsolete


def test_markup_check_catches_a_broken_entry():
    """The check itself: a lost glue role, a changed term target or math are all noticed."""
    msgid = "With {glue:text}`H` rows, see {term}`stride` and $H_\\text{out}$."
    assert markup(msgid) == markup(
        "{glue:text}`H`행, {term}`스트라이드 <stride>`, $H_\\text{out}$."
    )
    assert markup(msgid) != markup("H행, {term}`스트라이드 <stride>`, $H_\\text{out}$.")
    assert markup(msgid) != markup("{glue:text}`H`행, {term}`스트라이드`, $H_\\text{out}$.")
    assert markup(msgid) != markup("{glue:text}`H`행, {term}`스트라이드 <stride>`, $H$.")
    assert markup(msgid) != markup("{glue:text}`H`행, {term]`stride`, $H_\\text{out}$.")
    # the words of a formula's \text{…} are translated (and may move), nothing else in it
    assert markup(msgid) == markup(
        "{glue:text}`H`행, {term}`스트라이드 <stride>`, $H_\\text{출력}$."
    )
    assert markup("$(\\text{an } N \\text{ matrix})$") == markup(
        "$(N \\text{ 크기의 } \\text{행렬})$"
    )
    assert markup(msgid) != markup(
        "{glue:text}`H`행, {term}`스트라이드 <stride>`, $W_\\text{출력}$."
    )


def test_korean_entries_keep_roles_glue_and_math():
    broken = []
    for page, message in translated_entries():
        before, after = markup(message.id), markup(message.string)
        if before != after:
            lost, added = before - after, after - before
            broken.append(f"{page}: {message.id[:60]!r}: lost {dict(lost)}, added {dict(added)}")
    assert not broken, "\n".join(broken)


def unclosed_bold(text: str) -> list[str]:
    """The text pieces of one message that still show a literal ``**``: Markdown did not read it
    as bold. In Korean this happens when a particle follows the closing ``**`` straight after a
    role or punctuation (``**{glue:text}`n`**개``): such a run does not close, so the reader sees
    the asterisks. Write ``**{glue:text}`n`개**`` instead."""
    return [
        child.content
        for token in parser().parse(text)
        for child in token.children or []
        if child.type == "text" and "**" in child.content
    ]


def test_bold_check_catches_an_unclosed_entry():
    assert unclosed_bold("가중치는 **{glue:text}`n`**개입니다.")
    assert not unclosed_bold("가중치는 **{glue:text}`n`개**입니다.")
    assert not unclosed_bold("필터 하나는 채널 **모두**에 걸쳐 있습니다.")
    assert not unclosed_bold("The layer has **{glue:text}`n`** weights.")


def test_korean_bold_is_closed():
    broken = [
        f"{page}: {message.string[:80]!r}: {unclosed_bold(message.string)}"
        for page, message in translated_entries()
        if unclosed_bold(message.string) and not unclosed_bold(message.id)
    ]
    assert not broken, "\n".join(broken)


def test_glossary_headwords_are_translated_once():
    """The glossary is the terminology source: each headword has one Korean headword, and no
    two English terms share one."""
    from booktools.sphinxext.book_i18n import glossary_headwords

    headwords = glossary_headwords(LANGUAGE)
    english = [line.strip() for line in _glossary_terms()]
    assert set(english) <= set(headwords), set(english) - set(headwords)
    korean = [headwords[term] for term in english]
    assert len(set(korean)) == len(korean), [k for k, n in Counter(korean).items() if n > 1]


def _glossary_terms() -> list[str]:
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}")[1].split("```")[0]
    return [line for line in block.split("\n") if line.strip() and not line[0].isspace()]


# --- the sites: search, switcher ---------------------------------------------------------------


def test_korean_search_finds_a_noun_with_its_particle():
    """English search would index "합성곱은" and "합성곱을" but never "합성곱"."""
    from sphinx.search.en import SearchEnglish

    from booktools.sphinxext.korean import SearchKorean

    sentence = "일반 합성곱은 필터를 모든 채널에 적용하고, 깊이별 합성곱을 쓰면 가볍습니다."
    english = SearchEnglish({}).split(sentence)
    assert "합성곱" not in english and "합성곱은" in english
    korean = SearchKorean({})
    words = {korean.stem(w) for w in korean.split(sentence) if korean.word_filter(w)}
    assert {"합성곱", "필터", "채널", "깊이별"} <= words
    assert "합성곱은" in words  # the word as written still matches too


def test_switcher_urls_lead_to_the_same_page():
    from booktools.sphinxext.book_i18n import other_language_url

    assert other_language_url("en", "book/index", "ko") == "../ko/book/index.html"
    assert other_language_url("ko", "book/index", "en") == "../../book/index.html"
    assert other_language_url("en", "index", "ko") == "ko/index.html"
    assert other_language_url("ko", "index", "en") == "../index.html"


def test_theme_words_come_from_the_project():
    """The footer read "으로 MobileNet v1 Lab contributors": the theme's Korean "By". The
    project's ``booktheme.po`` comes first; what it lacks still comes from the theme."""
    from types import SimpleNamespace

    from booktools.sphinxext.book_i18n import theme_words_from_the_project

    config = SimpleNamespace(language=LANGUAGE, locale_dirs=["locale/"])
    app = SimpleNamespace(config=config, srcdir=str(ROOT))
    context = {"translate": {"By": "으로", "Search": "검색"}.get}
    theme_words_from_the_project(app, "book/index", "page.html", context, None)
    assert context["translate"]("By") == "저자:"
    assert context["translate"]("Search") == "검색"


def test_site_words_come_from_the_translation_layer():
    """The sites' own words (switcher, code-cell prompts) are msgids of the package's catalog,
    shown through ``tr_in``; the switcher names each language in that language."""
    from types import SimpleNamespace

    from booktools.sphinxext.book_i18n import SWITCH_TOOLTIP, add_language_switcher
    from booktools.translation import CODE_PROMPTS, site_config
    from mobilenet_lab.i18n import LANGUAGES

    assert site_config(LANGUAGE) == {key: tr_in(LANGUAGE, v) for key, v in CODE_PROMPTS.items()}
    app = SimpleNamespace(config=SimpleNamespace(language=LANGUAGE))
    context: dict = {"header_buttons": []}
    add_language_switcher(app, "book/index", "page.html", context, None)
    switcher = context["header_buttons"][0]
    assert switcher["tooltip"] == tr_in(LANGUAGE, SWITCH_TOOLTIP)
    names = [button["tooltip"] for button in switcher["buttons"]]
    assert names == ["English", "한국어"][: len(LANGUAGES)]
    assert [b["label"] for b in switcher["buttons"]] == [f"language-{c}" for c in LANGUAGES]


# --- the Korean notebook editions --------------------------------------------------------------


@pytest.fixture(scope="module")
def korean_editions(tmp_path_factory):
    from booktools.editions import write_editions

    notebooks = [ROOT / f"{page}.ipynb" for page in TRANSLATED if (ROOT / f"{page}.ipynb").exists()]
    out = tmp_path_factory.mktemp("editions")
    return write_editions(notebooks, out, LANGUAGE)


def _chapter_heading(stem: str) -> tuple[str, str, str, bool]:
    """A notebook's English title, its Korean title (the English title's entry in the page's .po
    file), its chapter number ('' for an unnumbered page) and whether it has exercises."""
    import nbformat

    english = nbformat.read(ROOT / "book" / f"{stem}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in english.cells if c.cell_type == "markdown")
    title = next(line[2:].strip() for line in markdown.split("\n") if line.startswith("# "))
    korean = {m.id: m.string for m in read_catalog(PO_DIR / "book" / f"{stem}.po") if m.id}
    assert korean.get(title), f"book/{stem}.po: no translation of the title {title!r}"
    number = re.match(r"(\d+)_", stem)
    has_exercises = "exercise-start" in markdown
    return title, korean[title], str(int(number[1])) if number else "", has_exercises


def test_korean_editions_are_translated_and_plain_markdown(korean_editions):
    import nbformat

    for edition in ("reader", "student"):
        for path in korean_editions[edition]:
            assert path.parent == path.parents[1] / edition and path.parents[1].name == LANGUAGE
            nb = nbformat.read(path, as_version=4)
            markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            assert not residue(markdown), residue(markdown)[:5]
            assert "/blob/notebooks/ko/" + edition + "/" in nb.cells[0].source
            assert "mobilenet-v1-lab/ko/book/" in markdown  # links into the Korean site
            english, title, number, has_exercises = _chapter_heading(path.stem)
            heading = f"# {number}. {title}" if number else f"# {title}"
            assert heading in markdown.split("\n"), f"{path.name}: no {heading!r}"
            assert english not in markdown, f"{path.name}: the English title is left"
            if has_exercises:  # the editions' own words come from the mobilenet_lab catalog
                assert tr_in(LANGUAGE, EXERCISE) != EXERCISE, "no translation of 'Exercise'"
                assert f"{tr_in(LANGUAGE, EXERCISE)} {number}.1" in markdown, path.name
            codes = [c.source for c in nb.cells if c.cell_type == "code"]
            assert 'set_language("ko")' in codes[1], "the checkers must answer in Korean"
