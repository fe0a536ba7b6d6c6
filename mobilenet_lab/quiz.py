"""Concept quizzes: five questions per chapter, shown with jupyterquiz, answered on the teacher page.

The questions live in one place, ``mobilenet_lab/quizzes/chNN.json`` (shipped with the package),
in jupyterquiz's format: a list of ``{"question", "type": "multiple_choice", "answers": [{"answer",
"correct", "feedback"}]}``. Text may use Markdown backticks for code. ``show_quiz("ch05")`` shows
a chapter's quiz in a notebook or in the HTML book (the questions are embedded in the page: no
download, works offline); ``answer_key_markdown()`` writes the teacher page's answer key from the
same files.
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
# jupyterquiz's default palette, with blue questions and feedback dark enough to read on white
_COLOURS = {
    "--jq-multiple-choice-bg": "#345995",
    "--jq-correct-color": "#1b6e20",
    "--jq-incorrect-color": "#b3261e",
}
_CODE = re.compile(r"`([^`]+)`")
_RIGHT = re.compile(r"^Right[:.!]?\s*")


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


def load_quiz(chapter: str | int) -> list[dict[str, Any]]:
    """The questions of ``chapter`` (``"ch05"`` or ``5``), as stored (Markdown backticks)."""
    return json.loads(_load(_chapter(chapter)))


def _as_html(text: str) -> str:
    """Escape for the browser, and turn `code` into <code>code</code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))


def quiz_for_display(chapter: str | int) -> list[dict[str, Any]]:
    """The questions in jupyterquiz's format, with their text ready for HTML."""
    questions = load_quiz(chapter)
    for question in questions:
        question["question"] = _as_html(question["question"])
        for answer in question["answers"]:
            answer["answer"] = _as_html(answer["answer"])
            answer["feedback"] = _as_html(answer["feedback"])
    return questions


def show_quiz(chapter: str | int) -> None:
    """Show the chapter's quiz (jupyterquiz): click an answer to get feedback on it.

    The questions are embedded in the output, so the quiz works offline, in the HTML book as in
    Jupyter and Colab. The answers are shuffled in the browser; the page's element id is derived
    from the chapter, so re-running the cell gives the same output.
    """
    from jupyterquiz import display_quiz

    name = _chapter(chapter)
    state = random.getstate()  # jupyterquiz draws its element id from `random`
    try:
        random.seed(f"mobilenet-lab-quiz-{name}")
        display_quiz(quiz_for_display(name), colors=_COLOURS)
    finally:
        random.setstate(state)


def answer_key_markdown(chapters: tuple[str, ...] = QUIZ_CHAPTERS) -> str:
    """The answer key of every chapter's quiz, in Markdown, for the teacher page."""
    lines: list[str] = []
    for name in chapters:
        lines += [f"### Chapter {int(name[2:])}", ""]
        for number, question in enumerate(load_quiz(name), start=1):
            right = [a for a in question["answers"] if a["correct"]]
            lines += [f"{number}. {question['question']}", ""]
            for answer in right:
                why = _RIGHT.sub("", answer["feedback"])
                lines += [f"   **Answer:** {answer['answer']}. {why[:1].upper()}{why[1:]}", ""]
    return "\n".join(lines)
