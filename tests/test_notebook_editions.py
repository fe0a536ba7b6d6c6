"""The notebook editions (booktools.editions): what Colab and Jupyter readers open.

Every generated notebook is plain Markdown (no MyST residue, found with myst-parser's own
parser), every glued number appears as the book shows it, every link into the published book
points at a page and anchor that the built site has, and each edition keeps what it must: the
setup cell, the badge to itself, folded solutions (reader) or stubs (student).
"""

from __future__ import annotations

import re

import nbformat
import pytest
from markdown_it import MarkdownIt
from myst_nb.core.variables import format_plain_text

from booktools import book as registry
from booktools.editions import write_editions
from booktools.glue import glue_values
from booktools.myst_book import Book, Target, parser
from booktools.myst_markdown import ConversionError, Converter
from tests.myst_residue import residue

ROOT = registry.ROOT
NOTEBOOKS = registry.notebooks()
SITE = registry.site_url()
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, dict[str, nbformat.NotebookNode]]:
    written = write_editions(NOTEBOOKS, tmp_path_factory.mktemp("editions"))
    return {
        edition: {p.name: nbformat.read(p, as_version=4) for p in paths}
        for edition, paths in written.items()
    }


def markdown(nb: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def plain_text(md_text: str) -> str:
    """What a reader sees: Markdown rendered, tags dropped, whitespace collapsed."""
    html = MarkdownIt("commonmark").render(md_text)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- the converter on small examples -------------------------------------------------------------

BOOK = Book(
    site="https://example.org/book/",
    terms={"stride": "term-stride"},
    labels={"sec-x": Target("book/05_block", "sec-x", "The block")},
    titles={"book/05_block": "5. The block", "book/appendix": "Appendix"},
    numbers={"book/04_sep": 4, "book/05_block": 5},
)


def convert(text: str, glue: dict[str, str] | None = None) -> str:
    segments = Converter(BOOK, "book/04_sep", glue or {}).segments(text)
    return "\n\n".join(s.text if s.kind == "text" else f"<{s.kind}>" for s in segments)


def test_roles_become_values_and_links():
    out = convert(
        "**{glue:text}`n`** weights, {glue:text}`big:,` mult-adds, a {term}`stride`, "
        "{term}`strides\n<stride>`, {ref}`sec-x`, {doc}`the appendix <appendix>` and $a^2$.",
        {"n": "75", "big": "568740352"},
    )
    assert out.startswith("**75** weights, 568,740,352 mult-adds")
    assert "[stride](https://example.org/book/book/glossary.html#term-stride)" in out
    assert "[strides](https://example.org/book/book/glossary.html#term-stride)" in out
    assert "[The block](https://example.org/book/book/05_block.html#sec-x)" in out
    assert "[the appendix](https://example.org/book/book/appendix.html)" in out
    assert "$a^2$" in out and not residue(out)


def test_blocks_become_headings_quotes_and_solutions():
    out = convert(
        "(sec-y)=\n## Title\n\n```{note}\nA {term}`stride` note.\n```\n\n"
        "```{tip}\n:class: dropdown\nHidden.\n```\n\n"
        "```{exercise-start}\n:label: ex-04-a\n```\nDo it.\n```{exercise-end}\n```\n\n"
        "```{solution-start} ex-04-a\n:class: dropdown\n```\nSecret.\n```{solution-end}\n```\n"
        "$$\nx = 1\n$$"
    )
    assert "(sec-y)=" not in out and out.startswith("## 4.1. Title")
    assert "> **Note**\n>\n> A [stride](" in out
    assert "<details><summary><b>Tip</b></summary>\n\nHidden.\n\n</details>" in out
    assert "### Exercise 4.1\n\nDo it." in out
    assert "<solution-start>\n\nSecret.\n\n<solution-end>" in out
    assert "$$\nx = 1\n$$" in out and not residue(out)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{glue:text}`missing`", "no glued value"),
        ("{term}`nothing`", "not in the glossary"),
        ("{ref}`nowhere`", "unknown label"),
        ("{doc}`nowhere`", "unknown page"),
        ("{abbr}`x`", "no notebook rendering for the role"),
        ("```{figure} x.png\n```", "no notebook rendering for the directive"),
    ],
)
def test_what_cannot_be_rendered_is_an_error(text, message):
    with pytest.raises(ConversionError, match=message):
        convert(text)


# --- every chapter, both editions ----------------------------------------------------------------


