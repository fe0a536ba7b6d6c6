"""One notation, the paper's, in chapters 1–7 and in the package (issue 19).

The book writes a layer as the paper does: D_K for the kernel side, M input and N output
channels, D_F for the side of a feature map (D_G for an output map's side where the two differ)
and B for the batch; an image tensor is B×C×H×W. This test scans what readers read — the
chapters' Markdown, the comments and strings of their code cells (figure labels, printed labels,
docstrings), their Korean pages, their "Think about it" answers, teacher notes and quizzes, and
every docstring, comment and string of the package — and fails on the forms the book used to
drift into:

- a kernel written k×k or K×K, or as kernel height and width (k_h, k_w, kh·kw);
- a weight shape with k or C for the kernel and the channels, such as (C, 1, k, k) or
  (N, M, k, k), or a layer's channels as C (C = 8, D_K·D_K·C);
- the output-size formula in K, S, P and H (⌊(H + 2P − K)/S⌋ + 1, H_out, "K = 3, P = 1");
- a batch written N: (N, C, H, W), N×C×H×W (except where a page says that PyTorch or the blog
  writes it so) or "N images";
- a giga figure without its unit: "GFLOPs" (the book counts mult-adds per image; FLOPs = 2 ×
  mult-adds is said once, in chapter 1) or a number followed by a bare G.

Code itself (identifiers such as ``k``, ``kh``, ``C``) is not prose and is not scanned.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [f"{n:02d}" for n in range(1, 8)]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    instead: str
    unless: re.Pattern[str] | None = None  # a line matching this quotes another notation


RULES = [
    Rule(
        "kernel written k×k",
        re.compile(r"(?<![\w{])[kK]\s*[×·]\s*[kK](?![\w}])|(?<![\w{])[kK]²"),
        "D_K×D_K, D_K·D_K, D_K²",
    ),
    Rule("kernel height and width", re.compile(r"(?<![\w{])k_?[hw](?![\w}])"), "D_K·D_K"),
    Rule(
        "weight shape with k",
        re.compile(r"\b(?:[kK]|kh|k_h),\s*(?:[kK]|kw|k_w)\)"),
        "(N, M, D_K, D_K), (M, 1, D_K, D_K)",
    ),
    Rule(
        "weight shape with C",
        re.compile(r"\(C,\s*(?:1|C|D_K|M|N)\b"),
        "(M, 1, D_K, D_K): a layer's channels are M and N",
    ),
    Rule(
        "a layer's channels as C",
        re.compile(r"(?<![\w{])C\s*=\s*\d|·\s*C(?![\w}])|(?<![\w{])C\s*·"),
        "M (input) and N (output channels)",
    ),
    Rule(
        "output size in K, S, P, H",
        re.compile(
            r"(?<![\w{\\])[KSP]\s*=\s*\d|(?<![\w{])2\s*P(?![\w}])|H_\\text\{out\}|H_out"
            r"|\(H\s*\+|[−-]\s*K\s*\)"
        ),
        "D_G = ⌊(D_F + 2·padding − D_K)/stride⌋ + 1",
    ),
    Rule(
        "batch written N",
        re.compile(r"\(N,\s*C,\s*H,\s*W\)|N\s*×\s*C\s*×\s*H\s*×\s*W|\bN`{0,2}\s+images"),
        "B: (B, C, H, W), B×C×H×W",
        unless=re.compile(r"PyTorch|blog|블로그|파이토치"),
    ),
    Rule(
        "giga figure without its unit",
        re.compile(r"GFLOP|\d\s?G\b(?!\s*(?:mult-adds|곱셈-덧셈))"),
        "mult-adds per image (FLOPs = 2 × mult-adds, said once in chapter 1)",
    ),
]


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (lines of a paragraph joined; markdown emphasis dropped)."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.replace("**", "")):
        out.extend(re.split(r"(?<=[.;!?])\s+", " ".join(paragraph.split())))
    return [s for s in out if s]


def violations(text: str) -> list[str]:
    """The rules ``text`` breaks, one per sentence and rule."""
    found = []
    for sentence in sentences(text):
        for rule in RULES:
            match = rule.pattern.search(sentence)
            if match and not (rule.unless and rule.unless.search(sentence)):
                found.append(f"{rule.name} ({match.group(0)!r}; write {rule.instead}): {sentence}")
    return found


def code_prose(source: str) -> list[str]:
    """The comments and string literals of Python ``source`` (IPython magics dropped)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - the notebooks are valid
        return lines
    return [t.string for t in tokens if t.type in (tokenize.COMMENT, tokenize.STRING)]


