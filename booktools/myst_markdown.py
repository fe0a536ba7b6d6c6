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

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from markdown_it.token import Token
from myst_nb.core.variables import format_plain_text

from booktools.myst_book import Book, options, parser
from mobilenet_lab.i18n import N_, tr_in

# Admonition directives and their default titles (msgids of the ``mobilenet_lab`` catalog: a
# translated edition shows them in its language).
ADMONITIONS = {
    "note": N_("Note"),
    "tip": N_("Tip"),
    "hint": N_("Hint"),
    "important": N_("Important"),
    "warning": N_("Warning"),
    "caution": N_("Caution"),
    "attention": N_("Attention"),
    "danger": N_("Danger"),
    "error": N_("Error"),
    "seealso": N_("See also"),
    "admonition": "",
}
EXERCISE = N_("Exercise")


class ConversionError(ValueError):
    """A MyST construct that the notebook editions cannot render."""


@dataclass
class Segment:
    """A piece of a converted Markdown cell: text, or the start or end of a solution."""

    kind: str  # "text", "solution-start" or "solution-end"
    text: str = ""
    label: str = ""


def _role_parts(content: str) -> tuple[str, str]:
    """`` text <target> `` → (text, target); `` target `` → ("", target)."""
    match = re.match(r"^(.*?)\s*<([^<>]+)>$", content, re.DOTALL)
    return (match[1].strip(), match[2].strip()) if match else ("", content.strip())


class Converter:
    """Converts the Markdown cells of one page, in order (exercises are numbered as they come)."""

    def __init__(self, book: Book, page: str, glue: dict[str, str], language: str = "en"):
        self.book, self.page, self.glue, self.language = book, page, glue, language
        self.md = parser()
        self.number = book.numbers.get(page)
        self.exercises = 0
        self.sections = [0, 0, 0]  # section numbers below the chapter, as Sphinx counts them
        self.used_glue: set[str] = set()

    @property
    def exercise(self) -> str:
        """The name of the latest exercise ("Exercise 4.2"), as its heading shows it."""
        word = tr_in(self.language, EXERCISE)
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
        found, body = options(token.content)
        if name in ADMONITIONS:
            title = argument or tr_in(self.language, ADMONITIONS[name])
            inner = self._text(body)
            if "dropdown" in found.get("class", ""):
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
            if token.type == "heading_open" and self.number:
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
        number = ".".join(map(str, [self.number, *self.sections[: level - 1]])) + "."
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
