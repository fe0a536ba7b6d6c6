"""The English a code cell says to its reader: comments and docstrings (issue 22).

The translated notebook editions show them in the reader's language, through the package's one
catalog (``locale/<lang>/LC_MESSAGES/mobilenet_lab.po``): ``booktools.messages`` extracts them
from the chapters' code cells (:func:`messages`), ``booktools.editions`` writes each translation
in its place (:func:`translate_code`). Code, identifiers, printed values, ``# YOUR CODE HERE`` and
tool markers (``#@title``, ``# noqa``, ``# NBVAL_…``) stay as they are.

- A **comment** is found with :mod:`tokenize` (a ``#`` inside a string is none). Consecutive
  full-line comments at one column are one message (a sentence often runs over several lines),
  their lines joined by spaces; a lone ``#`` ends a message. A comment after code on its line is a
  message of its own.
- A **docstring** (of a function or a class) is one message: its paragraphs, each paragraph's
  lines joined by spaces, separated by blank lines.
- A text is a message only when it holds an English word (:mod:`booktools.english`): ``# (N, M)``
  and ``# B×C×H×W`` are not.

A translation is wrapped again to the notebooks' code column (79 columns, a Hangul syllable
counting two); an inline comment stays on its line.
"""

from __future__ import annotations

import ast
import inspect
import io
import tokenize
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from booktools.english import has_english

WIDTH = 79  # book/ruff.toml: the notebooks' code column
MARKERS = ("@title", "noqa", "type:", "fmt:", "NBVAL", "YOUR CODE HERE", "pragma", "!")


@dataclass(frozen=True)
class Piece:
    """One comment (block) or docstring of a cell: its message and where it is."""

    kind: str  # "comment" (full lines), "inline" (after code) or "docstring"
    message: str
    start: tuple[int, int]  # (line from 1, column) of its first character
    end: tuple[int, int]  # just after its last character


def _code_lines(source: str) -> list[str]:
    """The cell's lines, IPython's ``%`` and ``!`` lines blanked (same line numbers)."""
    return ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.split("\n")]


def _comment_text(token: str) -> str:
    return token[1:].strip()


def _comments(lines: list[str]) -> list[Piece]:
    tokens = tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
    pieces: list[Piece] = []
    block: list[tokenize.TokenInfo] = []

    def close() -> None:
        if block:
            text = " ".join(_comment_text(t.string) for t in block)
            pieces.append(Piece("comment", text, block[0].start, block[-1].end))
            block.clear()

    for token in tokens:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        text = _comment_text(token.string) if token.type == tokenize.COMMENT else ""
        full_line = token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip()
        follows = block and token.start == (block[-1].start[0] + 1, block[-1].start[1])
        if not (full_line and follows and text and not text.startswith(MARKERS)):
            close()
        if token.type != tokenize.COMMENT or not text or text.startswith(MARKERS):
            continue
        if full_line:
            block.append(token)
        else:
            pieces.append(Piece("inline", text, token.start, token.end))
    close()
    return pieces


def _docstring_message(doc: str) -> str:
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)


def _docstrings(lines: list[str]) -> list[Piece]:
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    pieces = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first = node.body[0]
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
            continue
        if not isinstance(first.value.value, str):
            continue
        # ast counts columns in UTF-8 bytes, tokenize (and we) in characters
        start_line, end_line = lines[first.lineno - 1], lines[first.end_lineno - 1]
        start = len(start_line.encode()[: first.col_offset].decode())
        end = len(end_line.encode()[: first.end_col_offset].decode())
        message = _docstring_message(first.value.value)
        pieces.append(Piece("docstring", message, (first.lineno, start), (first.end_lineno, end)))
    return pieces


def pieces(source: str) -> list[Piece]:
    """Every comment and docstring of one code cell that holds English, in order."""
    lines = _code_lines(source.replace("\r\n", "\n"))
    try:
        found = _comments(lines) + _docstrings(lines)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return sorted((p for p in found if has_english(p.message)), key=lambda p: p.start)


def messages(source: str) -> list[str]:
    """The messages of one code cell (what ``booktools.messages`` extracts)."""
    return [p.message for p in pieces(source)]


# --- writing translations back ---------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: wide (Hangul, CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces (a longer word stays
    whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and display_width(lines[-1]) + 1 + display_width(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _render(piece: Piece, text: str) -> str:
    column = piece.start[1]
    indent = " " * column
    if piece.kind == "inline":
        return f"# {text}"
    if piece.kind == "comment":
        return f"\n{indent}".join(f"# {line}" for line in wrap(text, WIDTH - column - 2))
    body_lines = []
    for n, paragraph in enumerate(text.split("\n\n")):
        body_lines += [""] * (n > 0) + wrap(paragraph, WIDTH - column - 3)
    body = "\n".join(f"{indent}{line}" if line else "" for line in body_lines).lstrip()
    body = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body += " "
    return '"""' + body + '"""'


def translate_code(source: str, translate: Callable[[str], str]) -> str:
    """``source`` with each comment and docstring replaced by ``translate(message)`` (left as it
    is where the translation is the message itself)."""
    lines = source.replace("\r\n", "\n").split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    text = "\n".join(lines)
    for piece in reversed(pieces(text)):
        translated = translate(piece.message)
        if translated == piece.message:
            continue
        begin = offsets[piece.start[0] - 1] + piece.start[1]
        finish = offsets[piece.end[0] - 1] + piece.end[1]
        text = text[:begin] + _render(piece, translated) + text[finish:]
    return text
