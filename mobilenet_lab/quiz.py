"""Concept quizzes: five questions per chapter, shown with jupyterquiz, answered on the teacher page.

The questions live in one place, ``mobilenet_lab/quizzes/chNN.json`` (shipped with the package),
in jupyterquiz's format and in English: a list of ``{"question", "type": "multiple_choice",
"answers": [{"answer", "correct", "feedback"}]}``; the correct answer's feedback starts with
"Right:". Text may use Markdown backticks for code. Their translations are in the package's
gettext catalog (:mod:`mobilenet_lab.i18n`; the English text is the message id), extracted by
``scripts/extract_messages.py``. The chapters with a quiz are the files present.

``show_quiz("ch05")`` shows a chapter's quiz in a notebook or in the HTML book (the questions are
embedded in the page: no download, works offline), in every language of ``LANGUAGES`` at once:
the page shows the one of ``<html lang>`` on a translated site, else the one of ``set_language``
/ ``MOBILENET_LAB_LANG`` when the cell ran. ``answer_key_markdown()`` writes the teacher page's
answer key from the same files (``language="ko"`` for the Korean one); the Korean teacher page
translates the included English key with ``answer_key_translations("ko")`` (its .po entries).
"""

from __future__ import annotations

import html
import json
import random
import re
from functools import cache
from importlib import resources
from typing import Any

from . import i18n
from .i18n import N_, tr_in

QUIZ_CHAPTERS: tuple[str, ...] = tuple(
    sorted(
        entry.name.removesuffix(".json")
        for entry in resources.files("mobilenet_lab").joinpath("quizzes").iterdir()
        if entry.name.endswith(".json")
    )
)
# jupyterquiz's default palette, with blue questions and feedback dark enough to read on white
_COLOURS = {
    "--jq-multiple-choice-bg": "#345995",
    "--jq-correct-color": "#1b6e20",
    "--jq-incorrect-color": "#b3261e",
}
_CODE = re.compile(r"`([^`]+)`")
# jupyterquiz typesets its questions with MathJax a moment after drawing them, and reads
# MathJax.version without checking it: on a page whose MathJax is configured but still loading,
# that throws. Our questions hold no math (the tests forbid $), so such a page skips it.
_MATHJAX_RACE = (
    'if (version[0] == "2")',
    'if (version === undefined) {} else if (version[0] == "2")',
)
# The answer key's own words; a correct answer's feedback starts with RIGHT (then ":", "." or "!")
RIGHT, CHAPTER, ANSWER = N_("Right"), N_("Chapter {n}"), N_("Answer")
_QUIZ = ".mobilenet-lab-quiz"


def _choose_language() -> str:
    """The CSS that shows one language of a quiz: on a translated site (``<html lang>``) its own,
    else the one the cell ran in (``data-lang``). Plain CSS, so it works in the HTML book,
    Jupyter and Colab alike. The source language's pages have no rule: Jupyter says ``en``."""
    languages = i18n.LANGUAGES
    by_cell = ",\n".join(
        f'{_QUIZ}[data-lang="{shown}"] > {_QUIZ}-{hidden}'
        for shown in languages
        for hidden in languages
        if hidden != shown
    )
    lines = [f"{by_cell} {{ display: none; }}"]
    for site in languages[1:]:
        lines.append(f'html[lang="{site}"] {_QUIZ} > {_QUIZ}-{site} {{ display: block; }}')
        lines += [
            f'html[lang="{site}"] {_QUIZ} > {_QUIZ}-{other} {{ display: none; }}'
            for other in languages
            if other != site
        ]
    return "<style>\n" + "\n".join(lines) + "\n</style>"


def _chapter(chapter: str | int) -> str:
    if isinstance(chapter, bool) or not isinstance(chapter, (str, int)):
        raise TypeError(f"chapter must be a str such as 'ch05' or an int, got {chapter!r}")
    name = f"ch{chapter:02d}" if isinstance(chapter, int) else chapter
    if name not in QUIZ_CHAPTERS:
        raise ValueError(f"chapter must be one of {', '.join(QUIZ_CHAPTERS)}, got {chapter!r}")
    return name


@cache
def _load(name: str) -> str:
    return resources.files("mobilenet_lab").joinpath("quizzes", f"{name}.json").read_text("utf-8")


def load_quiz(chapter: str | int, language: str | None = None) -> list[dict[str, Any]]:
    """The questions of ``chapter`` (``"ch05"`` or ``5``), Markdown backticks kept.

    Without ``language``: as stored, in English. With ``language`` (one of ``LANGUAGES``): in
    that language, from the catalog.
    """
    stored = json.loads(_load(_chapter(chapter)))
    if language is None:
        return stored
    i18n.translations(language)  # a clear error for a language that is not one of LANGUAGES

    def text(item: dict[str, Any], field: str) -> str:
        return tr_in(language, item[field])

    return [
        {
            "question": text(question, "question"),
            "type": question["type"],
            "answers": [
                {
                    "answer": text(answer, "answer"),
                    "correct": answer["correct"],
                    "feedback": text(answer, "feedback"),
                }
                for answer in question["answers"]
            ],
        }
        for question in stored
    ]


