"""MyST Markdown → plain Markdown that Colab, JupyterLab, VS Code and GitHub render.

The book's Markdown cells use MyST: roles (`` {glue:text}`x` ``, `` {term}`x` ``, `` {ref}`x` ``,
`` {doc}`x` ``), directives (admonitions, sphinx-exercise's gated exercises and solutions) and
``(label)=`` target lines. Notebook front ends render CommonMark only, so they would show that
source. This module finds the constructs with myst-parser's own parser (markdown-it-py with the
same plugins the book build enables) and rewrites exactly those pieces of the source:

- a glued value becomes the text the executed book shows (myst-nb's own formatting);
- a glossary term, a cross-reference or a page link becomes a link to the published page;
- ``{exercise-start}`` becomes a numbered heading ("Exercise 4.2"), and a solution becomes a
  :class:`Segment` of its own, so that the caller decides what a solution turns into;
- an admonition becomes a block quote with a bold title (a ``dropdown`` one a ``<details>``);
- target lines disappear; math (``$…$``, ``$$…$$``) is left as it is.

Anything else raises :class:`ConversionError`: a construct the editions cannot render must be
added here, never left as residue.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_nb.core.variables import format_plain_text
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.util.nodes import _make_id

ROOT = Path(__file__).resolve().parents[1]
GLUE_PREFIX = "application/papermill.record/"
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
    "admonition": "",
}
SOLUTION_DIRECTIVES = {"solution-start", "solution-end", "solution"}
# The words the conversion itself writes, in the translated editions (`make_notebooks.py
# --language ko`); English is the default.
WORDS = {
    "ko": {
        "Exercise": "연습 문제",
        "Note": "참고",
        "Tip": "팁",
        "Hint": "힌트",
        "Important": "중요",
        "Warning": "경고",
        "Caution": "주의",
        "Attention": "주목",
        "Danger": "위험",
        "Error": "오류",
        "See also": "함께 보기",
    }
}


class ConversionError(ValueError):
    """A MyST construct that the notebook editions cannot render."""


def parser() -> MarkdownIt:
    """myst-parser's markdown-it parser with the extensions `_config.yml` enables."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    extensions = set(config["parse"]["myst_enable_extensions"])
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


@dataclass(frozen=True)
class Target:
    """Where a label points on the published site."""

    page: str  # "book/04_depthwise_separable_convolution"
    anchor: str
    title: str


@dataclass
class Segment:
    """A piece of a converted Markdown cell: text, or the start or end of a solution."""

    kind: str  # "text", "solution-start" or "solution-end"
    text: str = ""
    label: str = ""


@dataclass
class Book:
    """What a conversion needs to know about the whole book."""

    site: str  # the published HTML book, ending in "/"
    terms: dict[str, str] = field(default_factory=dict)  # lower-case term → anchor
    labels: dict[str, Target] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # page → title
    numbered: set[str] = field(default_factory=set)  # pages whose sections Sphinx numbers

    def url(self, page: str, anchor: str = "") -> str:
        return f"{self.site}{page}.html" + (f"#{anchor}" if anchor else "")


def chapter_number(page: str) -> str:
    """'book/04_depthwise…' → '4'; '' for pages that are not numbered chapters."""
    match = re.match(r"(\d+)_", PurePosixPath(page).name)
    return str(int(match[1])) if match else ""


def glue_values(nb: dict) -> dict[str, str]:
    """The ``text/plain`` of every value glued in an executed notebook."""
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            record = out.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            prefix = record.get("mime_prefix", "")
            text = out.get("data", {}).get(prefix + "text/plain")
            if text is not None:
                values[record["name"]] = "".join(text)
    return values


def is_glue_output(output: dict) -> bool:
    """A glue record: invisible in Jupyter, read only by the book build."""
    return bool(output.get("metadata", {}).get("scrapbook"))


def _options(content: str) -> tuple[dict[str, str], str]:
    """Split a directive's ``:key: value`` option lines from its body."""
    options, lines = {}, content.split("\n")
    while lines and (match := re.match(r"^:([\w-]+):\s*(.*)$", lines[0])):
        options[match[1]] = match[2].strip()
        lines.pop(0)
    return options, "\n".join(lines).strip("\n")


def _role_parts(content: str) -> tuple[str, str]:
    """`` text <target> `` → (text, target); `` target `` → ("", target)."""
    match = re.match(r"^(.*?)\s*<([^<>]+)>$", content, re.DOTALL)
    return (match[1].strip(), match[2].strip()) if match else ("", content.strip())


def _markdown_files(page: str) -> list[str]:
    """The Markdown of one page (notebook cells, or a MyST .md file)."""
    path = ROOT / f"{page}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return [(ROOT / f"{page}.md").read_text(encoding="utf-8")]


