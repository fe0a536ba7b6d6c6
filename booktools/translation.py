"""The translated editions of the book (issue 13): extract strings, update .po files, build.

- ``gettext``: ``sphinx-build -b gettext`` (through jupyter-book, committed outputs, nothing
  executed) into ``_build/gettext/``, then ``sphinx-intl update`` of the ``.po`` files of the
  book's pages (``booktools.book.translated_pages``), under
  ``locale/<lang>/LC_MESSAGES/``. Changed English strings become fuzzy entries, which
  ``tests/test_translation.py`` rejects until a translator has checked them.
- ``pot``: only the extraction, into ``--out`` (``tests/test_translation.py`` compares it with
  the ``.po`` files, so a changed English string fails the test even before anyone updates them).
- ``html``: the site in ``--language`` (default ``ko``) with ``language = "<lang>"``, rendering
  the outputs of the translated reader edition's run (``make colab``, or ``booktools.colab_faithful
  --editions ko-reader`` in ``make book``: ``_build/colab-runs/<lang>/reader/``, through
  ``booktools/sphinxext/translated_glue.py``), nothing executed, built in ``_build/<lang>/`` and
  copied to ``_build/html/<lang>/`` after the English site. ``-W`` turns warnings into errors, as
  for the English build (a missing or stale run is one).
- ``build`` and ``install``: the two halves of ``html``, so that ``make test`` builds the
  translated site beside the English one (each build keeps one core busy) and copies it into
  ``_build/html/<lang>/`` once both are done.

Usage: python -m booktools.translation {gettext,pot,html,build,install} [--language ko] [-W]
[--out DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from booktools.book import ROOT, translated_pages
from mobilenet_lab.i18n import N_, tr_in

# myst-nb's labels of folded code cells, which no Sphinx catalog translates: each translated
# site shows them through the package's translation layer (myst-nb fills in {type}, "source" or
# "outputs", where the label has it; these labels leave it out, which no language needs).
CODE_PROMPTS = {
    "nb_code_prompt_show": N_("Show code cell content"),
    "nb_code_prompt_hide": N_("Hide code cell content"),
}


#: Translated versions of the pages the book links to, where one exists (looked up by hand: the
#: build never goes online). The translated site and notebook editions link to them instead; a
#: page the book links to without a translated version is listed with ``None``
#: (``tests/test_korean_outputs.py`` fails on a PyTorch tutorial link that is not listed).
TRANSLATED_LINKS: dict[str, dict[str, str | None]] = {
    "ko": {  # the PyTorch Korea user group's translations of the PyTorch tutorials
        "https://pytorch.org/tutorials/intermediate/fx_conv_bn_fuser.html": (
            "https://tutorials.pytorch.kr/intermediate/fx_conv_bn_fuser.html"
        ),
    },
}


def translated_url(url: str, language: str) -> str:
    """``url``, or its translated version in ``language`` (:data:`TRANSLATED_LINKS`)."""
    base, hash_, fragment = url.partition("#")
    found = TRANSLATED_LINKS.get(language, {}).get(base)
    return f"{found}{hash_}{fragment}" if found else url


def translated_links(markdown: str, language: str) -> str:
    """``markdown`` with every link target that has a translated version replaced by it."""
    for url in TRANSLATED_LINKS.get(language, {}):
        markdown = re.sub(
            re.escape(url) + r"(?=[#)>\s]|$)", translated_url(url, language), markdown
        )
    return markdown


def site_config(language: str) -> dict[str, str]:
    """The settings of one translated site beyond ``language``."""
    return {key: tr_in(language, label) for key, label in CODE_PROMPTS.items()}


def _build(builder: str, out: Path, doctrees: Path, overrides: dict, strict: bool) -> int:
    from jupyter_book.sphinx import build_sphinx

    os.environ["BOOK_COMMITTED_OUTPUTS"] = "1"
    result = build_sphinx(
        ROOT,
        out,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides={"nitpicky": True, "latex_individualpages": False, **overrides},
        doctreedir=doctrees,
        builder=builder,
        warningiserror=strict,
        keep_going=strict,
    )
    return 0 if result == 0 else 1


def pot(out: Path) -> int:
    """Extract every translatable string into ``out/<page>.pot`` (nothing is executed)."""
    return _build("gettext", out, out / ".doctrees", {}, False)


def gettext(language: str) -> int:
    out = ROOT / "_build" / "gettext"
    status = pot(out)
    if status:
        return status
    from sphinx_intl.basic import update

    with tempfile.TemporaryDirectory() as tmp:
        for page in translated_pages(language):
            template = out / f"{page}.pot"
            if template.exists():
                (Path(tmp) / page).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(template, Path(tmp) / f"{page}.pot")
        update(str(ROOT / "locale"), tmp, (language,), jobs=1)
    write_answer_key(language)
    return 0


def write_answer_key(language: str) -> None:
    """The teacher page's catalog holds the quizzes' answer key translated from the quizzes' own
    catalog entries (``mobilenet_lab.quiz.answer_key_translations``): written here, never by hand,
    so a quiz's Korean is typed once. Run after ``python -m booktools.messages`` has compiled it."""
    import io

    from babel.messages.pofile import read_po, write_po

    from mobilenet_lab.quiz import answer_key_translations

    path = ROOT / "locale" / language / "LC_MESSAGES" / "book" / "teachers.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for english, translated in answer_key_translations(language).items():
        message = catalog.get(english)
        if message is not None:
            message.string = translated
            message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, ignore_obsolete=True, include_lineno=False, width=76)
    path.write_bytes(buffer.getvalue())


def html(language: str, strict: bool) -> int:
    """Build the site in ``language`` and install it in the English site."""
    return build(language, strict) or install(language)


def build(language: str, strict: bool) -> int:
    """Build the site in ``language`` into ``_build/<language>/html``."""
    work = ROOT / "_build" / language
    runs = ROOT / "_build" / "colab-runs" / language / "reader"  # booktools.colab_faithful
    overrides = {"language": language, "translated_runs": str(runs), **site_config(language)}
    return _build("html", work / "html", work / ".doctrees", overrides, strict)


def install(language: str) -> int:
    """Copy the built site in ``language`` into ``_build/html/<language>/``."""
    work = ROOT / "_build" / language
    if not (work / "html" / "index.html").exists():
        print(f"no {language} site in {work / 'html'}: build it first", file=sys.stderr)
        return 1
    final = ROOT / "_build" / "html" / language
    shutil.rmtree(final, ignore_errors=True)
    shutil.copytree(work / "html", final)
    # The demo page's networks and WebAssembly runtime (about 43 MB) are the English site's: the
    # translated demo page loads them from there (_static_demo/demo/demo.js).
    shutil.rmtree(final / "demo", ignore_errors=True)
    for runtime in (final / "_static" / "vendor" / "onnxruntime-web").glob("ort-wasm-*"):
        runtime.unlink()
    print(f"{language} site: {final}/index.html")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("gettext", "pot", "html", "build", "install"))
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "gettext")
    parser.add_argument("--language", default="ko")
    parser.add_argument("-W", dest="strict", action="store_true", help="warnings are errors")
    args = parser.parse_args(argv)
    if args.step == "gettext":
        return gettext(args.language)
    if args.step == "pot":
        return pot(args.out)
    if args.step == "install":
        return install(args.language)
    if args.step == "build":
        return build(args.language, args.strict)
    return html(args.language, args.strict)


if __name__ == "__main__":
    sys.exit(main())
