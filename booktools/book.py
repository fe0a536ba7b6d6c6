"""The one chapter registry: the book's pages, its numbered chapters and where they are published.

Everything is read once (cached) from the two files that define the book: ``_toc.yml`` (the
pages in reading order; parts marked ``numbered: true`` are numbered by Sphinx, continuously
across parts), ``_config.yml`` (the published site, the repository, the notebooks branch, MyST's
extensions). Every page is translated into every language of ``mobilenet_lab.i18n.LANGUAGES``.
Nothing else in the repository parses them: the editions, the assignments, the Colab-faithful run, the Sphinx
extensions and the tests ask this module, and the browser test reads the JSON that
``python -m booktools.book --json _build/book.json`` writes.

A **chapter** is a numbered page that is a notebook (``book/04_….ipynb``); its number is the one
Sphinx shows, and its key (``ch04``) names its quiz, checkers, hidden tests and think answers.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mobilenet_lab.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ("reader", "student")


@cache
def config() -> dict[str, Any]:
    """``_config.yml``, parsed once."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


@cache
def _toc() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def translated_pages(language: str) -> tuple[str, ...]:
    """The pages of one translation: every page of the book (``make translations`` creates a new
    page's catalog, ``locale/<language>/LC_MESSAGES/<page>.po``, and a test fails until every entry
    of it is translated). A language is a ``locale/<language>/`` folder and its line in
    ``mobilenet_lab.i18n.LANGUAGES``; nothing else lists pages."""
    if language not in translations():
        raise ValueError(f"language must be one of {list(translations())}, got {language!r}")
    return pages()


# --- pages and chapters ---------------------------------------------------------------------------


def pages() -> tuple[str, ...]:
    """Every page in reading order, without suffix (``"book/index"``, ``"book/04_…"``)."""
    toc = _toc()
    found = [toc["root"]]
    for part in toc.get("parts", []):
        found += [entry["file"] for entry in part.get("chapters", [])]
    return tuple(found)


def numbered_pages() -> tuple[str, ...]:
    """The pages Sphinx numbers (those of the parts marked ``numbered: true``), in order."""
    return tuple(
        entry["file"]
        for part in _toc().get("parts", [])
        if part.get("numbered")
        for entry in part.get("chapters", [])
    )


def number(page: str) -> int | None:
    """The number Sphinx gives ``page`` (continuous across numbered parts), or None."""
    numbered = numbered_pages()
    return numbered.index(page) + 1 if page in numbered else None


@dataclass(frozen=True)
class Chapter:
    """A numbered chapter: a notebook in a numbered part of the table of contents."""

    number: int
    page: str  # "book/04_depthwise_separable_convolution"

    @property
    def key(self) -> str:
        """``"ch04"``: the name of its quiz, checkers, hidden tests and think answers."""
        return f"ch{self.number:02d}"

    @property
    def path(self) -> Path:
        return ROOT / f"{self.page}.ipynb"

    @property
    def name(self) -> str:
        """The notebook's file name (``"04_….ipynb"``), as every edition names it."""
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem


def chapters() -> tuple[Chapter, ...]:
    """Every numbered chapter, in reading order."""
    return tuple(
        Chapter(number(page), page)
        for page in numbered_pages()
        if (ROOT / f"{page}.ipynb").exists()
    )


def page_of(path: Path | str) -> str:
    """The page of a notebook of the book (``"book/04_…"``), from its file name."""
    stem = Path(path).stem
    return next((p for p in pages() if Path(p).name == stem), f"book/{stem}")


def notebooks() -> list[Path]:
    """Every notebook of the book, in reading order."""
    return [ROOT / f"{p}.ipynb" for p in pages() if (ROOT / f"{p}.ipynb").exists()]


# --- languages ------------------------------------------------------------------------------------


def translations() -> tuple[str, ...]:
    """The translated languages (every language but the source, English)."""
    return LANGUAGES[1:]


