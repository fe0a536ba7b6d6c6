"""The package's gettext catalogs (domain ``mobilenet_lab``): extract, update, compile.

Every string a reader sees outside the book's pages is written in English in the package and
translated through :mod:`mobilenet_lab.i18n`. This script, run by ``make translations``:

- extracts them with Babel: the Python sources of the package and of ``booktools`` (the
  editions' and the site's own words) and the chapters' code cells (figure titles, labels) with
  the keywords ``tr``, ``tr_in`` (message second) and ``N_``, the exercises' records (``extract_exercises``: every title, hint and
  message of ``mobilenet_lab/exercises/chNN.toml``) and the concept quizzes' JSON
  (``extract_quiz``: every question, answer and feedback), into
  ``_build/gettext/mobilenet_lab.pot``;
- updates ``locale/<lang>/LC_MESSAGES/mobilenet_lab.po`` of every language of
  ``mobilenet_lab.i18n.LANGUAGES`` but English (Babel's update: a new message gets an empty
  entry, a changed one a *fuzzy* guess, a removed one is dropped); ``tests/test_i18n.py`` fails
  until every entry is translated and none is fuzzy;
- compiles each into ``mobilenet_lab/locale/<lang>/LC_MESSAGES/mobilenet_lab.mo``, committed and
  shipped in the wheel (the package is installed from git in Colab, where nothing compiles it).

Usage: python -m booktools.messages
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from mobilenet_lab.exercises._records import load
from mobilenet_lab.i18n import DOMAIN, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]

KEYWORDS = {"tr": None, "tr_in": (2,), "N_": None}
PROJECT = "MobileNet v1 Lab"


Extracted = Iterator[tuple[int, None, str, list[str]]]


def _line_of(lines: list[str], text: str) -> int:
    """The first of ``lines`` that holds ``text`` as a JSON or TOML string, 0 if none does."""
    quoted = json.dumps(text, ensure_ascii=False)
    return next((n for n, line in enumerate(lines, 1) if quoted in line), 0)


def extract_quiz(fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any) -> Extracted:
    """A Babel extractor for a quiz (jupyterquiz's JSON): each question, answer and feedback,
    with a comment that says which it is."""
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    for q, question in enumerate(json.loads(source), start=1):
        yield _line_of(lines, question["question"]), None, question["question"], [f"question {q}"]
        for a, answer in enumerate(question["answers"], start=1):
            for field in ("answer", "feedback"):
                text = answer[field]
                yield _line_of(lines, text), None, text, [f"question {q}, {field} {a}"]


def extract_exercises(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Extracted:
    """A Babel extractor for a chapter's exercises (``chNN.toml``, read as the package reads it):
    each title, hint and message, with a comment naming the exercise and the field."""
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    for exercise in load(Path(fileobj.name).name, source):
        texts = [("title", exercise.title), ("hint", exercise.hint)]
        for key, entry in exercise.messages.items():
            pair = (entry, "") if isinstance(entry, str) else entry
            texts += [(key, pair[0]), (f"{key}, hint", pair[1])]
        for field, text in texts:
            if text:
                yield _line_of(lines, text), None, text, [f"{exercise.id}: {field}"]


def extract_notebook(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Extracted:
    """A Babel extractor for a chapter (``book/*.ipynb``): Python's, on every code cell (lines
    counted from the cell; IPython's ``%`` and ``!`` lines left out)."""
    from babel.messages.extract import extract_python

    for number, cell in enumerate(json.loads(fileobj.read().decode("utf-8"))["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        code = io.BytesIO("\n".join(lines).encode("utf-8"))
        for line, funcname, message, comments in extract_python(code, keywords, [], {}):
            yield line, funcname, message, [f"cell {number}", *comments]


def _sources(root: Path) -> list[tuple[Path, Any]]:
    """Every file that holds messages, with its Babel extraction method."""
    package = root / "mobilenet_lab"
    code = [(path, "python") for path in package.rglob("*.py")]
    code += [(path, "python") for path in (root / "booktools").rglob("*.py")]
    code += [(path, extract_notebook) for path in (root / "book").glob("*.ipynb")]
    code += [(path, extract_exercises) for path in (package / "exercises").glob("ch*.toml")]
    quizzes = [(path, extract_quiz) for path in sorted((package / "quizzes").glob("*.json"))]
    return sorted(code, key=lambda source: source[0]) + quizzes


def template(root: Path = ROOT) -> Catalog:
    """Every message of the package, as a template (``.pot``) catalog."""
    catalog = Catalog(domain=DOMAIN, project=PROJECT, fuzzy=False)
    for path, method in _sources(root):
        where = path.relative_to(root).as_posix()
        with path.open("rb") as handle:
            for line, message, comments, context in extract(method, handle, KEYWORDS):
                catalog.add(
                    message, locations=[(where, line)], auto_comments=comments, context=context
                )
    return catalog


def po_path(language: str, root: Path = ROOT) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str, root: Path = ROOT) -> Path:
    return root / "mobilenet_lab" / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def po_bytes(catalog: Catalog) -> bytes:
    """The ``.po`` file of ``catalog``: no obsolete entries, no line numbers (code moves)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, ignore_obsolete=True, include_lineno=False, width=100)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalog (fuzzy entries left out, as gettext would ignore them)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update(language: str, pot: Catalog, root: Path = ROOT) -> Catalog:
    """``language``'s catalog brought up to ``pot``; removed messages are dropped, not kept."""
    path = po_path(language, root)
    if path.exists():
        catalog = read_catalog(path)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project=PROJECT, fuzzy=False)
    catalog.update(pot, update_creation_date=False)
    catalog.obsolete.clear()
    return catalog


def run(root: Path = ROOT) -> list[str]:
    """Extract, update and compile the catalogs of the tree at ``root``; what was done."""
    pot = template(root)
    out = root / "_build" / "gettext" / f"{DOMAIN}.pot"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(po_bytes(pot))
    done = [f"{out.relative_to(root)}: {len(pot)} messages"]
    for language in LANGUAGES[1:]:
        catalog = update(language, pot, root)
        po, mo = po_path(language, root), mo_path(language, root)
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(po_bytes(catalog))
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(mo_bytes(read_catalog(po)))
        todo = sum(1 for m in catalog if m.id and (m.fuzzy or not m.string))
        done.append(f"{po.relative_to(root)}: {len(catalog)} messages, {todo} to translate")
    return done


if __name__ == "__main__":
    print("\n".join(run()))
