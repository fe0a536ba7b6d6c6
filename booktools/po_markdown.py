"""Apply a page's ``.po`` translations to its MyST Markdown (for the translated notebook editions).

Sphinx translates a page paragraph by paragraph: each message is the raw MyST source of one
paragraph, heading or list item, its line breaks turned into spaces (``locale/<lang>/…/*.po``).
The notebook editions are written from the Markdown cells, not from Sphinx's doctree, so this
module does the same substitution on the cells' source: it finds each paragraph with myst-parser
(the book's own markdown-it parser), looks its message up and replaces the paragraph's text with
the translation, keeping list markers, indentation and directive fences. Directive bodies (a
``{note}``, an exercise) are translated in turn. The result is MyST again, so the ordinary
conversion (``booktools.myst_markdown.Converter``) then fills in glued numbers and links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from booktools.book import ROOT
from booktools.myst_book import parser


def po_messages(path: Path) -> dict[str, str]:
    """msgid → msgstr of one ``.po`` file: the translated entries that are not fuzzy."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


@dataclass
class Catalog:
    """The translations of the book's pages in one language (all its ``book/*.po`` files)."""

    language: str
    messages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, language: str) -> Catalog:
        catalog = cls(language)
        for path in sorted((ROOT / "locale" / language / "LC_MESSAGES" / "book").glob("*.po")):
            catalog.messages |= po_messages(path)
        return catalog

    def get(self, text: str) -> str | None:
        return self.messages.get(text)


def _key(content: str) -> str:
    """The message id Sphinx extracts for a paragraph: its source with line breaks as spaces."""
    return content.replace("\n", " ").strip()


def translate_markdown(text: str, catalog: Catalog) -> str:
    """``text`` (MyST Markdown) with every paragraph that has a translation replaced by it."""
    md = parser()
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    edits: list[tuple[int, int, str]] = []
    for token in md.parse(text):
        if not token.map:
            continue
        start, end = offsets[token.map[0]], offsets[min(token.map[1], len(lines))]
        if token.type == "inline":
            found = catalog.get(_key(token.content))
            if found is None:
                continue
            # the paragraph's lines, each possibly indented or quoted in the source
            pattern = r"\n[ \t>]*".join(
                re.escape(line.strip()) for line in token.content.split("\n")
            )
            match = re.compile(pattern).search(text, start, end)
            if match is not None:
                edits.append((match.start(), match.end(), found))
        elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            body_start = offsets[token.map[0] + 1]
            body_end = offsets[token.map[1] - 1] if token.map[1] - 1 > token.map[0] else body_start
            body = text[body_start:body_end]
            translated = translate_markdown(body, catalog)
            if translated != body:
                edits.append((body_start, body_end, translated))
    for begin, finish, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[finish:]
    return text
