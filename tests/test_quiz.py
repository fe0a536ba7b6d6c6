"""The concept quizzes: five well-formed questions per chapter, in English (the JSON files) and
in every translation (the package's catalog), shown in every chapter (all languages in one
output, the page's language chosen by CSS), and the teacher page's answer key generated from the
same data in every language."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from booktools import book as registry
from mobilenet_lab.i18n import LANGUAGES
from mobilenet_lab.quiz import (
    _MATHJAX_RACE,
    QUIZ_CHAPTERS,
    answer_key_markdown,
    answer_key_translations,
    load_quiz,
    quiz_for_display,
    show_quiz,
)

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [chapter.path for chapter in registry.chapters()]
NUMBERS = [chapter.number for chapter in registry.chapters()]


def test_one_quiz_per_chapter():
    """The quizzes are the files present: one per numbered chapter of the registry, none more."""
    assert [c.key for c in registry.chapters()] == list(QUIZ_CHAPTERS)


@pytest.mark.parametrize("chapter", QUIZ_CHAPTERS)
def test_five_questions_each_with_exactly_one_correct_answer(chapter):
    questions = load_quiz(chapter)
    assert len(questions) == 5
    texts = [q["question"] for q in questions]
    assert len(set(texts)) == 5, "a question appears twice"
    for question in questions:
        assert question["type"] == "multiple_choice"
        answers = question["answers"]
        assert len(answers) >= 3, question["question"]
        assert sum(a["correct"] is True for a in answers) == 1, question["question"]
        assert all(isinstance(a["correct"], bool) for a in answers)
        assert len({a["answer"] for a in answers}) == len(answers), "two answers are the same"
        for answer in answers:
            assert answer["answer"].strip() and answer["feedback"].strip(), "feedback per answer"
        # jupyterquiz turns $…$ into MathJax, which the book loads only on pages with math
        assert "$" not in json.dumps(question)


@pytest.mark.parametrize("chapter", QUIZ_CHAPTERS)
def test_every_question_answer_and_feedback_has_korean_text(chapter):
    """The quiz files hold English only; the Korean comes from the catalog, one entry for every
    English text."""
    english, korean = load_quiz(chapter), load_quiz(chapter, "ko")
    assert [set(q) for q in english] == [{"question", "type", "answers"}] * 5, "English only"
    assert [set(q) for q in korean] == [{"question", "type", "answers"}] * 5
    for question, translated in zip(english, korean):
        assert translated["question"].strip() and translated["question"] != question["question"]
        assert re.search("[가-힣]", translated["question"]), translated["question"]
        assert "*" not in json.dumps(question), "only `code` is marked up: no *emphasis*"
        answers = [a["answer"] for a in translated["answers"]]
        assert all(a.strip() for a in answers) and len(set(answers)) == len(answers), answers
        for answer, ko in zip(question["answers"], translated["answers"]):
            assert ko["correct"] == answer["correct"]
            assert re.search("[가-힣]", ko["feedback"]), ko["feedback"]
            # the correct answer's feedback opens like the English "Right:"
            assert ko["feedback"].startswith("맞습니다:") == answer["correct"], ko["feedback"]
            assert answer["feedback"].startswith("Right") == answer["correct"]
            # code spans are kept, character for character
            assert sorted(re.findall(r"`[^`]+`", answer["answer"] + answer["feedback"])) == sorted(
                re.findall(r"`[^`]+`", ko["answer"] + ko["feedback"])
            ), ko["feedback"]


def test_chapter_argument_is_checked():
    assert load_quiz(5) == load_quiz("ch05")
    with pytest.raises(ValueError, match="ch01"):
        load_quiz("ch11")
    with pytest.raises(TypeError, match="chapter"):
        load_quiz(5.0)
    with pytest.raises(TypeError, match="chapter"):
        load_quiz(True)


def test_display_text_is_html_with_code_marked_up():
    shown = quiz_for_display("ch02")
    assert "<code>groups=in_channels</code>" in shown[0]["question"]
    raw = load_quiz("ch02")  # loading again gives fresh, unmodified data
    assert "`groups=in_channels`" in raw[0]["question"]
    korean = quiz_for_display("ch02", "ko")
    assert "<code>groups=in_channels</code>" in korean[0]["question"]
    assert "무엇을" in korean[0]["question"]
    with pytest.raises(ValueError, match="language"):
        load_quiz("ch02", "fr")
    with pytest.raises(TypeError, match="language"):
        load_quiz("ch02", 2)


def test_answer_key_matches_the_data():
    key = answer_key_markdown()
    sections = re.split(r"(?m)^### Chapter (\d+)\n", key)[1:]
    assert [int(n) for n in sections[::2]] == NUMBERS
    for chapter, body in zip(QUIZ_CHAPTERS, sections[1::2]):
        questions = load_quiz(chapter)
        items = re.findall(r"(?m)^(\d)\. (.+)\n\n   \*\*Answer:\*\* (.+)$", body)
        assert len(items) == 5, chapter
        for index, ((number, text, answer), question) in enumerate(zip(items, questions), 1):
            assert number == str(index)
            right = next(a for a in question["answers"] if a["correct"])
            assert text == question["question"]
            assert answer.startswith(right["answer"] + ". ")
            wrong = [a["answer"] for a in question["answers"] if not a["correct"]]
            assert not any(answer.startswith(w + ". ") for w in wrong)


def test_korean_answer_key_matches_the_data():
    key = answer_key_markdown(language="ko")
    sections = re.split(r"(?m)^### (\d+)장\n", key)[1:]
    assert [int(n) for n in sections[::2]] == NUMBERS
    for chapter, body in zip(QUIZ_CHAPTERS, sections[1::2]):
        items = re.findall(r"(?m)^(\d)\. (.+)\n\n   \*\*정답:\*\* (.+)$", body)
        assert len(items) == 5, chapter
        for (_, text, answer), question in zip(items, load_quiz(chapter, "ko")):
            right = next(a for a in question["answers"] if a["correct"])
            assert text == question["question"]
            assert answer.startswith(right["answer"] + ". ")


def test_korean_teacher_page_shows_the_korean_answer_key():
    """The Korean teacher page translates the included English key with the quizzes' own Korean
    text: each entry of teachers.po is the Korean key's paragraph. After a quiz changed, ``make translations``
    writes ``answer_key_translations("ko")`` into the .po file."""
    from babel.messages.pofile import read_po

    with (ROOT / "locale/ko/LC_MESSAGES/book/teachers.po").open("rb") as handle:
        po = {m.id: m for m in read_po(handle) if m.id}
    pairs = answer_key_translations("ko")
    assert len(pairs) == len(NUMBERS) * 5 * 2
    stale = [
        (en[:60], ko[:60])
        for en, ko in pairs.items()
        if en not in po or po[en].fuzzy or po[en].string != ko
    ]
    assert not stale, stale


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_shows_its_quiz_before_the_summary(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    chapter = f"ch{path.name[:2]}"
    quiz = [i for i, c in enumerate(cells) if f'show_quiz("{chapter}")' in "".join(c["source"])]
    assert len(quiz) == 1, "one quiz cell per chapter"
    i = quiz[0]
    heading = "".join(cells[i - 1]["source"])
    assert cells[i - 1]["cell_type"] == "markdown" and heading.startswith(
        "## Check your understanding"
    )
    assert "".join(cells[i + 1]["source"]).startswith("## Summary")
    assert cells[i + 1] is cells[-1]
    assert "hide-input" in cells[i]["metadata"].get("tags", [])
    shown = "".join(
        "".join(out.get("data", {}).get("application/javascript", ""))
        for out in cells[i]["outputs"]
    )
    # the committed output embeds this chapter's questions, as they are now, in both languages
    for language in LANGUAGES:
        assert json.dumps(quiz_for_display(chapter, language)) in shown, language
    page = "".join("".join(out.get("data", {}).get("text/html", "")) for out in cells[i]["outputs"])
    assert 'class="mobilenet-lab-quiz" data-lang="en"' in page
    assert 'html[lang="ko"] .mobilenet-lab-quiz > .mobilenet-lab-quiz-ko' in page


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "MOBILENET_LAB_LANG"}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**environment, **env},
    )


def test_show_quiz_is_deterministic_and_embeds_its_questions():
    """Run in a subprocess with IPython's display capture: same ids every time, no download,
    both languages in one output (an HTML container per language, then one script each)."""
    code = (
        "from IPython.utils.capture import capture_output\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance()\n"
        "import random\n"
        "from mobilenet_lab.quiz import show_quiz\n"
        "random.seed(1); before = random.random(); random.seed(1)\n"
        "with capture_output() as a: show_quiz('ch07')\n"
        "assert random.random() == before, 'show_quiz must not disturb the global random state'\n"
        "with capture_output() as b: show_quiz(7)\n"
        "da = [o.data for o in a.outputs]; db = [o.data for o in b.outputs]\n"
        "assert da == db, 'the output must not change between runs'\n"
        "for js in (da[1]['application/javascript'], da[2]['application/javascript']):\n"
        "    assert 'fetch(' not in js and 'http' not in js.split('if (typeof Question')[0]\n"
        "import json; assert json.dumps('폭 승수')[1:-1] in da[2]['application/javascript']\n"
        "html = da[0]['text/html']\n"
        "assert html.count('<div id=') == 2 and 'lang=\"ko\"' in html\n"
        "print(len(da), html.split('data-lang=\"')[1][:2])\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3 en"
    # run in Korean (set_language or MOBILENET_LAB_LANG), the same output shows the Korean quiz
    korean = _run(code, MOBILENET_LAB_LANG="ko")
    assert korean.returncode == 0, korean.stderr
    assert korean.stdout.strip() == "3 ko"
    assert callable(show_quiz)


def test_the_mathjax_patch_still_fits_jupyterquiz():
    """``_quiz_outputs`` string-patches jupyterquiz's script (``_MATHJAX_RACE``). The patch was
    written for this version and these five places, where MathJax 2 or 3 is told apart: an
    upgrade that changes them fails here, before a page breaks."""
    from importlib.metadata import version

    assert version("jupyterquiz") == "2.9.6.4", "jupyterquiz changed: check _MATHJAX_RACE"
    code = (
        "import json\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance()\n"
        "from mobilenet_lab.quiz import _jupyterquiz_outputs, _quiz_outputs, load_quiz\n"
        "questions = load_quiz('ch01')\n"
        "print(json.dumps([_jupyterquiz_outputs(questions)[1], _quiz_outputs(questions)[1]]))\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr
    script, patched = json.loads(out.stdout)
    lines = script.splitlines()
    places = [i for i, line in enumerate(lines) if _MATHJAX_RACE[0] in line]
    assert len(places) == 5
    for i in places:
        assert lines[i].strip() == _MATHJAX_RACE[0] + " {"
        assert lines[i + 1].strip() == 'MathJax.Hub.Queue(["Typeset", MathJax.Hub]);'
        assert lines[i + 2].strip() == '} else if (version[0] == "3") {'
    assert patched.count(_MATHJAX_RACE[1]) == patched.count(_MATHJAX_RACE[0]) == 5
