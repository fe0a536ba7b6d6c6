"""Concept quizzes: five questions per chapter, shown with jupyterquiz, answered on the teacher page.

The questions live in one place, ``mobilenet_lab/quizzes/chNN.json`` (shipped with the package),
in jupyterquiz's format: a list of ``{"question", "type": "multiple_choice", "answers": [{"answer",
"correct", "feedback"}]}``, in English. Each translation sits beside the English it translates, in
a field named after its language: ``"ko": {"question": …}`` in every question and ``"ko":
{"answer": …, "feedback": …}`` in every answer (the correct answer's feedback starts with
"맞습니다:" as the English one starts with "Right:"). Text may use Markdown backticks for code.

``show_quiz("ch05")`` shows a chapter's quiz in a notebook or in the HTML book (the questions are
embedded in the page: no download, works offline), in every language at once: the page shows the
one of ``<html lang>`` on the Korean site, else the one of ``set_language`` /
``MOBILENET_LAB_LANG`` when the cell ran. ``answer_key_markdown()`` writes the teacher page's
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

QUIZ_CHAPTERS: tuple[str, ...] = tuple(f"ch{n:02d}" for n in range(1, 11))
LANGUAGES: tuple[str, ...] = ("en", "ko")  # English first, then every translation in the data
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
_RIGHT = {"en": re.compile(r"^Right[:.!]?\s*"), "ko": re.compile(r"^맞습니다[:.!]?\s*")}
_KEY_WORDS = {
    "en": {"chapter": "Chapter {n}", "answer": "**Answer:**"},
    "ko": {"chapter": "{n}장", "answer": "**정답:**"},
}
# Which language a quiz shows: the Korean site's <html lang="ko"> first, else the language the
# cell ran in (data-lang). Plain CSS, so it works in the HTML book, Jupyter and Colab alike.
_CHOOSE_LANGUAGE = """<style>
.mobilenet-lab-quiz[data-lang="en"] > .mobilenet-lab-quiz-ko,
.mobilenet-lab-quiz[data-lang="ko"] > .mobilenet-lab-quiz-en { display: none; }
html[lang="ko"] .mobilenet-lab-quiz > .mobilenet-lab-quiz-ko { display: block; }
html[lang="ko"] .mobilenet-lab-quiz > .mobilenet-lab-quiz-en { display: none; }
</style>"""


def _chapter(chapter: str | int) -> str:
    if isinstance(chapter, bool) or not isinstance(chapter, (str, int)):
        raise TypeError(f"chapter must be a str such as 'ch05' or an int, got {chapter!r}")
    name = f"ch{chapter:02d}" if isinstance(chapter, int) else chapter
    if name not in QUIZ_CHAPTERS:
        raise ValueError(f"chapter must be one of {', '.join(QUIZ_CHAPTERS)}, got {chapter!r}")
    return name


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return language


@cache
def _load(name: str) -> str:
    return resources.files("mobilenet_lab").joinpath("quizzes", f"{name}.json").read_text("utf-8")


def load_quiz(chapter: str | int, language: str | None = None) -> list[dict[str, Any]]:
    """The questions of ``chapter`` (``"ch05"`` or ``5``), Markdown backticks kept.

    Without ``language``: as stored, English with the translations beside it. With ``language``
    (``"en"`` or ``"ko"``): jupyterquiz's format in that language, no translation fields.
    """
    stored = json.loads(_load(_chapter(chapter)))
    if language is None:
        return stored

    def text(item: dict[str, Any], field: str) -> str:
        return item[field] if language == "en" else item[language][field]

    _language(language)
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


def _quiz_outputs(questions: list[dict[str, Any]]) -> tuple[str, str]:
    """jupyterquiz's two outputs for ``questions``: its container (HTML) and its script."""
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    with capture_output() as captured:
        display_quiz(questions, colors=_COLOURS)
    html_out, script = (output.data for output in captured.outputs)
    js = script["application/javascript"]
    assert _MATHJAX_RACE[0] in js, "jupyterquiz's MathJax call changed: check the patch"
    return html_out["text/html"], js.replace(*_MATHJAX_RACE)


def show_quiz(chapter: str | int) -> None:
    """Show the chapter's quiz (jupyterquiz): click an answer to get feedback on it.

    The questions are embedded in the output, in English and Korean, so the quiz works offline,
    in the HTML book as in Jupyter and Colab; a few lines of CSS show the Korean one on the Korean
    site (``<html lang="ko">``) and otherwise the one of ``set_language`` /
    ``MOBILENET_LAB_LANG``. The answers are shuffled in the browser; the elements' ids are
    derived from the chapter, so re-running the cell gives the same output.
    """
    from IPython.display import HTML, Javascript, display

    from .exercises import get_language

    name = _chapter(chapter)
    current = get_language() if get_language() in LANGUAGES else "en"
    state = random.getstate()  # jupyterquiz draws its element ids from `random`
    try:
        random.seed(f"mobilenet-lab-quiz-{name}")
        outputs = {lang: _quiz_outputs(quiz_for_display(name, lang)) for lang in LANGUAGES}
    finally:
        random.setstate(state)
    # jupyterquiz leaves its container <div> open: each one is closed here, inside its wrapper
    containers = "".join(
        f'<div class="mobilenet-lab-quiz-{lang}" lang="{lang}">{outputs[lang][0]}</div></div>'
        for lang in LANGUAGES
    )
    wrapper = f'<div class="mobilenet-lab-quiz" data-lang="{current}">{containers}</div>'
    display(HTML(wrapper + _CHOOSE_LANGUAGE))
    for lang in LANGUAGES:
        display(Javascript(outputs[lang][1]))


def answer_key_markdown(chapters: tuple[str, ...] = QUIZ_CHAPTERS, language: str = "en") -> str:
    """The answer key of every chapter's quiz, in Markdown, for the teacher page."""
    words = _KEY_WORDS[_language(language)]
    lines: list[str] = []
    for name in chapters:
        lines += ["### " + words["chapter"].format(n=int(name[2:])), ""]
        for number, question in enumerate(load_quiz(name, language), start=1):
            right = [a for a in question["answers"] if a["correct"]]
            lines += [f"{number}. {question['question']}", ""]
            for answer in right:
                why = _RIGHT[language].sub("", answer["feedback"])
                # sentence case in English only, and never α → Α
                first = why[:1].upper() if language == "en" and why[:1].isascii() else why[:1]
                lines += [f"   {words['answer']} {answer['answer']}. {first}{why[1:]}", ""]
    return "\n".join(lines)


def answer_key_translations(language: str) -> dict[str, str]:
    """Each paragraph of the English answer key (as gettext extracts it from the teacher page:
    no heading or list marker) with its translation from the same quiz data: the entries that
    ``locale/<language>/LC_MESSAGES/book/teachers.po`` must hold, since the translated teacher
    page includes the English key and translates it paragraph by paragraph. After changing a
    quiz, write these into the .po file (``tests/test_quiz.py`` says when they differ)."""

    def paragraphs(markdown: str) -> list[str]:
        blocks = [block.strip() for block in markdown.split("\n\n") if block.strip()]
        return [re.sub(r"^(### |\d\. )", "", block) for block in blocks]

    english = paragraphs(answer_key_markdown())
    translated = paragraphs(answer_key_markdown(language=_language(language)))
    pairs = dict(zip(english, translated))
    # the chapter headings ("Chapter 7") are shared with the rest of the page: translated there
    return {en: text for en, text in pairs.items() if not en.startswith("Chapter ")}
