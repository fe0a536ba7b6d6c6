"""The publish tree (``make publish``, :mod:`booktools.publish`) and its link test
(:mod:`booktools.links`), in ``make publish-test``.

What goes public is the two folders of ``_build/publish/``: the site (both languages, the demo)
and the notebooks branch (both editions in both languages, the graded notebooks with the public
tests they fetch, the zips, a README), and the workflow publishes exactly those. No link of the
site, of a notebook or of a graded notebook's test download is dead: each address of the tree
(the site's ``html.baseurl``, the notebooks branch's Colab, raw and GitHub addresses, relative
links) names a file of the tree, and every other address is on the allow-list
(``links.EXTERNAL``), checked offline. Removing a published folder makes the link test fail, with
the page, the link and the missing path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from booktools import assignments, links, publish
from booktools import book as registry
from mobilenet_lab.i18n import LANGUAGES

ROOT = registry.ROOT


@pytest.fixture(scope="module")
def tree() -> dict[str, Path]:
    """``make publish``'s tree (written here when missing)."""
    out = publish.OUT
    if not (out / "publish.json").exists():
        return publish.publish()
    return {links.SITE: out / links.SITE, links.NOTEBOOKS: out / links.NOTEBOOKS}


def test_the_site_has_both_languages_and_the_demo(tree):
    site = tree[links.SITE]
    for language in LANGUAGES:
        folder = site / registry.language_folder(language)
        assert (folder / "index.html").exists()
        for page in ("book/demo.html", "book/teachers.html"):
            assert (folder / page).exists(), f"{folder / page}"
    assert any((site / "demo").glob("*.onnx")), "the demo's networks"


def test_the_notebooks_branch_holds_what_colab_opens(tree):
    branch = tree[links.NOTEBOOKS]
    names = sorted(path.name for path in registry.notebooks())
    assert (branch / "README.md").exists()
    for language in LANGUAGES:
        folder = branch / registry.language_folder(language)
        for edition in registry.EDITIONS:
            assert sorted(p.name for p in (folder / edition).glob("*.ipynb")) == names
        assert (folder / publish.ZIP_NAME).exists()
        for chapter in assignments.graded_chapters():
            graded = folder / "assignments" / chapter.stem
            assert (graded / chapter.name).exists()
            assert any((graded / "tests").glob("*.py")), f"{graded}: no public tests"


def test_nothing_secret_goes_public(tree):
    """No autograder zip, no hidden test, no reference solution, no build cache."""
    for root in tree.values():
        for path in root.rglob("*"):
            assert "autograder" not in path.name, path
            assert path.name not in (".buildinfo", ".inputs", ".doctrees"), path
    branch = tree[links.NOTEBOOKS]
    for path in branch.rglob("*.py"):
        assert "hidden=True" not in path.read_text(), path
    for path in (branch / "assignments").rglob("*.ipynb"):
        text = "\n".join(cell.source for cell in nbformat.read(path, 4).cells)
        assert "BEGIN SOLUTION" not in text and "# YOUR CODE HERE" in text, path


def test_no_dead_link(tree):
    problems = links.check(tree)
    assert not problems, "\n".join(map(str, problems[:20]))


def test_the_links_checked_include_colab_raw_and_the_site(tree):
    """The test reads what it must: Korean Colab buttons, the graded notebooks' test downloads,
    the notebooks' links into the site."""
    site_ko = tree[links.SITE] / registry.language_folder(LANGUAGES[-1])
    page = next(iter(sorted((site_ko / "book").glob("0*.html"))))
    colab = registry.notebooks_urls()["colab"] + registry.language_folder(LANGUAGES[-1])
    assert any(link.startswith(colab) for link in links.page_links(page))
    chapter = assignments.graded_chapters()[0]
    graded = tree[links.NOTEBOOKS] / "assignments" / chapter.stem / chapter.name
    raw = registry.notebooks_urls()["raw"] + f"assignments/{chapter.stem}/tests/"
    assert raw in links.page_links(graded)
    reader = tree[links.NOTEBOOKS] / "reader" / chapter.name
    assert any(link.startswith(registry.site_url()) for link in links.page_links(reader))


def _without(tree: dict[str, Path], folder: str, tmp_path: Path) -> dict[str, Path]:
    """A copy of the notebooks branch without ``folder``, as the targets of the link test."""
    branch = tmp_path / links.NOTEBOOKS
    shutil.copytree(tree[links.NOTEBOOKS], branch)
    shutil.rmtree(branch / folder)
    return {links.SITE: tree[links.SITE], links.NOTEBOOKS: branch}


@pytest.mark.parametrize("folder", ["ko/reader", "assignments"])
def test_a_removed_folder_fails_the_link_test(tree, tmp_path, folder):
    """The two dead links the issue found: Korean Colab buttons without ``ko/reader/``, graded
    notebooks whose test downloads have no ``assignments/``."""
    problems = links.check(tree, _without(tree, folder, tmp_path))
    assert problems
    gone = f"{links.NOTEBOOKS}/{folder}"
    assert all(p.missing == gone or p.missing.startswith(gone + "/") for p in problems)
    first = problems[0]
    assert str(first) == f"{first.page}: {first.link} -> missing {first.missing}"


def test_an_unknown_external_address_fails(tmp_path):
    """Addresses outside the tree must be on the allow-list: an unknown one is a problem; a
    known one, a missing page of the site and a fragment without its id are found too."""
    site, branch = tmp_path / links.SITE, tmp_path / links.NOTEBOOKS
    branch.mkdir()
    (site / "book").mkdir(parents=True)
    allowed = links.EXTERNAL[0]
    (site / "book" / "a.html").write_text(
        '<p id="here"><a href="https://example.invalid/page">x</a>'
        f'<a href="{allowed}">y</a><a href="b.html">z</a><a href="#there">w</a>'
        '<a href="#here">v</a></p>'
    )
    problems = links.check({links.SITE: site, links.NOTEBOOKS: branch})
    assert sorted(p.link for p in problems) == ["#there", "b.html", "https://example.invalid/page"]


def test_the_workflow_publishes_exactly_the_two_folders():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uploads = {
        step["uses"].split("@")[0]: step["with"]["path"]
        for step in steps
        if "upload" in step.get("uses", "")
    }
    assert uploads == {
        "actions/upload-pages-artifact": "_build/publish/site",
        "actions/upload-artifact": "_build/publish/notebooks",
    }
    built = [step["run"] for step in steps if "make publish" in step.get("run", "")]
    assert len(built) == 1