def _as_html(text: str) -> str:
    """Escape for the browser, and turn `code` into <code>code</code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))


def quiz_for_display(chapter: str | int, language: str = "en") -> list[dict[str, Any]]:
    """The questions in jupyterquiz's format, in ``language``, with their text ready for HTML."""
    questions = load_quiz(chapter, language)
    for question in questions:
        question["question"] = _as_html(question["question"])
        for answer in question["answers"]:
            answer["answer"] = _as_html(answer["answer"])
            answer["feedback"] = _as_html(answer["feedback"])
    return questions


def _jupyterquiz_outputs(questions: list[dict[str, Any]]) -> tuple[str, str]:
    """jupyterquiz's own two outputs for ``questions``: its container (HTML) and its script."""
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    with capture_output() as captured:
        display_quiz(questions, colors=_COLOURS)
    html_out, script = (output.data for output in captured.outputs)
    return html_out["text/html"], script["application/javascript"]


def _quiz_outputs(questions: list[dict[str, Any]]) -> tuple[str, str]:
    """jupyterquiz's two outputs for ``questions``, its script patched (``_MATHJAX_RACE``)."""
    container, js = _jupyterquiz_outputs(questions)
    assert _MATHJAX_RACE[0] in js, "jupyterquiz's MathJax call changed: check the patch"
    return container, js.replace(*_MATHJAX_RACE)


def show_quiz(chapter: str | int) -> None:
    """Show the chapter's quiz (jupyterquiz): click an answer to get feedback on it.

    The questions are embedded in the output, in every language of ``LANGUAGES``, so the quiz
    works offline, in the HTML book as in Jupyter and Colab; a few lines of CSS show the one of a
    translated site (``<html lang="ko">``) and otherwise the one of ``set_language`` /
    ``MOBILENET_LAB_LANG``. The answers are shuffled in the browser; the elements' ids are
    derived from the chapter, so re-running the cell gives the same output.
    """
    from IPython.display import HTML, Javascript, display

    name, languages, current = _chapter(chapter), i18n.LANGUAGES, i18n.get_language()
    state = random.getstate()  # jupyterquiz draws its element ids from `random`
    try:
        random.seed(f"mobilenet-lab-quiz-{name}")
        outputs = {lang: _quiz_outputs(quiz_for_display(name, lang)) for lang in languages}
    finally:
        random.setstate(state)
    # jupyterquiz leaves its container <div> open: each one is closed here, inside its wrapper
    containers = "".join(
        f'<div class="mobilenet-lab-quiz-{lang}" lang="{lang}">{outputs[lang][0]}</div></div>'
        for lang in languages
    )
    wrapper = f'<div class="mobilenet-lab-quiz" data-lang="{current}">{containers}</div>'
    display(HTML(wrapper + _choose_language()))
    for lang in languages:
        display(Javascript(outputs[lang][1]))


def answer_key_markdown(chapters: tuple[str, ...] = QUIZ_CHAPTERS, language: str = "en") -> str:
    """The answer key of every chapter's quiz, in Markdown, for the teacher page."""
    right = re.compile(rf"^{re.escape(tr_in(language, RIGHT))}[:.!]?\s*")
    lines: list[str] = []
    for name in chapters:
        lines += ["### " + tr_in(language, CHAPTER, n=int(name[2:])), ""]
        for number, question in enumerate(load_quiz(name, language), start=1):
            lines += [f"{number}. {question['question']}", ""]
            for answer in (a for a in question["answers"] if a["correct"]):
                why = right.sub("", answer["feedback"])
                # sentence case in English only, and never α → Α
                source = language == i18n.LANGUAGES[0]
                first = why[:1].upper() if source and why[:1].isascii() else why[:1]
                heading = f"**{tr_in(language, ANSWER)}:**"
                lines += [f"   {heading} {answer['answer']}. {first}{why[1:]}", ""]
    return "\n".join(lines)


def answer_key_translations(language: str) -> dict[str, str]:
    """Each paragraph of the English answer key (as gettext extracts it from the teacher page:
    no heading or list marker) with its translation from the same quiz data: the entries that
    ``locale/<language>/LC_MESSAGES/book/teachers.po`` must hold, since the translated teacher
    page includes the English key and translates it paragraph by paragraph. ``make translations``
    writes these into the .po file (``booktools.translation.write_answer_key``)."""

    def paragraphs(markdown: str) -> list[str]:
        blocks = [block.strip() for block in markdown.split("\n\n") if block.strip()]
        return [re.sub(r"^(### |\d\. )", "", block) for block in blocks]

    english = paragraphs(answer_key_markdown())
    translated = paragraphs(answer_key_markdown(language=language))
    pairs = dict(zip(english, translated))
    # the chapter headings ("Chapter 7") are shared with the rest of the page: translated there
    return {en: text for en, text in pairs.items() if not en.startswith("Chapter ")}