def collect_book(pages: list[str], site: str) -> Book:
    """Terms, labels and page titles of the whole book, for links into the published site."""
    md = parser()
    book = Book(site=site)
    for page in pages:
        number, exercises = chapter_number(page), 0
        for text in _markdown_files(page):
            tokens = md.parse(text)
            for i, token in enumerate(tokens):
                if token.type == "heading_open" and page not in book.titles:
                    book.titles[page] = tokens[i + 1].content
                if token.type == "myst_target":
                    title = (
                        tokens[i + 2].content
                        if tokens[i + 1 : i + 2] and (tokens[i + 1].type == "heading_open")
                        else token.content
                    )
                    book.labels[token.content] = Target(page, _make_id(token.content), title)
                if token.type == "fence" and token.info.startswith("{exercise"):
                    if token.info.split()[0] not in ("{exercise-start}", "{exercise}"):
                        continue
                    exercises += 1
                    options, _ = _options(token.content)
                    if "label" in options:
                        title = f"Exercise {number}.{exercises}" if number else "Exercise"
                        book.labels[options["label"]] = Target(page, options["label"], title)
                if token.type == "fence" and token.info.strip() == "{glossary}":
                    for line in token.content.split("\n"):
                        if line.strip() and not line[0].isspace():
                            term = line.strip()
                            book.terms[term.lower()] = _make_id("term-" + term)
    return book


