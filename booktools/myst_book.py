"""What the whole book defines, for links out of a notebook edition into the published site:
glossary terms, labels, page titles and the numbers Sphinx gives pages and exercises.

Read from the MyST source of every page with myst-parser's own parser (markdown-it-py with the
plugins the book enables), so it finds exactly what the book build finds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.util.nodes import _make_id

from booktools import book as registry


def parser() -> MarkdownIt:
    """myst-parser's markdown-it parser with the extensions `_config.yml` enables."""
    config = MdParserConfig(enable_extensions=set(registry.myst_extensions()))
    return create_md_parser(config, RendererHTML)


@dataclass(frozen=True)
class Target:
    """Where a label points on the published site."""

    page: str  # "book/04_depthwise_separable_convolution"
    anchor: str
    title: str


@dataclass
class Book:
    """What a conversion needs to know about the whole book."""

    site: str  # the published HTML book, ending in "/"
    terms: dict[str, str] = field(default_factory=dict)  # lower-case term → anchor
    labels: dict[str, Target] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # page → title
    numbers: dict[str, int] = field(default_factory=dict)  # page → the number Sphinx gives it

    def url(self, page: str, anchor: str = "") -> str:
        return f"{self.site}{page}.html" + (f"#{anchor}" if anchor else "")


def options(content: str) -> tuple[dict[str, str], str]:
    """Split a directive's ``:key: value`` option lines from its body."""
    found, lines = {}, content.split("\n")
    while lines and (match := re.match(r"^:([\w-]+):\s*(.*)$", lines[0])):
        found[match[1]] = match[2].strip()
        lines.pop(0)
    return found, "\n".join(lines).strip("\n")


def markdown_of(page: str) -> list[str]:
    """The Markdown of one page (its notebook's Markdown cells, or its MyST .md file)."""
    path = registry.ROOT / f"{page}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return [(registry.ROOT / f"{page}.md").read_text(encoding="utf-8")]


def _collect_page(md: MarkdownIt, book: Book, page: str) -> None:
    number, exercises = book.numbers.get(page), 0
    for text in markdown_of(page):
        tokens = md.parse(text)
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and page not in book.titles:
                book.titles[page] = tokens[i + 1].content
            if token.type == "myst_target":
                heading = tokens[i + 1 : i + 2] and tokens[i + 1].type == "heading_open"
                title = tokens[i + 2].content if heading else token.content
                book.labels[token.content] = Target(page, _make_id(token.content), title)
            if token.type == "fence" and token.info.split()[:1] in (
                ["{exercise-start}"],
                ["{exercise}"],
            ):
                exercises += 1
                found, _ = options(token.content)
                if "label" in found:
                    title = f"Exercise {number}.{exercises}" if number else "Exercise"
                    book.labels[found["label"]] = Target(page, found["label"], title)
            if token.type == "fence" and token.info.strip() == "{glossary}":
                for line in token.content.split("\n"):
                    if line.strip() and not line[0].isspace():
                        term = line.strip()
                        book.terms[term.lower()] = _make_id("term-" + term)


def collect_book(language: str = "en") -> Book:
    """Terms, labels, titles and numbers of every page of the book, with the published address
    of the site in ``language`` (titles stay English: the caller translates them)."""
    md = parser()
    numbers = {page: n for page in registry.pages() if (n := registry.number(page))}
    book = Book(site=registry.site_url(language), numbers=numbers)
    for page in registry.pages():
        _collect_page(md, book, page)
    return book