def language_name(language: str) -> str:
    """A language's name in that language ("한국어", "English"), from Babel's locale data (CLDR):
    a new language needs no catalog entry for its name."""
    from babel import Locale

    return Locale.parse(language).display_name


def language_folder(language: str) -> str:
    """Where a language's site and editions live under the English ones: ``""`` or ``"ko/"``."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return "" if language == LANGUAGES[0] else f"{language}/"


# --- where things are published -------------------------------------------------------------------


def site_url(language: str = "en") -> str:
    """The published HTML book of ``language``, ending in ``/`` (``html.baseurl``)."""
    return config()["html"]["baseurl"].rstrip("/") + "/" + language_folder(language)


def repository_url() -> str:
    """``https://github.com/<owner>/<name>`` (``repository.url``)."""
    return config()["repository"]["url"].rstrip("/")


def repository() -> str:
    """``<owner>/<name>`` on GitHub."""
    return repository_url().removeprefix("https://github.com/")


def install_requirement() -> str:
    """What the setup cell installs: the package from the repository (the autograder installs
    the wheel its zip carries instead: `booktools.release`)."""
    repo = config()["repository"]
    return f"mobilenet-lab @ git+{repository_url()}@{repo.get('branch', 'main')}"


def notebooks_branch() -> str:
    """The branch the notebook editions are published on (``notebook_editions.branch``)."""
    return config()["sphinx"]["config"]["notebook_editions"]["branch"]


def edition_path(edition: str, name: str, language: str = "en") -> str:
    """A notebook's path on the notebooks branch: ``"ko/reader/04_….ipynb"``."""
    return f"{language_folder(language)}{edition}/{name}"


def notebooks_urls() -> dict[str, str]:
    """Every address of the notebooks branch, each followed by a path on it: ``colab`` (opens a
    notebook in Colab), ``raw`` (the file itself: what a notebook fetches), ``blob`` and
    ``tree`` (GitHub's page of a file and of a folder)."""
    colab = config()["launch_buttons"]["colab_url"].rstrip("/")
    repo, branch = repository(), notebooks_branch()
    return {
        "colab": f"{colab}/github/{repo}/blob/{branch}/",
        "raw": f"https://raw.githubusercontent.com/{repo}/{branch}/",
        "blob": f"{repository_url()}/blob/{branch}/",
        "tree": f"{repository_url()}/tree/{branch}/",
    }


def colab_url(edition: str, name: str, language: str = "en") -> str:
    """The Colab link of a notebook on the notebooks branch (``edition``: ``reader``,
    ``student``, or ``assignments`` with ``name`` = ``"<chapter>/<chapter>.ipynb"``)."""
    return notebooks_urls()["colab"] + edition_path(edition, name, language)


def raw_url(path: str) -> str:
    """The raw file at ``path`` on the notebooks branch (what a notebook fetches)."""
    return notebooks_urls()["raw"] + path


def myst_extensions() -> tuple[str, ...]:
    """The MyST syntax extensions the book enables (``parse.myst_enable_extensions``)."""
    return tuple(config()["parse"]["myst_enable_extensions"])


# --- for the browser test -------------------------------------------------------------------------


def facts() -> dict[str, Any]:
    """What the browser test needs to know about the book, as JSON-ready data."""
    return {
        "site": site_url(),
        "languages": list(LANGUAGES),
        "pages": list(pages()),
        "chapters": [
            {"number": c.number, "key": c.key, "page": c.page, "notebook": c.name}
            for c in chapters()
        ],
        # the Colab link of a notebook is this prefix followed by its file name
        "colab": {
            language: {edition: colab_url(edition, "", language) for edition in EDITIONS}
            for language in LANGUAGES
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write what the browser test needs to know.")
    parser.add_argument("--json", type=Path, required=True, help="where to write it")
    args = parser.parse_args(argv)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(facts(), indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
