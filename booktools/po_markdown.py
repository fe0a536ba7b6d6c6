"""Apply a page's ``.po`` translations to its MyST Markdown (for the translated notebook editions).

Sphinx translates a page paragraph by paragraph: each message is the raw MyST source of one
paragraph, heading or list item, its line breaks turned into spaces (``locale/<lang>/…/*.po``).
The notebook editions are written from the Markdown cells, not from Sphinx's doctree, so this
module does the same substitution on the cells' source: it finds each paragraph with myst-parser
(the book's own markdown-it parser), looks its message up and replaces the paragraph's text with
the translation, keeping list markers, indentation and directive fences. Directive bodies (a
``{note}``, an exercise) are translated in turn. The result is MyST again, so the ordinary
conversion (``myst_markdown.Converter``) then fills in glued numbers and links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po
from myst_markdown import ROOT, parser


@dataclass
class Catalog:
    """The translations of one language (all its ``.po`` files), and what was looked up."""

    language: str
    messages: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, language: str, root: Path = ROOT) -> Catalog:
        catalog = cls(language)
        for path in sorted((root / "locale" / language / "LC_MESSAGES").rglob("*.po")):
            with path.open("rb") as handle:
                for message in read_po(handle):
                    if message.id and message.string and not message.fuzzy:
                        catalog.messages[message.id] = message.string
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
                if _key(token.content):
                    catalog.missing.append(_key(token.content))
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