class Converter:
    """Converts the Markdown cells of one page, in order (exercises are numbered as they come)."""

    def __init__(self, book: Book, page: str, glue: dict[str, str], language: str = "en"):
        self.book, self.page, self.glue = book, page, glue
        self.words = WORDS.get(language, {})
        self.md = parser()
        self.number = chapter_number(page)
        self.exercises = 0
        self.sections = [0, 0, 0]  # section numbers below the chapter, as Sphinx counts them
        self.used_glue: set[str] = set()

    @property
    def exercise(self) -> str:
        """The name of the latest exercise ("Exercise 4.2"), as its heading shows it."""
        word = self.words.get("Exercise", "Exercise")
        return word + (f" {self.number}.{self.exercises}" if self.number else "")

    # --- roles ------------------------------------------------------------------------------

    def _glue_text(self, content: str) -> str:
        key, _, spec = content.rpartition(":") if ":" in content else (content, "", "s")
        if "::" in key:
            raise ConversionError(f"{self.page}: glue from another page is not supported: {key}")
        if key not in self.glue:
            raise ConversionError(f"{self.page}: no glued value {key!r} in the executed notebook")
        self.used_glue.add(key)
        return format_plain_text(self.glue[key], spec)

    def _term(self, content: str) -> str:
        text, target = _role_parts(content)
        anchor = self.book.terms.get((target or text).lower())
        if anchor is None:
            raise ConversionError(f"{self.page}: {{term}} {target!r} is not in the glossary")
        return f"[{text or target}]({self.book.url('book/glossary', anchor)})"

    def _ref(self, content: str) -> str:
        text, label = _role_parts(content)
        target = self.book.labels.get(label)
        if target is None:
            raise ConversionError(f"{self.page}: {{ref}} to an unknown label {label!r}")
        return f"[{text or target.title}]({self.book.url(target.page, target.anchor)})"

    def _doc(self, content: str) -> str:
        text, target = _role_parts(content)
        target = target.removesuffix(".md").removesuffix(".ipynb")
        page = (
            str(PurePosixPath(self.page).parent / target)
            if not target.startswith("/")
            else (target.lstrip("/"))
        )
        page = str(PurePosixPath(page))
        if page not in self.book.titles:
            raise ConversionError(f"{self.page}: {{doc}} to an unknown page {target!r}")
        return f"[{text or self.book.titles[page]}]({self.book.url(page)})"

    def role(self, name: str, content: str) -> str:
        handlers = {
            "glue:text": self._glue_text,
            "glue": self._glue_text,
            "term": self._term,
            "ref": self._ref,
            "numref": self._ref,
            "doc": self._doc,
            "math": lambda c: f"${c}$",
        }
        if name not in handlers:
            raise ConversionError(f"{self.page}: no notebook rendering for the role {{{name}}}")
        return handlers[name](content)

    def _link(self, href: str) -> str:
        """A relative link to another page of the book → its published page."""
        if re.match(r"^[a-z]+:", href) or href.startswith("#"):
            return href
        path, _, anchor = href.partition("#")
        target = PurePosixPath(self.page).parent / path
        page = str(target.with_suffix("")) if target.suffix in (".md", ".ipynb") else None
        if page in self.book.titles:
            return self.book.url(page, anchor)
        return href

    # --- blocks -----------------------------------------------------------------------------

    def _directive(self, token: Token) -> list[Segment]:
        name, _, argument = token.info.strip()[1:].partition("}")
        argument = argument.strip()
        options, body = _options(token.content)
        if name in ADMONITIONS:
            title = argument or self.words.get(ADMONITIONS[name], ADMONITIONS[name])
            inner = self._text(body)
            if "dropdown" in options.get("class", ""):
                text = f"<details><summary><b>{title}</b></summary>\n\n{inner}\n\n</details>"
            else:
                quoted = "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
                text = f"> **{title}**\n>\n{quoted}"
            return [Segment("text", text)]
        if name in ("exercise-start", "exercise"):
            self.exercises += 1
            heading = f"### {self.exercise}" + (f" ({argument})" if argument else "")
            rest = self._text(body) if name == "exercise" else body
            if name == "exercise-start" and rest:
                raise ConversionError(f"{self.page}: text inside {{exercise-start}}'s fence")
            return [Segment("text", heading + (f"\n\n{rest}" if rest else ""))]
        if name == "exercise-end":
            return []
        if name == "solution-start":
            return [Segment("solution-start", label=argument)]
        if name == "solution-end":
            return [Segment("solution-end")]
        if name == "solution":
            return [
                Segment("solution-start", label=argument),
                Segment("text", self._text(body)),
                Segment("solution-end"),
            ]
        if name == "math":
            return [Segment("text", f"$$\n{body}\n$$")]
        if name in ("code-block", "code", "code-cell"):
            return [Segment("text", f"```{argument}\n{body}\n```")]
        raise ConversionError(f"{self.page}: no notebook rendering for the directive {{{name}}}")

    def _inline(self, lines: list[str], token: Token, cursor: dict) -> None:
        """Rewrite the roles and book-relative links of one inline token, in place."""
        start, end = token.map
        text = "\n".join(line for line in lines[start:end] if line is not None)
        pos = cursor.get((start, end), 0)
        for child in token.children or []:
            if child.type == "myst_role":
                name = child.meta["name"]
                # the parser gives a role that spans lines with its line break as a space
                content = r"\s+".join(map(re.escape, child.content.split()))
                pattern = re.compile(r"\{" + re.escape(name) + r"\}(`+)\s*" + content + r"\s*\1")
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                new = self._link(href)
                if new == href:
                    continue
                pattern = re.compile(r"\]\(" + re.escape(href))
            elif child.type.startswith("substitution"):
                raise ConversionError(f"{self.page}: substitutions are not supported")
            else:
                continue
            match = pattern.search(text, pos)
            if match is None:
                raise ConversionError(f"{self.page}: cannot locate {child.type} in {text!r}")
            new = self.role(name, child.content) if child.type == "myst_role" else f"]({new}"
            text = text[: match.start()] + new + text[match.end() :]
            pos = match.start() + len(new)
        cursor[(start, end)] = pos
        lines[start:end] = [text]  # one element now; later maps shift, so we go bottom-up
        lines[start + 1 : start + 1] = [None] * (end - start - 1)  # keep indices stable

    def segments(self, text: str) -> list[Segment]:
        """The converted Markdown of one cell, split where solutions start and end."""
        lines: list = text.split("\n")
        blocks: list[tuple[int, int, list[Segment]]] = []
        cursor: dict = {}
        for token in self.md.parse(text):
            if token.type == "heading_open" and self.page in self.book.numbered:
                self._number_heading(lines, token)
            if token.type == "inline" and token.map:
                self._inline(lines, token, cursor)
            elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
                blocks.append((*token.map, self._directive(token)))
            elif token.type == "myst_target":
                blocks.append((*token.map, []))
            elif token.type == "myst_line_comment":
                blocks.append((*token.map, []))
        out: list[Segment] = []
        pos = 0
        for start, end, pieces in blocks:
            out.append(Segment("text", self._join(lines[pos:start])))
            out.extend(pieces)
            pos = end
        out.append(Segment("text", self._join(lines[pos:])))
        return self._merge(out)

    def _number_heading(self, lines: list, token: Token) -> None:
        """ "## Title" → "## 4.2. Title": the numbers the book's numbered toctree gives."""
        level = int(token.tag[1])
        if level > 4:
            return
        if level > 1:
            self.sections[level - 2 :] = [self.sections[level - 2] + 1] + [0] * (4 - level)
        number = ".".join([self.number, *map(str, self.sections[: level - 1])]) + "."
        start = token.map[0]
        lines[start] = re.sub(r"^(\s*#+)\s+", lambda m: f"{m[1]} {number} ", lines[start])

    @staticmethod
    def _join(lines: list) -> str:
        return "\n".join(line for line in lines if line is not None).strip("\n")

    @staticmethod
    def _merge(segments: list[Segment]) -> list[Segment]:
        merged: list[Segment] = []
        for seg in segments:
            if seg.kind == "text" and not seg.text.strip():
                continue
            if seg.kind == "text" and merged and merged[-1].kind == "text":
                merged[-1].text += "\n\n" + seg.text
            else:
                merged.append(seg)
        return merged

    def _text(self, text: str) -> str:
        """Convert Markdown that may not hold solutions (directive bodies)."""
        pieces = self.segments(text)
        if any(p.kind != "text" for p in pieces):
            raise ConversionError(f"{self.page}: a solution inside another directive")
        return "\n\n".join(p.text for p in pieces)


def residue(text: str, md: MarkdownIt | None = None) -> list[str]:
    """MyST constructs left in converted Markdown (empty when it is plain Markdown)."""
    found = []
    for token in (md or parser()).parse(text):
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            found.append(f"directive {token.info.strip()}")
        elif token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            found.append(f"{token.type} {token.content!r}")
        for child in token.children or []:
            if child.type == "myst_role" or child.type.startswith("substitution"):
                found.append(f"role {{{child.meta.get('name', '')}}}`{child.content}`")
    return found
