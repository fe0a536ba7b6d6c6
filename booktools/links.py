"""The link test of the publish tree: every link that points into what goes public resolves.

The publish tree (:mod:`booktools.publish`) holds two folders: ``site/`` (the Pages site, served
at ``html.baseurl``) and ``notebooks/`` (the notebooks branch). A link is checked when it points
into one of them:

- **the site**: an absolute URL under ``html.baseurl`` (the notebooks' glossary and "read this
  chapter" links, the pages' canonical links), a relative link of a page, or a root-relative one
  under the site's own path;
- **the notebooks branch**: its Colab, raw, GitHub file and GitHub folder addresses (all from
  :func:`booktools.book.notebooks_urls`), and a relative link of a notebook or of the branch's
  README.

Such a link must name a file that the tree holds (a folder: its ``index.html`` on the site, the
folder itself on the branch), and a ``#fragment`` into a site page an ``id`` of that page. Every
other ``http(s)`` address must be one of :data:`EXTERNAL`, a fixed allow-list, or the
repository's page or a file of its ``main`` that this checkout holds: the test never goes on the
network. Links are read from every ``.html`` page of the site but the theme's macros in
``_static/`` (attributes ``href`` and ``src``, and any address of the tree in its text, scripts
included) and from every ``.ipynb`` (cells and outputs) and ``.md`` file of the branch.

Usage: python -m booktools.links [_build/publish]
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from booktools import book as registry
from booktools.translation import TRANSLATED_LINKS

SITE, NOTEBOOKS = "site", "notebooks"
ABSOLUTE = re.compile(r"https?://[^\s\"'<>()\[\]`\\]+")
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
# The addresses outside the tree that the site and the notebooks may link to. A new one is added
# here by hand, once someone has opened it. The repository's own page and the files of its main
# branch (``<repository>/blob/main/<path>``: a file of this checkout) are checked apart.
_OUTSIDE: tuple[str, ...] = (
    "https://colab.research.google.com/assets/colab-badge.svg",
    "https://pytorch.org/tutorials/intermediate/fx_conv_bn_fuser.html",
    "https://otter-grader.readthedocs.io",  # the grading tool's manual (the teacher page)
)
# ... and their translated versions, which the translated editions link to instead
# (``booktools.translation.TRANSLATED_LINKS``, looked up by hand too).
EXTERNAL: tuple[str, ...] = _OUTSIDE + tuple(
    translated
    for table in TRANSLATED_LINKS.values()
    for url, translated in table.items()
    if url in _OUTSIDE and translated
)
HTML_ATTRIBUTE = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Problem:
    """A link into the tree whose target is not there."""

    page: str  # where the link is: "site/ko/book/01_….html", "notebooks/reader/01_….ipynb"
    link: str  # the link as written
    missing: str  # what is not in the tree: "notebooks/ko/reader/01_….ipynb", "site/x.html#id"

    def __str__(self) -> str:
        return f"{self.page}: {self.link} -> missing {self.missing}"


# --- reading links ------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The ``href``/``src`` values and the ``id``s of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


@cache
def _parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _ours(text: str) -> list[str]:
    """The absolute addresses of the tree in ``text``."""
    prefixes = (registry.site_url(), *registry.notebooks_urls().values())
    found = (url.rstrip(".,;:") for url in ABSOLUTE.findall(text))
    return [url for url in found if url.startswith(prefixes)]


def _markdown_links(text: str) -> list[str]:
    return MARKDOWN_LINK.findall(text) + HTML_ATTRIBUTE.findall(text) + _ours(text)


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def notebook_links(path: Path) -> list[str]:
    """The links of a notebook: Markdown and HTML links of its Markdown cells and rich outputs,
    the tree's absolute addresses anywhere (code cells too: what a cell fetches)."""
    links = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = _text(cell["source"])
        links += _markdown_links(source) if cell["cell_type"] == "markdown" else _ours(source)
        for output in cell.get("outputs", []):
            for mime, value in {**output.get("data", {}), "text": output.get("text", "")}.items():
                if mime in ("text/html", "text/markdown"):
                    links += _markdown_links(_text(value))
                elif isinstance(value, (str, list)):
                    links += _ours(_text(value))
    return links