def notebook_prose(path: Path) -> list[tuple[str, str]]:
    """(where, text) of every Markdown cell, comment and string of a chapter."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for index, cell in enumerate(nb.cells):
        where = f"{path.name}, cell {index}"
        if cell.cell_type == "markdown":
            out.append((where, cell.source))
        elif cell.cell_type == "code":
            out.extend((where, text) for text in code_prose(cell.source))
    return out


def later_chapter(location: str) -> bool:
    """A file of a chapter after 7 (its notebook, exercises or quiz), which this test leaves to
    that chapter."""
    match = re.search(r"(?:exercises/ch|quizzes/ch|book/)(\d\d)[._]", location)
    return bool(match) and match.group(1) not in CHAPTERS


def po_prose(path: Path) -> list[tuple[str, str]]:
    """(where, translation) of a catalog's entries, except those only chapters 8–10 use."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        (f"{path.name}: {str(m.id)[:50]!r}", "\n".join(m.string) if m.pluralizable else m.string)
        for m in catalog
        if m.id
        and m.string
        and not (m.locations and all(later_chapter(file) for file, _ in m.locations))
    ]


def json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in json_strings(item)]
    return []


def sources() -> dict[str, list[tuple[str, str]]]:
    """What readers read, by file: chapters 1–7 and what goes with them, and the package."""
    found: dict[str, list[tuple[str, str]]] = {}
    for chapter in CHAPTERS:
        for path in sorted((ROOT / "book").glob(f"{chapter}_*.ipynb")):
            found[str(path.relative_to(ROOT))] = notebook_prose(path)
            po = ROOT / "locale/ko/LC_MESSAGES/book" / f"{path.stem}.po"
            if po.exists():
                found[str(po.relative_to(ROOT))] = po_prose(po)
        for path in [
            ROOT / f"book/think/ch{chapter}.md",
            ROOT / f"book/teacher_notes/ch{chapter}.md",
        ]:
            if path.exists():
                found[str(path.relative_to(ROOT))] = [(path.name, path.read_text("utf-8"))]
        quiz = ROOT / f"mobilenet_lab/quizzes/ch{chapter}.json"
        if quiz.exists():
            strings = json_strings(json.loads(quiz.read_text("utf-8")))
            found[str(quiz.relative_to(ROOT))] = [(quiz.name, s) for s in strings]
    package = ROOT / "mobilenet_lab"
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.toml")]):
        name = str(path.relative_to(ROOT))
        if later_chapter(name):
            continue
        text = path.read_text("utf-8")
        prose = code_prose(text) if path.suffix == ".py" else [text]
        found[name] = [(path.name, s) for s in prose]
    catalog = ROOT / "locale/ko/LC_MESSAGES/mobilenet_lab.po"
    if catalog.exists():
        found[str(catalog.relative_to(ROOT))] = po_prose(catalog)
    return found


SOURCES = sources()


def test_every_chapter_is_scanned():
    chapters = [name for name in SOURCES if name.startswith("book/0") and name.endswith(".ipynb")]
    assert len(chapters) == len(CHAPTERS), chapters


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_one_notation(name):
    broken = [f"{where}: {v}" for where, text in SOURCES[name] for v in violations(text)]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(
    "text",
    [
        "a K×K window",
        "for a k×k kernel",
        "$(M / \\text{groups}) \\cdot k_h \\cdot k_w$ products",
        "its weight has shape (C, 1, k, k)",
        "a kernel (N, M, k, k)",
        "a depthwise conv over C = 8 channels",
        "so the weights are D_K·D_K·C·C/groups",
        "⌊(H + 2P − K)/S⌋ + 1",
        "H_\\text{out} = 1",
        "MobileNet uses K = 3, P = 1",
        "images (N, C, H, W)",
        "for the whole input (all ``N`` images)",
        "a batch written N×C×H×W",
        'a tool reports "1.14 GFLOPs"',
        "the summary shows 1.14 G for the batch",
    ],
)
def test_each_rule_catches_its_form(text):
    assert violations(text), text


@pytest.mark.parametrize(
    "text",
    [
        "a D_K×D_K window",
        "weight (N, M, D_K, D_K), depthwise (M, 1, D_K, D_K)",
        "images are B×C×H×W tensors, (B, C, H, W); the photo is H×W×C",
        "PyTorch's documentation writes a batch of images as N×C×H×W",
        'f"{k}×{k} conv, {m} → {n} channels"',
        "D_G = ⌊(D_F + 2·padding − D_K)/stride⌋ + 1",
        "P[o, c]·D[c] is the factorised kernel",
        "1.14 G mult-adds for a batch of two",
        "a 2 GB download",
        "`separable_is_cheaper(k, m, n)`",
    ],
)
def test_the_book_notation_passes(text):
    assert not violations(text), violations(text)
