"""``make publish``: the two trees that go public, and nothing else.

``_build/publish/`` holds:

- ``site/``: the Pages site, served at ``html.baseurl``: the English book at its root, each
  translation in ``<lang>/``, the demo's networks and runtime; ``_build/html`` as ``make book``
  built it, copied whole;
- ``notebooks/``: the notebooks branch, replaced on every push (every Colab button, badge and
  fetch points into it, through :func:`booktools.book.notebooks_urls`):

  - ``README.md``: what is there, for someone browsing the branch;
  - ``reader/`` and ``student/``: the notebook editions (``make notebooks``);
  - ``assignments/<chapter>/``: each graded chapter's student notebook and its public
    ``tests/``, which the notebook fetches when it is opened alone (Colab);
  - ``mobilenet-lab-student.zip``: every student notebook;
  - ``ko/…``: the same for each translation;

- ``publish.json`` (not published): what the workflow needs to know, from the registry: the
  branch, the site's address, the repository and the build (version and commit).

Not published: the autograder zips (they hold the hidden tests; teachers build them with
``make assignments``), the otter sources and the build's caches. Once both trees are written,
the link test (:mod:`booktools.links`) runs over them: a dead link fails ``make publish``.

Usage: python -m booktools.publish [--out _build/publish]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from booktools import book as registry
from booktools import links, release
from booktools.assignments import OUT as ASSIGNMENTS
from booktools.assignments import graded_chapters
from booktools.editions import ZIP_NAME, write_student_zip
from mobilenet_lab.i18n import LANGUAGES

BUILD = registry.ROOT / "_build"
OUT = BUILD / "publish"
README_ROWS = (
    ("Reader edition: the chapters as the book shows them, solutions folded", "reader/"),
    ("Student edition: solutions replaced by `# YOUR CODE HERE`, self-checks kept", "student/"),
    ("Graded assignments (otter-grader): student notebooks and public tests", "assignments/"),
    ("Every student notebook, zipped", ZIP_NAME),
)


def _need(path: Path, make: str) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path.relative_to(registry.ROOT)} is missing: run `{make}`")
    return path


def copy_site(html: Path, out: Path) -> None:
    """The Pages site: the built HTML, both languages, as it is."""
    _need(html / "index.html", "make book")
    for language in LANGUAGES[1:]:
        _need(html / registry.language_folder(language) / "index.html", "make book")
    shutil.copytree(html, out, ignore=shutil.ignore_patterns(".buildinfo"))


def copy_editions(editions: Path, out: Path, language: str) -> None:
    """One language's reader and student editions, and its student zip."""
    folder = registry.language_folder(language)
    names = [path.name for path in registry.notebooks()]
    for edition in registry.EDITIONS:
        (out / folder / edition).mkdir(parents=True)
        for name in names:
            source = _need(editions / folder / edition / name, "make notebooks")
            shutil.copy(source, out / folder / edition / name)
    write_student_zip([out / folder / "student" / name for name in names], out / folder)


def copy_assignments(assignments: Path, out: Path, language: str) -> None:
    """One language's graded notebooks, each with the public tests it fetches: no autograder
    zip (hidden tests) and no solution leaves ``_build/assignments``."""
    folder = registry.language_folder(language)
    for chapter in graded_chapters():
        student = assignments / folder / chapter.stem / "dist" / "student"
        target = out / folder / "assignments" / chapter.stem
        (target / "tests").mkdir(parents=True)
        shutil.copy(_need(student / chapter.name, "make assignments"), target / chapter.name)
        for test in sorted((student / "tests").glob("*.py")):
            shutil.copy(test, target / "tests" / test.name)


def readme() -> str:
    """The branch's README: what each folder holds, in every language."""
    languages = [registry.language_name(language) for language in LANGUAGES]
    lines = [
        "# MobileNet v1 Lab: the notebooks",
        "",
        f"The notebooks of [MobileNet v1 Lab]({registry.site_url()}), for Colab, JupyterLab,"
        " VS Code and GitHub. This branch is written by the book's workflow (`make publish` in"
        f" [{registry.repository()}]({registry.repository_url()})) on every push to its main"
        " branch and replaced each time: change the book, not this branch.",
        "",
        "| | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for what, path in README_ROWS:
        folders = [registry.language_folder(language) for language in LANGUAGES]
        cells = [f"[{folder}{path}]({folder}{path})" for folder in folders]
        lines.append(f"| {what} | " + " | ".join(cells) + " |")
    first = registry.chapters()[0].name
    lines += [
        "",
        f"To open a notebook in Colab, put its path after `{registry.notebooks_urls()['colab']}`,"
        f" e.g. [reader/{first}]({registry.colab_url('reader', first)}).",
        "",
        f"Built from mobilenet-lab {release.version()}. The autograder zips that grade the"
        " assignments hold hidden tests and are not published: teachers build them with"
        " `make assignments` (the repository's `grading/README.md`).",
    ]
    return "\n".join(lines) + "\n"


def manifest() -> dict[str, str]:
    """What the workflow needs to know (``publish.json``), all from the registry."""
    return {
        "site": registry.site_url(),
        "branch": registry.notebooks_branch(),
        "repository": registry.repository(),
        "version": release.version(),
        "commit": release.commit(),
    }


def publish(out: Path = OUT, html: Path = BUILD / "html", editions: Path = BUILD / "notebooks",
            assignments: Path = ASSIGNMENTS) -> dict[str, Path]:  # fmt: skip
    """Write both trees (and ``publish.json``) into ``out``, replacing what was there; return
    ``{"site": …, "notebooks": …}``."""
    shutil.rmtree(out, ignore_errors=True)
    tree = {links.SITE: out / links.SITE, links.NOTEBOOKS: out / links.NOTEBOOKS}
    copy_site(html, tree[links.SITE])
    for language in LANGUAGES:
        copy_editions(editions, tree[links.NOTEBOOKS], language)
        copy_assignments(assignments, tree[links.NOTEBOOKS], language)
    (tree[links.NOTEBOOKS] / "README.md").write_text(readme(), encoding="utf-8")
    (out / "publish.json").write_text(json.dumps(manifest(), indent=1) + "\n")
    return tree


def describe(folder: Path) -> str:
    files = [p for p in folder.rglob("*") if p.is_file()]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    return f"{folder}: {len(files)} files, {megabytes:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        tree = publish(args.out.resolve())
    except FileNotFoundError as err:
        print(f"booktools.publish: {err}", file=sys.stderr)
        return 1
    for folder in tree.values():
        print(describe(folder))
    problems = links.check(tree)
    for problem in problems:
        print(f"dead link: {problem}", file=sys.stderr)
    print(f"link test: {len(problems)} dead links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
