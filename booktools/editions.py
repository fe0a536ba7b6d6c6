"""The notebook editions of the book, for Colab, JupyterLab, VS Code and GitHub.

One machinery writes two editions of every chapter from the same source, into
``_build/notebooks/``:

- ``reader/``: the chapter as the book shows it, in plain Markdown (``myst_markdown``): glued
  numbers filled in, glossary terms and cross-references linked to the published book, exercises
  numbered, each written solution folded in ``<details>`` and each solution code cell collapsed;
  the committed outputs are kept, except the check cells' (run them to see the feedback);
- ``student/``: the same, except that solutions are gone: every ``solution``-tagged code cell is
  stubbed (each function body becomes ``raise NotImplementedError  # YOUR CODE HERE``, signature
  and docstring kept; each assigned value ``None  # YOUR CODE HERE``), the written solution is
  removed, and every output is cleared.

The two differ only in what happens to solutions. Each notebook opens with an "Open in Colab"
badge pointing at its own edition on the published ``notebooks`` branch. Also written:
``mobilenet-lab-student.zip``, the teacher page's exercise index (``exercises.md``), the chapters'
objectives (``objectives.md``), the student edition's Colab links (``student_links.md``) and the
concept quizzes' answer key (``quiz_key.md``, from ``mobilenet_lab/quizzes/``).

Translated editions (issue 13): ``--language ko`` writes ``<out>/ko/reader/`` and
``<out>/ko/student/`` instead, from the same notebooks with their Markdown translated by the
``.po`` files of ``locale/ko/`` (``po_markdown``; a paragraph without a translation stays in
English), glossary and cross-reference links into the Korean site, the conversion's own words in
Korean, and a cell after the setup cell that makes the checkers answer in Korean
(``set_language("ko")``). Their Colab badges open ``ko/<edition>/<name>`` on the notebooks
branch, where the Korean pages' Colab buttons point too.

Usage: python scripts/make_notebooks.py [--out _build/notebooks] [--language ko] [book/….ipynb ...]
"""

from __future__ import annotations

import argparse
import ast
import sys
import zipfile
from pathlib import Path

import nbformat
import yaml
from myst_markdown import (
    Book,
    ConversionError,
    Converter,
    Target,
    chapter_number,
    collect_book,
    glue_values,
    is_glue_output,
)
from po_markdown import Catalog, translate_markdown

ROOT = Path(__file__).resolve().parents[1]
STUB = "  # YOUR CODE HERE"
ZIP_NAME = "mobilenet-lab-student.zip"
EDITIONS = ("reader", "student")
YOUR_TURN = (
    "✏️ **Your turn**: replace each `# YOUR CODE HERE` in the next cell, run it, then run the "
    "check below it."
)


class ConventionError(ValueError):
    """A solution cell that the student edition cannot stub (see CONTRIBUTING.md)."""


def _docstring_end(func: ast.FunctionDef | ast.AsyncFunctionDef) -> int | None:
    first = func.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.end_lineno
    return None