def page_links(path: Path) -> list[str]:
    """The links of one file of the tree (an HTML page, a notebook, a Markdown file)."""
    if path.suffix == ".html":
        return _parsed(path).links + _ours(path.read_text(encoding="utf-8", errors="replace"))
    if path.suffix == ".ipynb":
        return notebook_links(path)
    return _markdown_links(path.read_text(encoding="utf-8"))


def sources(tree: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    """Every file whose links are checked: ``(root, path)``."""
    pages = (p for p in sorted(tree[SITE].rglob("*.html")) if "_static" not in p.parts)
    yield from ((SITE, p) for p in pages)  # _static/: the theme's Jinja macros, not pages
    for suffix in ("*.ipynb", "*.md"):
        yield from ((NOTEBOOKS, p) for p in sorted(tree[NOTEBOOKS].rglob(suffix)))


# --- resolving them ------------------------------------------------------------------------------


def target(link: str, root: str, page: str) -> tuple[str, str, str] | None:
    """Where ``link``, found on ``page`` (a path in ``root``), points: ``(root, path,
    fragment)``, or None when it points outside the tree."""
    address, _, fragment = link.partition("#")
    address = address.partition("?")[0]
    prefixes = [(NOTEBOOKS, p) for p in registry.notebooks_urls().values()]
    for where, prefix in [*prefixes, (SITE, registry.site_url())]:
        if address.startswith(prefix) or address == prefix.rstrip("/"):
            return where, unquote(address[len(prefix) :]), fragment
    if urlsplit(address).scheme or address.startswith("//"):
        return None
    if address.startswith("/"):
        base = urlsplit(registry.site_url()).path
        inside = root == SITE and address.startswith(base)
        return root, unquote(address[len(base) :]) if inside else "/" + address, fragment
    if not address:
        return root, page, fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(address)))
    return root, joined + ("/" if address.endswith("/") else ""), fragment


def missing(tree: dict[str, Path], where: str, path: str, fragment: str) -> str | None:
    """What of ``where``/``path``#``fragment`` the tree lacks (None: it is there)."""
    if path.startswith(("/", "..")):
        return f"{where}/{path} (outside the tree)"
    file = tree[where] / path
    if where == SITE and (not path or path.endswith("/") or file.is_dir()):
        file = file / "index.html"
    if not file.exists():
        return f"{where}/{file.relative_to(tree[where]).as_posix()}"
    if fragment and file.suffix == ".html" and unquote(fragment) not in _parsed(file).ids:
        return f"{where}/{file.relative_to(tree[where]).as_posix()}#{fragment}"
    return None


def external(link: str) -> str | None:
    """What is wrong with an address outside the tree (None: nothing, or not a web address)."""
    address = link.partition("#")[0]
    if urlsplit(address).scheme not in ("http", "https") or address in EXTERNAL:
        return None
    repository = registry.repository_url()
    if address.rstrip("/") == repository:
        return None
    for kind in ("blob", "tree"):
        prefix = f"{repository}/{kind}/main/"
        if address.startswith(prefix):
            path = unquote(address[len(prefix) :])
            return None if (registry.ROOT / path).exists() else f"the repository's {path}"
    return "from links.EXTERNAL (the allow-list of addresses outside the tree)"


def check(tree: dict[str, Path], targets: dict[str, Path] | None = None) -> list[Problem]:
    """Every link of the files of ``tree`` (``{"site": …, "notebooks": …}``) that points into
    the tree and names something that ``targets`` (default: ``tree`` itself) does not hold."""
    targets = targets or tree
    problems = []
    for root, path in sources(tree):
        page = path.relative_to(tree[root]).as_posix()
        for link in dict.fromkeys(page_links(path)):
            found = target(link, root, page)
            lacking = missing(targets, *found) if found else external(link)
            if lacking:
                problems.append(Problem(f"{root}/{page}", link, lacking))
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else registry.ROOT / "_build" / "publish")
    problems = check({SITE: out / SITE, NOTEBOOKS: out / NOTEBOOKS})
    for problem in problems:
        print(problem)
    print(f"link test of {out}: {len(problems)} dead links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
