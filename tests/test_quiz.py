"""The concept quizzes: five well-formed questions per chapter, shown in every chapter, and the
teacher page's answer key generated from the same data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mobilenet_lab.quiz import (
    QUIZ_CHAPTERS,
    answer_key_markdown,
    load_quiz,
    quiz_for_display,
    show_quiz,
)

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[01][0-9]_*.ipynb"))


def test_one_quiz_per_chapter():
    assert len(CHAPTERS) == len(QUIZ_CHAPTERS) == 10
    assert [f"ch{p.name[:2]}" for p in CHAPTERS] == list(QUIZ_CHAPTERS)


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


def test_answer_key_matches_the_data():
    key = answer_key_markdown()
    sections = re.split(r"(?m)^### Chapter (\d+)\n", key)[1:]
    assert [int(n) for n in sections[::2]] == list(range(1, 11))
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


def test_teacher_page_includes_the_generated_key():
    page = (ROOT / "book" / "teachers.md").read_text(encoding="utf-8")
    assert "{include} ../_build/notebooks/quiz_key.md" in page
    script = (ROOT / "scripts" / "make_notebooks.py").read_text(encoding="utf-8")
    assert '"quiz_key.md").write_text(answer_key_markdown())' in script


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
    # the committed output embeds this chapter's questions, as they are now
    assert json.dumps(quiz_for_display(chapter)) in shown


def test_show_quiz_is_deterministic_and_embeds_its_questions():
    """Run in a subprocess with IPython's display capture: same ids every time, no download."""
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
        "js = da[1]['application/javascript']\n"
        "assert 'fetch(' not in js and 'http' not in js.split('if (typeof Question')[0]\n"
        "print(len(da))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2"
    assert callable(show_quiz)