def _stub_function(func: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str:
    body_line = func.body[0].lineno
    header_end = body_line - 1
    if header_end < func.lineno:  # `def f(): return 1` on one line: rebuild it
        func.body = [ast.Raise(exc=ast.Name("NotImplementedError", ast.Load()))]
        return ast.unparse(func) + STUB
    start = func.decorator_list[0].lineno if func.decorator_list else func.lineno
    kept = lines[start - 1 : header_end]
    doc_end = _docstring_end(func)
    if doc_end is not None:
        kept += lines[header_end:doc_end]
    indent = " " * func.body[0].col_offset
    return "\n".join([*kept, f"{indent}raise NotImplementedError{STUB}"])


def _stub_assignment(node: ast.Assign | ast.AnnAssign, source: str) -> str:
    if isinstance(node, ast.AnnAssign):
        target = ast.get_source_segment(source, node.target)
        annotation = ast.get_source_segment(source, node.annotation)
        return f"{target}: {annotation} = None{STUB}"
    parts = []
    for target in node.targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            parts.append(ast.get_source_segment(source, target))
            parts.append(", ".join("None" for _ in target.elts))
            return " = ".join(parts) + STUB
        parts.append(ast.get_source_segment(source, target))
    return " = ".join(parts) + f" = None{STUB}"


def stub_source(source: str) -> str:
    """The student version of one solution cell's code (raises ConventionError if impossible)."""
    source = source.replace("\r\n", "\n")
    tree = ast.parse(source)
    lines = source.split("\n")
    pieces = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pieces.append(_stub_function(node, lines))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            pieces.append(_stub_assignment(node, source))
        else:
            raise ConventionError(
                f"line {node.lineno}: a solution cell holds only `def` and `name = value`, "
                f"not {type(node).__name__}"
            )
    text = "\n\n".join(pieces)
    ast.parse(text)  # the stub must still be valid Python
    return text + "\n"


# --- where the editions live -------------------------------------------------------------------


def site_config() -> dict[str, str]:
    """Published locations, from `_config.yml`: the HTML book and the notebooks branch."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
    editions = config["sphinx"]["config"]["notebook_editions"]
    return {
        "site": config["html"]["baseurl"].rstrip("/") + "/",
        "colab": f"{config['launch_buttons']['colab_url'].rstrip('/')}/github/{repo}/blob/"
        f"{editions['branch']}/",
    }


def colab_url(edition: str, name: str, language: str = "en") -> str:
    """The Colab link of one notebook of an edition on the published notebooks branch."""
    folder = "" if language == "en" else f"{language}/"
    return f"{site_config()['colab']}{folder}{edition}/{name}"


def book_page(path: Path) -> str:
    """'book/04_…' for a notebook path."""
    return f"book/{path.stem}"


def book_pages() -> list[str]:
    """Every page in `_toc.yml`, in reading order ("book/04_…", without suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part.get("chapters", [])]
    return pages


def numbered_pages() -> set[str]:
    """Pages in the `_toc.yml` parts marked ``numbered: true`` (Sphinx numbers their sections)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return {
        chapter["file"]
        for part in toc.get("parts", [])
        if part.get("numbered")
        for chapter in part.get("chapters", [])
    }


def load_book(catalog: Catalog | None = None) -> Book:
    """Terms, labels, titles and numbering of the whole book, with its published address (the
    translated site's, with translated titles, when a ``catalog`` is given)."""
    book = collect_book(book_pages(), site_config()["site"])
    book.numbered = numbered_pages()
    if catalog is not None:
        book.site += f"{catalog.language}/"
        book.titles = {page: catalog.get(title) or title for page, title in book.titles.items()}
        exercise = WORDS[catalog.language]["Exercise"]
        book.labels = {
            label: Target(
                t.page,
                t.anchor,
                catalog.get(t.title) or t.title.replace("Exercise", exercise, 1),
            )
            for label, t in book.labels.items()
        }
    return book


# --- one notebook ---------------------------------------------------------------------------------

COLLAPSED = {"jupyter": {"source_hidden": True}, "cellView": "form"}
SOLUTION_TITLE = "#@title Solution to {exercise} (double-click to show the code)"
SCAFFOLD_TITLE = "#@title Checks behind the text (run it; no need to read it)"
# What the editions themselves write, per language (English above is the default).
WORDS = {
    "ko": {
        "Exercise": "연습 문제",
        "your_turn": (
            "✏️ **직접 해 보기**: 다음 셀의 `# YOUR CODE HERE`를 모두 채워 실행한 뒤, 그 아래의 "
            "확인 셀을 실행하세요."
        ),
        "solution_title": "#@title {exercise} 풀이 (더블클릭하면 코드가 보입니다)",
        "scaffold_title": "#@title 본문 뒤의 확인 코드 (실행만 하면 되고 읽지 않아도 됩니다)",
        "solution_summary": "{exercise} 풀이",
        "read_online": "HTML 책에서 이 장 읽기",
        "language_cell": (
            "# 확인 셀의 피드백(✅ / ❌ / ⏳)과 힌트를 한국어로 보여 줍니다.\n"
            "from mobilenet_lab.exercises import set_language\n\n"
            'set_language("ko")\n'
        ),
    }
}
ENGLISH = {
    "your_turn": YOUR_TURN,
    "solution_title": SOLUTION_TITLE,
    "scaffold_title": SCAFFOLD_TITLE,
    "solution_summary": "Solution to {exercise}",
    "read_online": "Read this chapter in the HTML book",
}


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _only_glue(source: str) -> bool:
    """A cell that only glues values: it does nothing outside the book build."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(
        isinstance(node, (ast.Import, ast.ImportFrom))
        or (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", "") == "glue"
        )
        for node in tree.body
    )


def _collapse(cell: nbformat.NotebookNode, title: str) -> None:
    """Fold a code cell's source: Colab shows the title, JupyterLab a collapsed input."""
    cell.metadata.update(COLLAPSED)
    cell.source = f"{title}\n{cell.source}"


def _badge(edition: str, name: str, page: str, site: str, language: str = "en") -> str:
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    read = {**ENGLISH, **WORDS.get(language, {})}["read_online"]
    return (
        f"[![Open In Colab]({badge})]({colab_url(edition, name, language)}) · "
        f"[{read}]({site}{page}.html)"
    )


def edition_notebook(
    nb: nbformat.NotebookNode,
    edition: str,
    book: Book,
    page: str,
    name: str = "notebook",
    catalog: Catalog | None = None,
) -> nbformat.NotebookNode:
    """The ``reader`` or ``student`` edition of one chapter (a new notebook); translated by
    ``catalog`` when one is given."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, got {edition!r}")
    student = edition == "student"
    language = catalog.language if catalog is not None else "en"
    words = {**ENGLISH, **WORDS.get(language, {})}
    convert = Converter(book, page, glue_values(nb), language)
    out = nbformat.v4.new_notebook(metadata=dict(nb.metadata))
    if student:
        out.metadata.pop("widgets", None)
    in_solution, first_code = False, True
    for index, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)  # a copy
        where = f"{name}, cell {index}"
        if cell.cell_type == "markdown":
            if catalog is not None:
                cell.source = translate_markdown(cell.source, catalog)
            parts, saw_start = [], False
            for seg in convert.segments(cell.source):
                if seg.kind == "solution-start":
                    in_solution = saw_start = True
                elif seg.kind == "solution-end":
                    in_solution = False
                elif not in_solution:
                    parts.append(seg.text)
                elif not student:
                    summary = words["solution_summary"].format(exercise=convert.exercise)
                    parts.append(
                        f"<details><summary><b>{summary}</b></summary>\n\n{seg.text}\n\n</details>"
                    )
            if saw_start and student:
                parts.append(words["your_turn"])
            if not out.cells:
                parts.insert(0, _badge(edition, name, page, book.site, language))
            cell.source = "\n\n".join(parts)
            if cell.source.strip():
                out.cells.append(cell)
            continue
        if cell.cell_type != "code":
            out.cells.append(cell)
            continue
        tags = _tags(cell)
        if "solution" in tags:
            if student:
                try:
                    cell.source = stub_source(cell.source)
                except (SyntaxError, ConventionError) as err:
                    raise ConventionError(f"{where}: {err}") from err
            else:
                _collapse(cell, words["solution_title"].format(exercise=convert.exercise))
        elif in_solution and cell.source.strip():
            raise ConventionError(f"{where}: code inside a solution must be tagged `solution`")
        elif "remove-cell" in tags and not first_code:
            if _only_glue(cell.source):
                continue
            _collapse(cell, words["scaffold_title"])
        elif "remove-input" in tags or "hide-input" in tags:
            cell.metadata.update({"jupyter": {"source_hidden": True}})
        setup_cell = first_code and bool(cell.source.strip())
        if cell.source.strip():
            first_code = False
        if student or "remove-output" in tags:
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        else:
            cell.outputs = [o for o in cell.outputs if not is_glue_output(o)]
        out.cells.append(cell)
        if setup_cell and "language_cell" in words:
            out.cells.append(nbformat.v4.new_code_cell(words["language_cell"]))
    if in_solution:
        raise ConventionError(f"{name}: a {{solution-start}} without {{solution-end}}")
    return out


def student_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The student edition of ``nb`` (solutions stubbed), for tests and single notebooks."""
    page = next((p for p in book_pages() if p.endswith(Path(name).stem)), f"book/{Path(name).stem}")
    return edition_notebook(nb, "student", load_book(), page, name)


# --- the whole book ------------------------------------------------------------------------------


def write_editions(
    notebooks: list[Path], out_dir: Path, language: str = "en"
) -> dict[str, list[Path]]:
    """Write both editions of ``notebooks`` under ``out_dir`` (``out_dir/<language>`` for a
    translation); return the written paths."""
    catalog = None if language == "en" else Catalog.load(language)
    book = load_book(catalog)
    written: dict[str, list[Path]] = {}
    for edition in EDITIONS:
        folder = out_dir / edition if catalog is None else out_dir / language / edition
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.ipynb"):
            old.unlink()
        written[edition] = []
        for path in notebooks:
            page = str(path.resolve().relative_to(ROOT).with_suffix(""))
            source = nbformat.read(path, as_version=4)
            nb = edition_notebook(source, edition, book, page, path.name, catalog)
            nbformat.write(nb, folder / path.name)
            written[edition].append(folder / path.name)
    return written


def write_student_zip(students: list[Path], out_dir: Path) -> Path:
    zip_path = out_dir / ZIP_NAME
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in students:
            archive.write(path, f"mobilenet-lab-student/{path.name}")
    return zip_path


def student_links(notebooks: list[Path]) -> str:
    """The teacher page's list: each chapter's student notebook, opened in Colab (plain links:
    the site loads nothing from other hosts, so no badge image)."""
    lines = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        title = nb.cells[0].source.strip().splitlines()[0].lstrip("# ").strip()
        lines.append(f"- {title}: [student notebook in Colab]({colab_url('student', path.name)})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "notebooks")
    parser.add_argument("--language", default="en", help="en (default) or ko: see above")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    try:
        written = write_editions(notebooks, args.out, args.language)
    except (ConventionError, ConversionError) as err:
        print(f"make_notebooks: {err}", file=sys.stderr)
        return 1
    if args.language != "en":
        print(
            f"{args.language} notebook editions: {len(notebooks)} notebooks each in "
            f"{args.out / args.language}/reader and {args.out / args.language}/student"
        )
        return 0
    zip_path = write_student_zip(written["student"], args.out)
    from exercise_index import exercises, markdown_table, objectives_markdown

    in_toc = [nb for nb in notebooks if f"book/{nb.stem}" in book_pages()]
    (args.out / "exercises.md").write_text(markdown_table(exercises(in_toc)))
    (args.out / "objectives.md").write_text(objectives_markdown(in_toc))
    chapters = [nb for nb in in_toc if chapter_number(book_page(nb))]
    (args.out / "student_links.md").write_text(student_links(chapters))
    from mobilenet_lab.quiz import answer_key_markdown

    (args.out / "quiz_key.md").write_text(answer_key_markdown())
    print(
        f"notebook editions: {len(notebooks)} notebooks each in {args.out}/reader and "
        f"{args.out}/student; zip {zip_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
