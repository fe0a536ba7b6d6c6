"""Which words of a translated page, notebook or output are still English (issue 22).

A Korean student meets code identifiers, printed numbers, units and names (PyTorch, MobileNet)
in every chapter; what they must not meet is an English sentence or label. A *word* here is a
run of Latin letters; it is **English** unless it reads as code or a name:

- one letter (a symbol: M, N, k, x), or a word with a digit or an underscore (``Conv2d``,
  ``D_K``, ``state_dict``);
- capitals inside (``MobileNet``, ``BatchNorm``, ``PyTorch``, ``ReLU``) or all capitals
  (``CPU``, ``ONNX``, ``SVD``): a name or an acronym;
- code by its neighbours: ``word(`` (a call), ``word=`` (a keyword), ``.word`` or ``word.x``
  (an attribute or a module), ``(word):`` (a module's child in a network's printout);
- a name, unit or Python word of :data:`ALLOWED` (names of several words, :data:`NAMES`, are
  removed first), a name with a number (``top-1``), or, in a comment or docstring, a name the
  cell's code uses (``alpha``, ``size``: a parameter the docstring describes).

:func:`english_words` lists the English words of a plain text; the callers remove what is code
first (Markdown's code blocks, math outside ``\\text{…}``); code spans (`` `x` ``), URLs, the
exercises' ids (``ex-08-choose-lr``) and an English gloss in parentheses right after a Korean word
(``가중합(weighted sum)``, also after emphasis: ``**연산 강도**(arithmetic intensity)``) are no words.
"""

from __future__ import annotations

import re

#: Names, units and Python words that a Korean page shows as they are.
ALLOWED = frozenset(
    """
    True False None inf nan tensor torch timm numpy sklearn matplotlib ipywidgets tqdm cpu cuda
    torchinfo torchvision einsum Keras Sobel slim Conv dw Colab Jupyter JupyterLab Python Adam
    Table Figure Hub Inductor
    ms px dpi fps kB iOS Android CoreML Linux macOS Windows
    """.split()
)
#: Names of several words (or joined by a hyphen).
NAMES = (
    "scikit-learn",
    "TF-slim",
    "Hugging Face",
    "koreanize-matplotlib",
    "ONNX Runtime",
    "Eckart-Young",
    "et al.",
)

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:'[a-z]+)?")
CODE_SPAN = re.compile(r"(`+)[^`]+?\1")
URL = re.compile(r"\b(?:https?://|www\.)\S+")
#: An exercise's id, which the checkers print: ``[ex-08-choose-lr]``.
EXERCISE_ID = re.compile(r"\bex-\d\d-[a-z0-9-]+")
#: An English gloss in parentheses right after a Korean word: 가중합(weighted sum).
GLOSS = re.compile(r"(?<=[가-힣])\([A-Za-z][A-Za-z' -]*\)")


def _is_code_or_name(word: str, before: str, after: str, names: frozenset[str]) -> bool:
    if len(word) == 1 or re.search(r"[0-9_]", word) or word in ALLOWED or word in names:
        return True
    if re.match(r"-\d", after):  # top-1, ResNet-50
        return True
    if re.search(r"[A-Z]", word[1:]):  # MobileNet, ReLU, ONNX
        return True
    if after.startswith(("(", "=", "[")) or before.endswith(".") or re.match(r"\.[A-Za-z_]", after):
        return True
    return before.endswith("(") and after.startswith("):")


def english_words(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The English words of ``text``, in order (see the module's docstring); ``names``: the
    identifiers of the code the text belongs to."""
    text = GLOSS.sub(" ", CODE_SPAN.sub(" ", EXERCISE_ID.sub(" ", URL.sub(" ", text))))
    for name in NAMES:
        text = text.replace(name, " ")
    found = []
    for match in WORD.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if not _is_code_or_name(match[0], before, after, names):
            found.append(match[0])
    return found


def has_english(text: str) -> bool:
    return bool(english_words(text))


def code_names(source: str) -> frozenset[str]:
    """The names a cell's code uses (not its comments or strings)."""
    import io
    import tokenize

    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.split("\n")]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return frozenset()
    return frozenset(t.string for t in tokens if t.type == tokenize.NAME)


# --- what a notebook shows --------------------------------------------------------------------

TEXT_IN_MATH = re.compile(r"\\text\{([^{}]*)\}")
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
SKIPPED_OUTPUTS = ("image/png", "application/vnd.jupyter.widget-view+json")


def without_math(text: str) -> str:
    """``text`` with each formula (``$…$``, ``$$…$$``, matplotlib's mathtext) replaced by the
    words of its ``\\text{…}``."""

    def words_of_math(match: re.Match) -> str:
        return " " + " ".join(TEXT_IN_MATH.findall(match[1] or match[2] or "")) + " "

    return MATH.sub(words_of_math, text)


def markdown_text(markdown: str) -> str:
    """What a reader reads in a Markdown cell: rendered, code and tags removed, of each formula
    only its ``\\text{…}`` words."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(without_math(markdown))
    html = re.sub(r"<(code|pre)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(?:strong|em)>", "", html)  # **연산 강도**(arithmetic intensity): a gloss
    return re.sub(r"<[^>]+>|&[a-z]+;", " ", html)


def output_texts(cell: dict) -> list[str]:
    """The text of a code cell's outputs that a reader reads: streams, printed values, tables,
    errors (except where the error is the lesson, ``raises-exception``: PyTorch's and Python's own
    messages), and the text of its figures (``metadata.figure_text``, recorded by the
    Colab-faithful run)."""
    lesson = "raises-exception" in cell.get("metadata", {}).get("tags", [])
    texts = [without_math(t) for t in cell.get("metadata", {}).get("figure_text", [])]
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            texts.append("".join(out.get("text", "")))
        elif out.get("output_type") == "error" and not lesson:
            texts.append(f"{out.get('evalue', '')}")
        elif data and not any(kind in data for kind in SKIPPED_OUTPUTS):
            plain = "".join(data.get("text/plain", ""))
            if "text/html" in data and (not plain or re.fullmatch(r"<.*>", plain.strip())):
                html = "".join(data["text/html"])
                plain = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
            if not re.fullmatch(r"<[^\n]*>", plain.strip()):  # an object's repr
                texts.append(plain)
    return texts


def notebook_english(nb: dict) -> list[tuple[int, str, list[str]]]:
    """Every English word a notebook shows: ``(cell index, what, words)`` per cell and kind
    (``markdown``, ``comments`` for comments and docstrings, ``outputs``); a run's ``book-only``
    cells, which no edition shows, aside."""
    from booktools.cells import BOOK_ONLY, tags
    from booktools.code_text import messages

    found = []
    for index, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            parts = [("markdown", [markdown_text(source)])]
        elif cell["cell_type"] == "code" and BOOK_ONLY not in tags(cell):
            parts = [("comments", messages(source)), ("outputs", output_texts(cell))]
        else:
            continue
        names = code_names(source) if cell["cell_type"] == "code" else frozenset()
        for kind, texts in parts:
            known = names if kind == "comments" else frozenset()
            words = [word for text in texts for word in english_words(text, known)]
            if words:
                found.append((index, kind, words))
    return found
