"""One translation layer for every string a reader sees outside the book's pages.

The pages themselves are translated by Sphinx's gettext (``locale/<lang>/LC_MESSAGES/book/``).
Everything else a reader meets — checker feedback and hints, the concept quizzes, the notebook
editions' own words, figure titles, axis labels, legends, table headers and printed labels — is
written in English in the source and translated here, through one gettext domain,
``mobilenet_lab``:

- ``LANGUAGES`` is the one list of languages (English, the source, first). Adding a language is
  one line here and a ``locale/<lang>/`` folder;
- ``set_language`` / ``get_language`` hold the one current-language state (the environment
  variable ``MOBILENET_LAB_LANG`` sets its starting value: the Korean notebook editions and the
  Korean site's run set it);
- ``tr("Cost of one layer")`` is the string in the current language; ``tr("{n:,} weights",
  n=432)`` fills in values after translating, so a translation may move them;
  ``tr_in("ko", …)`` asks for one language explicitly; ``N_("…")`` marks a string for extraction
  where it is defined (a table of messages) and translated later, where it is shown;
  ``Message("{n:,} weights", {"n": 432})`` keeps a message and its values until it is shown
  (checker feedback: ``set_language`` after a check still applies).

The catalogs' sources are ``locale/<lang>/LC_MESSAGES/mobilenet_lab.po``, extracted with Babel
from the code, the exercises' records (``exercises/chNN.toml``) and the quizzes' JSON (``make
translations``: ``scripts/extract_messages.py``); the package ships them compiled, in
``mobilenet_lab/locale/``, so that it works wherever it is installed (Colab included). A string
without a translation is shown in English.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

#: Every language of the book, the source language (English) first.
LANGUAGES: tuple[str, ...] = ("en", "ko")
DOMAIN = "mobilenet_lab"
_state = {"language": os.environ.get("MOBILENET_LAB_LANG", "en")}


def _check_language(language: Any) -> str:
    if not isinstance(language, str):
        raise TypeError(f"language must be a str such as 'ko', got {type(language).__name__}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


def set_language(language: str) -> None:
    """Show every checker's feedback, quiz, figure and table in ``language`` from now on."""
    _state["language"] = _check_language(language)


def get_language() -> str:
    """The current language (``"en"`` unless ``set_language`` or ``MOBILENET_LAB_LANG``)."""
    language = _state["language"]
    return language if language in LANGUAGES else LANGUAGES[0]


def locale_dir() -> str:
    """The folder of the compiled catalogs shipped with the package."""
    return str(resources.files("mobilenet_lab").joinpath("locale"))


def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` (English, or a missing catalog: no translation)."""
    return _catalog(_check_language(language), locale_dir())


@cache
def _catalog(language: str, folder: str) -> gettext.NullTranslations:
    if language == LANGUAGES[0]:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, folder, languages=[language], fallback=True)


def tr_in(language: str, message: str, /, **values: Any) -> str:
    """``message`` in ``language``, with ``values`` filled in (``str.format``) after translating."""
    text = translations(language).gettext(message) if message else message
    return text.format(**values) if values else text


def tr(message: str, /, **values: Any) -> str:
    """``message`` in the current language, with ``values`` filled in after translating."""
    return tr_in(get_language(), message, **values)


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


@dataclass(frozen=True)
class Message:
    """An English message and its values, translated each time it is shown (not when made).

    A value that is itself a :class:`Message` is shown in the same language; ``str()`` gives the
    current language. The English text must be marked where it is written (``N_``).
    """

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def in_language(self, language: str) -> str:
        values = {
            name: value.in_language(language) if isinstance(value, Message) else value
            for name, value in self.values.items()
        }
        return tr_in(language, self.text, **values)

    def __str__(self) -> str:
        return self.in_language(get_language())
