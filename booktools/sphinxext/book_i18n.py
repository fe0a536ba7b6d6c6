"""The book in every language of ``mobilenet_lab.i18n.LANGUAGES`` (issue 13), loaded from
_config.yml (``sphinx.local_extensions``).

The English pages are the only source. Sphinx's gettext machinery translates them: the strings
are extracted with ``python -m booktools.translation gettext`` (``sphinx-build -b gettext`` plus
``sphinx-intl update``) into ``locale/<lang>/LC_MESSAGES/book/<page>.po``, and
``python -m booktools.translation html`` builds each translated site with ``language =
"<lang>"`` into ``_build/html/<lang>/``, rendering the committed outputs (no notebook runs
twice). Which pages are translated, and which are still pending, is listed in
``locale/translated.yml``.

This extension adds what every site needs:

- a language switcher on every page (a header button group): each language named in itself
  (``booktools.book.language_name``), leading to the same page in that language's site (the
  translated sites live in ``<lang>/`` under the English one);
- on the glossary, each headword links to the same entry in every other language (entries keep
  their ids, ``term-…``, in every site; the translated headwords come from the ``.po`` files);
- the project's own translations of the theme's words (``booktheme.po``);
- the parts' captions in the sidebar, translated.

The Colab buttons of every language are ``book_site``'s; Korean search and line breaks are
``korean``'s; glued numbers in translated paragraphs are ``translated_glue``'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes

from booktools.book import ROOT, language_name, translations
from booktools.po_markdown import po_messages
from mobilenet_lab.i18n import LANGUAGES, N_, tr_in

SWITCH_TOOLTIP = N_("Read this page in another language")
THEME_CATALOG = "booktheme"  # sphinx-book-theme's message catalog


def _root(pagename: str) -> str:
    """The relative path from a page to its site's root ("" or "../"…)."""
    return "../" * pagename.count("/")


def other_language_url(language: str, pagename: str, target: str) -> str:
    """The URL of ``pagename`` in the ``target`` language, relative to the page in ``language``
    (the English site at the root, every other language in ``<lang>/`` under it)."""
    up = _root(pagename) + ("../" if language != "en" else "")
    into = "" if target == "en" else f"{target}/"
    return f"{up}{into}{pagename}.html"


def _language(app: Any) -> str:
    return app.config.language or "en"


# --- the switcher -------------------------------------------------------------------------------


def add_language_switcher(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    buttons = context.get("header_buttons")
    if not isinstance(buttons, list):
        return
    language = _language(app)
    links = []
    for code in LANGUAGES:
        name = language_name(code)
        links.append(
            {
                "type": "link",
                "url": "#" if code == language else other_language_url(language, pagename, code),
                "text": name + (" ✓" if code == language else ""),
                "tooltip": name,
                "label": f"language-{code}",
            }
        )
    buttons.insert(
        0,
        {
            "type": "group",
            "tooltip": tr_in(language, SWITCH_TOOLTIP),
            "icon": "fas fa-language",
            "buttons": links,
            "label": "language-switcher",
        },
    )


# --- the theme's words --------------------------------------------------------------------------


def _theme_words(app: Any, language: str) -> dict[str, str]:
    """The project's own translations of the theme's strings, ``locale/<lang>/LC_MESSAGES/
    booktheme.po`` (read as it is: no ``.mo`` to compile)."""
    words: dict[str, str] = {}
    for directory in reversed(app.config.locale_dirs):
        path = Path(app.srcdir) / directory / language / "LC_MESSAGES" / f"{THEME_CATALOG}.po"
        if path.exists():
            words |= po_messages(path)
    return words


def theme_words_from_the_project(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """The theme's templates translate with ``translate(msgid)`` from the theme's own catalog,
    whose Korean is sometimes odd: the footer's "By {author}" came out as "으로 MobileNet v1 Lab
    contributors". Sphinx merges a second catalog of the same name only as a fallback, so the
    project's entries (``booktheme.po``) are looked up first here, then the theme's."""
    language = _language(app)
    theme_translate = context.get("translate")
    if language == "en" or theme_translate is None:
        return
    words = _theme_words(app, language)
    if words:
        context["translate"] = lambda message: words.get(message) or theme_translate(message)


# --- the glossary -------------------------------------------------------------------------------


def glossary_headwords(language: str) -> dict[str, str]:
    """English headword → translated headword, from ``locale/<lang>/LC_MESSAGES/book/glossary.po``
    (the glossary is the terminology source of every edition)."""
    path = ROOT / "locale" / language / "LC_MESSAGES" / "book" / "glossary.po"
    if not path.exists():
        return {}
    return {en: word for en, word in po_messages(path).items() if "\n" not in en and len(en) < 60}


def link_glossary_headwords(app: Any, doctree: nodes.document, docname: str) -> None:
    """On the glossary, each headword links to the same entry in every other language."""
    if docname != "book/glossary":
        return
    language = _language(app)
    headwords = {lang: glossary_headwords(lang) for lang in translations()}  # lang → en → word
    to_english = {word: en for en, word in headwords.get(language, {}).items()}
    for term in list(doctree.findall(nodes.term)):
        ids = term.get("ids") or []
        english = term.astext() if language == "en" else to_english.get(term.astext())
        if not ids or english is None:
            continue
        for target in LANGUAGES:
            text = english if target == "en" else headwords[target].get(english)
            if target == language or not text:
                continue
            url = other_language_url(language, docname, target) + f"#{ids[0]}"
            link = nodes.reference("", text, refuri=url, classes=["glossary-other-language"])
            link["reftitle"] = language_name(target)
            term += [nodes.Text(" · "), link]


# --- the sidebar ----------------------------------------------------------------------------------


def translate_toctree_captions(app: Any, doctree: nodes.document) -> None:
    """The parts' captions ("Part 1: …") in the sidebar, translated.

    sphinx-external-toc inserts the toctrees from ``_toc.yml`` in a transform that runs after
    Sphinx's Locale transform, so their captions, extracted into the root page's ``.po`` file,
    were never translated. This runs at ``doctree-read``, before Sphinx collects the toctrees.
    """
    language = _language(app)
    if language == "en":
        return
    from sphinx import addnodes
    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    docname = app.env.docname
    domain = docname_to_domain(docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    catalog, found = init_locale(dirs, language, domain)
    if not found:
        return
    for toctree in doctree.findall(addnodes.toctree):
        caption = toctree.get("caption")
        if caption:
            toctree["caption"] = catalog.gettext(caption)


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", add_language_switcher, priority=910)
    app.connect("html-page-context", theme_words_from_the_project, priority=910)
    app.connect("doctree-resolved", link_glossary_headwords)
    app.connect("doctree-read", translate_toctree_captions, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
