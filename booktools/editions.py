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
``mobilenet-lab-student.zip``, every chapter's student notebook, which the teacher page offers
(``ko/mobilenet-lab-student.zip``: the Korean ones, which the Korean teacher page offers).

Translated editions (issue 13): ``--language ko`` writes ``<out>/ko/reader/`` and
``<out>/ko/student/`` instead, from the same notebooks with their Markdown translated by the
``.po`` files of ``locale/ko/`` (``po_markdown``; a paragraph without a translation stays in
English), glossary and cross-reference links into the Korean site, links to translated
tutorials where one exists (``booktools.translation.TRANSLATED_LINKS``), the editions' own words
and the code cells' comments and docstrings (``booktools.code_text``: the stubs' exercise
specifications too) through the package's translation layer (``mobilenet_lab.i18n.tr_in``), and
a cell after the setup cell that makes the checkers, figures and tables answer in Korean
(``set_language("ko")``) and says which font draws the figures' Korean. The reader edition
shows the outputs of the chapter's committed Korean run (``locale/ko/runs/reader/``, kept by ``make
execute``; the Korean site renders the same run): Korean figures, tables and feedback before
anything is run. Their Colab badges open ``ko/<edition>/<name>`` on the notebooks branch, where
the Korean pages' Colab buttons point too.

Usage: python -m booktools.editions [--out _build/notebooks] [--language ko] [book/….ipynb ...]
"""

from __future__ import annotations

import argparse
import ast
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from booktools import book as registry
from booktools.cells import SOLUTION, parse, tags
from booktools.code_text import WIDTH, translate_code, wrap
from booktools.dataflow import top_level_names, used
from booktools.glue import glue_values, is_glue_output
from booktools.myst_book import Book, Target, collect_book
from booktools.myst_markdown import EXERCISE, ConversionError, Converter
from booktools.po_markdown import Catalog, translate_markdown
from booktools.stubs import ConventionError, stub_source
from booktools.translation import translated_links
from mobilenet_lab.i18n import N_, tr_in
from mobilenet_lab.notebook import FONTS

ZIP_NAME = "mobilenet-lab-student.zip"
EDITIONS = registry.EDITIONS
COLLAPSED = {"jupyter": {"source_hidden": True}, "cellView": "form"}
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
# What the editions themselves write (msgids of the ``mobilenet_lab`` catalog).
YOUR_TURN = N_(
    "✏️ **Your turn**: replace each `# YOUR CODE HERE` in the next cell, run it, then run the "
    "check below it."
)
SOLUTION_TITLE = N_("Solution to {exercise} (double-click to show the code)")
SCAFFOLD_TITLE = N_("Checks behind the text (run it; no need to read it)")
SOLUTION_SUMMARY = N_("Solution to {exercise}")
READ_ONLINE = N_("Read this chapter in the HTML book")
LANGUAGE_COMMENT = N_("Show the check cells' feedback (✅ / ❌ / ⏳) and hints in {language}.")
FONT_COMMENT = N_(
    "setup_plots() in the next cell draws the figures' {language} text in the {font} font of "
    "the {package} package, which mobilenet_lab installs."
)


def load_book(catalog: Catalog | None = None) -> Book:
    """Terms, labels, titles and numbering of the whole book, with its published address (the
    translated site's, with translated titles, when a ``catalog`` is given)."""
    if catalog is None:
        return collect_book()
    book = collect_book(catalog.language)
    book.titles = {page: catalog.get(title) or title for page, title in book.titles.items()}
    exercise = tr_in(catalog.language, EXERCISE)
    book.labels = {
        label: Target(
            t.page, t.anchor, catalog.get(t.title) or t.title.replace(EXERCISE, exercise, 1)
        )
        for label, t in book.labels.items()
    }
    return book


def language_cell(language: str) -> str:
    """The cell that makes the checkers, figures and tables answer in ``language`` (after the
    setup cell), saying how the figures get their font."""
    name = registry.language_name(language)
    comments = [tr_in(language, LANGUAGE_COMMENT, language=name)]
    if language in FONTS:
        package, font = FONTS[language]
        values = {"language": name, "font": font, "package": package}
        comments.append(tr_in(language, FONT_COMMENT, **values))
    lines = [f"# {line}" for text in comments for line in wrap(text, WIDTH - 2)]
    setting = f'from mobilenet_lab.i18n import set_language\n\nset_language("{language}")\n'
    return "\n".join(lines) + "\n" + setting


# --- one notebook ---------------------------------------------------------------------------------


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
    cell.source = f"#@title {title}\n{cell.source}"


@dataclass
class _Edition:
    """One chapter being written as one edition, cell by cell."""

    edition: str
    book: Book
    page: str
    name: str
    convert: Converter
    catalog: Catalog | None = None
    out: nbformat.NotebookNode = field(default_factory=nbformat.v4.new_notebook)
    in_solution: bool = False
    first_code: bool = True
    answers: set[str] = field(default_factory=set)  # the names the solution cells bind

    @property
    def language(self) -> str:
        return self.catalog.language if self.catalog is not None else "en"

    @property
    def student(self) -> bool:
        return self.edition == "student"

    def reads_an_answer(self, code: str) -> bool:
        """Whether hidden code reads a name a solution binds: the book's check of its own
        solution, which would only break the student's notebook while the stub is there."""
        tree = parse(code)
        return tree is not None and bool(used(tree) & self.answers)

    def badge(self) -> str:
        url = registry.colab_url(self.edition, self.name, self.language)
        read = tr_in(self.language, READ_ONLINE)
        return f"[![Open In Colab]({BADGE})]({url}) · [{read}]({self.book.url(self.page)})"

    def markdown(self, cell: nbformat.NotebookNode) -> None:
        if self.catalog is not None:
            cell.source = translated_links(
                translate_markdown(cell.source, self.catalog), self.language
            )
        parts, saw_start = [], False
        for seg in self.convert.segments(cell.source):
            if seg.kind == "solution-start":
                self.in_solution = saw_start = True
            elif seg.kind == "solution-end":
                self.in_solution = False
            elif not self.in_solution:
                parts.append(seg.text)
            elif not self.student:
                summary = tr_in(self.language, SOLUTION_SUMMARY, exercise=self.convert.exercise)
                parts.append(
                    f"<details><summary><b>{summary}</b></summary>\n\n{seg.text}\n\n</details>"
                )
        if saw_start and self.student:
            parts.append(tr_in(self.language, YOUR_TURN))
        if not self.out.cells:
            parts.insert(0, self.badge())
        cell.source = "\n\n".join(parts)
        if cell.source.strip():
            self.out.cells.append(cell)

    def code(self, cell: nbformat.NotebookNode, where: str) -> None:
        cell_tags = tags(cell)
        if SOLUTION in cell_tags:
            self.answers |= top_level_names(cell.source)
            if self.student:
                try:
                    cell.source = stub_source(cell.source)
                except (SyntaxError, ConventionError) as err:
                    raise ConventionError(f"{where}: {err}") from err
            else:
                exercise = self.convert.exercise
                _collapse(cell, tr_in(self.language, SOLUTION_TITLE, exercise=exercise))
        elif self.in_solution and cell.source.strip():
            raise ConventionError(f"{where}: code inside a solution must be tagged `solution`")
        elif "remove-cell" in cell_tags and not self.first_code:
            if _only_glue(cell.source) or (self.student and self.reads_an_answer(cell.source)):
                return
            _collapse(cell, tr_in(self.language, SCAFFOLD_TITLE))
        elif "remove-input" in cell_tags or "hide-input" in cell_tags:
            cell.metadata.update({"jupyter": {"source_hidden": True}})
        setup_cell = self.first_code and bool(cell.source.strip())
        if cell.source.strip():
            self.first_code = False
        if self.student or "remove-output" in cell_tags:
            cell.outputs, cell.execution_count = [], None
        else:
            cell.outputs = [o for o in cell.outputs if not is_glue_output(o)]
        if self.language != "en":
            cell.source = translate_code(cell.source, lambda text: tr_in(self.language, text))
        self.out.cells.append(cell)
        if setup_cell and self.language != "en":
            language = nbformat.v4.new_code_cell(language_cell(self.language))
            language.id = "set-language"  # stable, so an edition's digest names its content
            self.out.cells.append(language)


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
    language = catalog.language if catalog is not None else "en"
    convert = Converter(book, page, glue_values(nb), language)
    writer = _Edition(edition, book, page, name, convert, catalog)
    writer.out.metadata = dict(nb.metadata)
    if writer.student:
        writer.out.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)  # a copy
        if cell.cell_type == "markdown":
            writer.markdown(cell)
        elif cell.cell_type == "code":
            writer.code(cell, f"{name}, cell {index}")
        else:
            writer.out.cells.append(cell)
    if writer.in_solution:
        raise ConventionError(f"{name}: a {{solution-start}} without {{solution-end}}")
    return writer.out


