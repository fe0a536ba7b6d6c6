"""The book in two languages (issue 13), loaded from _config.yml (``sphinx.local_extensions``).

The English pages are the only source. Sphinx's gettext machinery translates them: the strings
are extracted with ``scripts/build_translation.py gettext`` (``sphinx-build -b gettext`` plus
``sphinx-intl update``) into ``locale/ko/LC_MESSAGES/<page>.po``, and
``scripts/build_translation.py html`` builds the Korean site with ``language = "ko"`` into
``_build/html/ko/``, rendering the committed outputs (no notebook runs twice). Which pages are
translated, and which are still pending, is listed in ``locale/translated.yml``.

This extension adds what both sites need:

- a language switcher on every page (a header button group): English ↔ 한국어, to the same page
  in the other site (the Korean site lives in ``ko/`` under the English one);
- on the glossary, each headword links to the same entry in the other language (entries keep
  their ids, ``term-…``, in both sites; the Korean headwords come from the ``.po`` file);
- the Korean pages' Colab buttons open the Korean reader edition, ``ko/reader/<name>.ipynb`` on
  the notebooks branch (``make notebooks`` writes it from the same ``.po`` files);
- Korean line breaks between words (``word-break: keep-all``), not between any two syllables;
- Korean search: Sphinx has no Korean search language and would fall back to English, which
  indexes "합성곱은" and "합성곱을" as two words that a search for "합성곱" never finds.
  :class:`SearchKorean` also indexes each Hangul word without its particle (조사).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.search.en import SearchEnglish

LANGUAGES = {"en": "English", "ko": "한국어"}
SWITCH_TOOLTIP = {"en": "Read this page in another language", "ko": "다른 언어로 이 페이지 읽기"}

# Particles and endings that Korean glues to a noun, longest first. A word that ends in one of
# them is also indexed without it ("합성곱은" → "합성곱"), so a search for the bare noun finds it.
PARTICLES = sorted(
    """은 는 이 가 을 를 의 에 에서 에게 으로 로 와 과 도 만 까지 부터 보다 처럼 이나 나 이고 고
    이다 이며 며 이라 라 이란 란 으로서 로서 으로써 로써 마다 조차 뿐 입니다 한다 하는 하고 해서
    된다 되는 된 만큼 에는 에도 으로는 로는 과는 와는 이라는 라는 들 들은 들을 들의 들이""".split(),
    key=len,
    reverse=True,
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def korean_stems(word: str) -> list[str]:
    """The forms of one Hangul word that go into the index: itself and itself without a
    particle (when at least two syllables remain)."""
    forms = [word]
    if HANGUL.search(word):
        for particle in PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                forms.append(word[: -len(particle)])
                break
    return forms


class SearchKorean(SearchEnglish):
    """English search (Porter stemmer for the English words on Korean pages) plus Hangul words
    indexed with and without their particle. Queries are split the same way in the browser
    (Sphinx's splitter keeps Hangul syllables together), so "합성곱" finds "합성곱은"."""

    lang = "ko"
    language_name = "Korean"

    def split(self, input: str) -> list[str]:
        words = []
        for word in super().split(input):
            words.extend(korean_stems(word))
        return words

    def word_filter(self, word: str) -> bool:
        # English drops words shorter than 3 characters; Korean nouns are often two syllables.
        if HANGUL.search(word):
            return len(word) >= 1
        return super().word_filter(word)

    def stem(self, word: str) -> str:
        if HANGUL.search(word):
            return word
        return super().stem(word)


# --- the switcher and the glossary ------------------------------------------------------------


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


def add_language_switcher(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    buttons = context.get("header_buttons")
    if not isinstance(buttons, list):
        return
    language = _language(app)
    links = [
        {
            "type": "link",
            "url": "#" if code == language else other_language_url(language, pagename, code),
            "text": name + (" ✓" if code == language else ""),
            "tooltip": name,
            "label": f"language-{code}",
        }
        for code, name in LANGUAGES.items()
    ]
    buttons.insert(
        0,
        {
            "type": "group",
            "tooltip": SWITCH_TOOLTIP.get(language, SWITCH_TOOLTIP["en"]),
            "icon": "fas fa-language",
            "buttons": links,
            "label": "language-switcher",
        },
    )


# Korean wraps between words (spaces), not inside them: a browser's default breaks lines between
# any two syllables ("일/반적으로"). Set on the Korean site only; long code still wraps.
KOREAN_LINE_BREAKS = (
    '<style>html[lang="ko"] .bd-content, html[lang="ko"] .bd-sidebar '
    "{ word-break: keep-all; overflow-wrap: break-word; }</style>"
)


def korean_line_breaks(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if _language(app) == "ko":
        context["metatags"] = context.get("metatags", "") + KOREAN_LINE_BREAKS


THEME_CATALOG = "booktheme"  # sphinx-book-theme's message catalog


def _theme_words(app: Any, language: str) -> dict[str, str]:
    """The project's own translations of the theme's strings, ``locale/<lang>/LC_MESSAGES/
    booktheme.po`` (read as it is: no ``.mo`` to compile)."""
    from babel.messages.pofile import read_po

    words: dict[str, str] = {}
    for directory in reversed(app.config.locale_dirs):
        path = Path(app.srcdir) / directory / language / "LC_MESSAGES" / f"{THEME_CATALOG}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle)
            words |= {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
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


def colab_opens_the_translated_edition(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Runs after ``book_site.colab_buttons_open_the_reader_edition``: on a translated site the
    Colab button opens ``<lang>/reader/<name>`` on the notebooks branch."""
    language = _language(app)
    if language == "en":
        return
    for group in context.get("header_buttons") or []:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if button.get("text") == "Colab" and "/reader/" in url:
                button["url"] = url.replace("/reader/", f"/{language}/reader/", 1)


def glossary_headwords(language: str, root: Path) -> dict[str, str]:
    """English headword → translated headword, from ``locale/<lang>/LC_MESSAGES/book/glossary.po``
    (the glossary is the terminology source of both editions)."""
    from babel.messages.pofile import read_po

    path = root / "locale" / language / "LC_MESSAGES" / "book" / "glossary.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        m.id: m.string
        for m in catalog
        if m.id and m.string and not m.fuzzy and "\n" not in m.id and len(m.id) < 60
    }


def link_glossary_headwords(app: Any, doctree: nodes.document, docname: str) -> None:
    """On the glossary, each headword links to the same entry of the other edition."""
    if docname != "book/glossary":
        return
    language = _language(app)
    korean = glossary_headwords("ko", Path(app.srcdir))
    english = {ko: en for en, ko in korean.items()}
    for term in list(doctree.findall(nodes.term)):
        ids = term.get("ids") or []
        if not ids:
            continue
        if language == "en":
            target, text = "ko", korean.get(term.astext())
        else:
            target, text = "en", english.get(term.astext())
        if not text:
            continue
        url = other_language_url(language, docname, target) + f"#{ids[0]}"
        link = nodes.reference("", text, refuri=url, classes=["glossary-other-language"])
        link["reftitle"] = LANGUAGES[target]
        term += [nodes.Text(" · "), link]


# --- glued numbers inside translated paragraphs ------------------------------------------------

RENDERER_KEY = "book_i18n_nb_renderer"


def translated_paragraphs_see_the_glue() -> None:
    """Glued numbers resolve inside translated paragraphs.

    Sphinx translates a paragraph by parsing its ``msgstr`` as a new, small document whose source
    ends in ``<translated>``; since executablebooks/MyST-NB#600 (in myst-nb 1.4.0) MyST-NB parses
    it as plain MyST instead of failing with ``NotJSONError``. But a ``{glue:text}`` role looks up
    the notebook's glued values through ``document["nb_renderer"]``, which only the notebook's own
    document has: "No key 'n_products' found in glue data for this document", and the number
    vanishes. So the parser remembers the notebook's renderer while the notebook is being read
    (``env.temp_data`` lives for one document) and hands it to each translated message of that
    notebook (upstream, MyST-NB could keep the renderer until the Locale transform has run). English builds are unchanged: no message there ends in ``<translated>``.
    """
    from myst_nb.sphinx_ import Parser, SphinxNbRenderer

    if getattr(Parser.parse, "book_i18n", False):
        return
    parse_notebook, setup_render = Parser.parse, SphinxNbRenderer.setup_render

    def remember_renderer(self: Any, options: dict, env: dict) -> None:
        # myst-nb stores the renderer on the notebook's document just before this call and
        # pops it when the parse ends, before Sphinx translates the document.
        setup_render(self, options, env)
        document = self.document
        sphinx_env = getattr(document.settings, "env", None)
        if sphinx_env is not None and "nb_renderer" in document:
            sphinx_env.temp_data[RENDERER_KEY] = document["nb_renderer"]

    def parse(self: Any, inputstring: str, document: nodes.document) -> None:
        env = getattr(document.settings, "env", None)
        if env is not None and document.current_source.endswith("<translated>"):
            renderer = env.temp_data.get(RENDERER_KEY)
            if renderer is not None:
                document["nb_renderer"] = renderer
            try:
                return parse_notebook(self, inputstring, document)
            finally:  # the roles have resolved; the doctree is pickled without it
                document.attributes.pop("nb_renderer", None)
        return parse_notebook(self, inputstring, document)

    parse.book_i18n = True  # type: ignore[attr-defined]
    Parser.parse = parse  # type: ignore[method-assign]
    SphinxNbRenderer.setup_render = remember_renderer  # type: ignore[method-assign]


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
    translated_paragraphs_see_the_glue()
    app.add_search_language(SearchKorean)
    app.connect("html-page-context", add_language_switcher, priority=910)
    app.connect("html-page-context", colab_opens_the_translated_edition, priority=910)
    app.connect("html-page-context", korean_line_breaks)
    app.connect("html-page-context", theme_words_from_the_project, priority=910)
    app.connect("doctree-resolved", link_glossary_headwords)
    app.connect("doctree-read", translate_toctree_captions, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
