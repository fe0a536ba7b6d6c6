"""One terminology (issue 22): no Korean catalog uses a form that ``locale/ko/terms.toml`` calls
wrong: the pages, the teacher page, the glossary, and the package's catalog (checker feedback and
hints, quizzes, the notebooks' comments and docstrings, figure and table labels)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from booktools import book as registry
from booktools.messages import read_catalog

ROOT = registry.ROOT
TERMS = ROOT / "locale" / "ko" / "terms.toml"
CATALOGS = sorted((ROOT / "locale" / "ko" / "LC_MESSAGES").rglob("*.po"))

#: What a reader does not read as words: code spans, a role's target (``{term}`폭 <width>```),
#: Markdown link targets and URLs.
NOT_WORDS = re.compile(r"(`+)[^`]*?\1|<[^<>\s]+>|\]\([^)]*\)|https?://\S+")
HANGUL = re.compile("[가-힣]")


def terms() -> list[dict]:
    return tomllib.loads(TERMS.read_text(encoding="utf-8"))["term"]


def text(message: str | tuple) -> str:
    return NOT_WORDS.sub(" ", message if isinstance(message, str) else "\n".join(message))


def wrong_forms(msgid: str, msgstr: str) -> list[str]:
    """The wrong forms ``msgstr`` uses; a Korean one that the English ``msgid`` contains too is
    quoted, not used (the glossary's headwords name their alternatives: ``레이어 (층, layer)``)."""
    korean, english = text(msgstr), text(msgid)
    return [
        match[0]
        for term in terms()
        for wrong in term["wrong"]
        for match in re.finditer(wrong, korean)
        if not (HANGUL.search(match[0]) and re.search(wrong, english))
    ]


def test_the_term_list_is_well_formed():
    listed = terms()
    assert len(listed) >= 10
    for term in listed:
        assert set(term) == {"en", "ko", "wrong"}, term
        assert term["wrong"] and all(isinstance(w, str) for w in term["wrong"]), term
        for wrong in term["wrong"]:
            re.compile(wrong)
            assert not re.search(wrong, term["ko"].split(";")[0]), (wrong, term["ko"])


def test_a_wrong_form_is_found():
    """The check itself: a wrong form in the Korean is found, in code or quoted it is not."""
    assert wrong_forms("BatchNorm's running statistics", "BatchNorm의 running 통계") == [
        "running 통계"
    ]
    assert sorted(wrong_forms("the layer", "그 층과 표 3")) == ["층", "표 3"]
    assert wrong_forms("running mean", "running mean입니다") == ["running mean"]
    assert wrong_forms("the test set", "`running 통계`, [링크](https://x/표 3), 층화 추출") == []
    assert wrong_forms("레이어 (층, layer).", "(층, layer) 연산 하나입니다.") == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_every_korean_catalog_uses_the_one_terminology(path: Path):
    found = [
        f"{'/'.join(sorted(forms))}: {text(m.string)[:160]!r}"
        for m in read_catalog(path)
        if m.id and m.string
        for forms in [set(wrong_forms(m.id if isinstance(m.id, str) else m.id[0], m.string))]
        if forms
    ]
    assert not found, f"{path.name}: wrong terms (see locale/ko/terms.toml):\n" + "\n".join(found)