@pytest.mark.parametrize("edition", ["reader", "student"])
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_myst_residue(editions, edition, nb):
    md = parser()
    generated = editions[edition][nb.name]
    for index, cell in enumerate(generated.cells):
        if cell.cell_type == "markdown":
            assert not residue(cell.source, md), f"cell {index}: {residue(cell.source, md)}"
            assert not re.search(r"\{(glue|term|ref|doc|exercise|solution)", cell.source)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glued_value_appears_in_the_reader_edition(editions, nb):
    source = nbformat.read(nb, as_version=4)
    values = glue_values(source)
    text = markdown(editions["reader"][nb.name])
    for cell in source.cells:
        if cell.cell_type != "markdown":
            continue
        for match in re.finditer(r"\{glue(?::text)?\}`([^`]+)`", cell.source):
            key, _, spec = match[1].rpartition(":") if ":" in match[1] else (match[1], "", "s")
            shown = format_plain_text(values[key], spec)
            assert shown in text, f"{key} = {shown!r} missing from the reader edition"


@pytest.mark.parametrize("edition", ["reader", "student"])
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_opens_with_its_colab_badge_and_keeps_the_setup_cell(editions, edition, nb):
    generated = editions[edition][nb.name]
    assert generated.cells[0].cell_type == "markdown"
    assert f"]({registry.colab_url(edition, nb.name)})" in generated.cells[0].source
    code = [c for c in generated.cells if c.cell_type == "code" and c.source.strip()]
    assert "%pip install" in code[0].source and "except ImportError" in code[0].source


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_folded_for_readers_and_stubbed_for_students(editions, nb):
    for edition in ("reader", "student"):
        generated = editions[edition][nb.name]
        for cell in generated.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type != "code":
                continue
            if re.match(r"check_\w+\(", cell.source.rstrip().split("\n")[-1]):
                assert not cell.outputs, "a check cell's output would give the answer away"
            if "solution" in tags and edition == "reader":
                assert cell.metadata["jupyter"]["source_hidden"] is True
                assert cell.metadata["cellView"] == "form"
                assert cell.source.startswith("#@title Solution to Exercise ")
            if "solution" in tags and edition == "student":
                assert "YOUR CODE HERE" in cell.source
    assert "YOUR CODE HERE" not in markdown(editions["reader"][nb.name]) + "".join(
        c.source for c in editions["reader"][nb.name].cells
    )


def test_chapter_4_reads_as_the_book_does(editions):
    text = plain_text(markdown(editions["reader"]["04_depthwise_separable_convolution.ipynb"]))
    assert "75 weights (27 + 48) instead of 432" in text
    assert "### Exercise" not in text and "Exercise 4.1" in text


def test_links_into_the_published_book_resolve_in_the_built_site(editions):
    assert (HTML / "index.html").exists(), "build the site first (make build-check)"
    pages: dict[str, str] = {}
    for edition in editions.values():
        for nb in edition.values():
            for url in re.findall(r"\]\((" + re.escape(SITE) + r"[^)\s]+)\)", markdown(nb)):
                path, _, anchor = url.removeprefix(SITE).partition("#")
                target = HTML / path
                assert target.is_file(), f"{url}: no such page in the built site"
                if anchor:
                    html = pages.setdefault(path, target.read_text(encoding="utf-8"))
                    assert f'id="{anchor}"' in html, f"{url}: no such anchor"


def test_headings_and_exercises_are_numbered_as_the_book_numbers_them(editions):
    """Where `_toc.yml` numbers a part, a notebook says "4.2. Title" and "Exercise 4.1" exactly
    where the HTML page does."""
    for nb in NOTEBOOKS:
        page, name = registry.page_of(nb), nb.name
        if registry.number(page) is None:
            continue  # the appendix: Sphinx numbers nothing there
        html = (HTML / f"{page}.html").read_text(encoding="utf-8")
        in_html = re.findall(r'<h[1-4]><span class="section-number">([\d.]+) </span>', html)
        text = markdown(editions["reader"][name])
        in_notebook = re.findall(r"(?m)^#{1,4} ([\d.]+\.) ", text)
        assert in_notebook == in_html, page
        exercises_html = re.findall(r"Exercise (\d+\.\d+)", html)
        exercises_nb = re.findall(r"(?m)^### Exercise (\d+\.\d+)", text)
        assert exercises_nb == sorted(set(exercises_html), key=exercises_html.index), page


def test_numbered_headings():
    book = Book(site="https://example.org/", numbers={"book/04_sep": 4})
    convert = Converter(book, "book/04_sep", {})
    first = convert.segments("# Title\n\n## One\n\n### One a\n\n## Two")[0].text
    assert first == "# 4. Title\n\n## 4.1. One\n\n### 4.1.1. One a\n\n## 4.2. Two"
    assert convert.segments("## Three")[0].text == "## 4.3. Three"
