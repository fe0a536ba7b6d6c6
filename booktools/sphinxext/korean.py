"""What the Korean site needs beyond its translations (loaded from _config.yml).

- Korean search: Sphinx has no Korean search language and would fall back to English, which
  indexes "합성곱은" and "합성곱을" as two words that a search for "합성곱" never finds.
  :class:`SearchKorean` also indexes each Hangul word without its particle (조사).
- Korean line breaks between words (``word-break: keep-all``), not between any two syllables.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.search.en import SearchEnglish

# Particles and endings that Korean glues to a noun, longest first. A word that ends in one of
# them is also indexed without it ("합성곱은" → "합성곱"), so a search for the bare noun finds it.
PARTICLES = sorted(
    """은 는 이 가 을 를 의 에 에서 에게 으로 로 와 과 도 만 까지 부터 보다 처럼 이나 나 이고 고
    이다 이며 며 이라 라 이란 란 으로서 로서 으로써 로써 마다 조차 뿐 입니다 한다 하는 하고 해서
    된다 되는 된 만큼 에는 에도 으로는 로는 과는 와는 이라는 라는 들 들은 들을 들의 들이""".split(),
    key=len,
    reverse=True,
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def korean_stems(word: str) -> list[str]:
    """The forms of one Hangul word that go into the index: itself and itself without a
    particle (when at least two syllables remain)."""
    forms = [word]
    if HANGUL.search(word):
        for particle in PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                forms.append(word[: -len(particle)])
                break
    return forms


class SearchKorean(SearchEnglish):
    """English search (Porter stemmer for the English words on Korean pages) plus Hangul words
    indexed with and without their particle. Queries are split the same way in the browser
    (Sphinx's splitter keeps Hangul syllables together), so "합성곱" finds "합성곱은"."""

    lang = "ko"
    language_name = "Korean"

    def split(self, input: str) -> list[str]:
        words = []
        for word in super().split(input):
            words.extend(korean_stems(word))
        return words

    def word_filter(self, word: str) -> bool:
        # English drops words shorter than 3 characters; Korean nouns are often two syllables.
        if HANGUL.search(word):
            return len(word) >= 1
        return super().word_filter(word)

    def stem(self, word: str) -> str:
        if HANGUL.search(word):
            return word
        return super().stem(word)


# --- line breaks ------------------------------------------------------------------------------

# Korean wraps between words (spaces), not inside them: a browser's default breaks lines between
# any two syllables ("일/반적으로"). Set on the Korean site only; long code still wraps.
KOREAN_LINE_BREAKS = (
    '<style>html[lang="ko"] .bd-content, html[lang="ko"] .bd-sidebar '
    "{ word-break: keep-all; overflow-wrap: break-word; }</style>"
)


def korean_line_breaks(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if (app.config.language or "en") == "ko":
        context["metatags"] = context.get("metatags", "") + KOREAN_LINE_BREAKS


def setup(app: Any) -> dict[str, Any]:
    app.add_search_language(SearchKorean)
    app.connect("html-page-context", korean_line_breaks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