# --- the whole book ------------------------------------------------------------------------------


def with_translated_outputs(
    nb: nbformat.NotebookNode, language: str, name: str
) -> nbformat.NotebookNode:
    """The chapter showing the outputs of its committed translated run (``make execute`` keeps
    it in ``locale/<lang>/runs/reader/``: Korean figures, tables and feedback), when that run ran this
    chapter's code; else as it is, with a warning."""
    from booktools.colab_faithful import committed_path
    from booktools.colab_harness import ran_this_code, with_run_outputs

    path = committed_path(language, "reader", name)
    run = nbformat.read(path, as_version=4) if path.exists() else None
    if run is None or not ran_this_code(run, nb):
        print(f"warning: {name}: no current {language} run in {path.parent} (`make execute`)")
        return nb
    return nbformat.from_dict(with_run_outputs(nb, run))


def write_editions(
    notebooks: list[Path], out_dir: Path, language: str = "en"
) -> dict[str, list[Path]]:
    """Write both editions of ``notebooks`` under ``out_dir`` (``out_dir/<language>`` for a
    translation); return the written paths."""
    catalog = None if language == "en" else Catalog.load(language)
    book = load_book(catalog)
    written: dict[str, list[Path]] = {}
    for edition in EDITIONS:
        folder = out_dir / registry.language_folder(language) / edition
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.ipynb"):
            old.unlink()
        written[edition] = []
        for path in notebooks:
            source = nbformat.read(path, as_version=4)
            if catalog is not None:
                source = with_translated_outputs(source, language, path.name)
            page = registry.page_of(path)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=registry.ROOT / "_build" / "notebooks")
    parser.add_argument("--language", default="en", help="en (default) or ko: see above")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or registry.notebooks()
    try:
        written = write_editions(notebooks, args.out, args.language)
    except (ConventionError, ConversionError) as err:
        print(f"booktools.editions: {err}", file=sys.stderr)
        return 1
    folder = args.out / registry.language_folder(args.language)
    print(
        f"{args.language} notebook editions: {len(notebooks)} notebooks each in "
        f"{folder / 'reader'} and {folder / 'student'}"
    )
    print(f"student zip: {write_student_zip(written['student'], folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
