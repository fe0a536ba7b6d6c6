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
- a name, unit or Python word of :data:`ALLOWED`.

:func:`english_words` lists the English words of a plain text; the callers remove what is code
first (Markdown code spans, URLs, math outside ``\\text{…}``).
"""

from __future__ import annotations

import re

#: Names, units and Python words that a Korean page shows as they are.
ALLOWED = frozenset(
    """
    True False None inf nan tensor torch timm numpy sklearn matplotlib ipywidgets tqdm
    Colab Jupyter JupyterLab Python Adam ms px dpi fps kB iOS Android CoreML
    Linux macOS Windows
    """.split()
)

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:'[a-z]+)?")
URL = re.compile(r"\b(?:https?://|www\.)\S+")


def _is_code_or_name(word: str, before: str, after: str) -> bool:
    if len(word) == 1 or re.search(r"[0-9_]", word) or word in ALLOWED:
        return True
    if re.search(r"[A-Z]", word[1:]):  # MobileNet, ReLU, ONNX
        return True
    if after.startswith(("(", "=", "[")) or before.endswith(".") or re.match(r"\.[A-Za-z_]", after):
        return True
    return before.endswith("(") and after.startswith("):")


def english_words(text: str) -> list[str]:
    """The English words of ``text``, in order (see the module's docstring)."""
    text = URL.sub(" ", text)
    found = []
    for match in WORD.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if not _is_code_or_name(match[0], before, after):
            found.append(match[0])
    return found


def has_english(text: str) -> bool:
    return bool(english_words(text))
