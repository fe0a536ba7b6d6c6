"""The one translation layer (``mobilenet_lab.i18n``): the package's catalog is complete, up to
date with the English source and compiled as committed; adding a language takes a
``locale/<lang>/`` folder and one line in ``LANGUAGES`` (shown with a throwaway pseudo-language);
bad languages get a clear error."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog

import mobilenet_lab.exercises as exercises
from booktools import messages as extract_messages
from mobilenet_lab import i18n
from mobilenet_lab.exercises._core import DEFAULTS
from mobilenet_lab.exercises._feedback import HINT, MARKS
from mobilenet_lab.i18n import DOMAIN, LANGUAGES, tr_in

ROOT = Path(__file__).resolve().parents[1]

TRANSLATED = LANGUAGES[1:]
HANGUL = re.compile("[가-힣]").search
PSEUDO = "qps"  # a private-use language code: ⟦every message⟧
CHECKERS = [
    check
    for info in pkgutil.iter_modules(exercises.__path__)
    if info.name.startswith("ch")
    for check in vars(importlib.import_module(f"{exercises.__name__}.{info.name}")).values()
    if callable(check) and getattr(check, "record", None) is not None
]


def committed(language: str) -> Catalog:
    return extract_messages.read_catalog(extract_messages.po_path(language))


def fields(text: str) -> list[tuple[str, str, str]]:
    """The ``str.format`` fields of a message: name, format spec, conversion."""
    return sorted(
        (f[1], f[2] or "", f[3] or "") for f in Formatter().parse(text) if f[1] is not None
    )


def test_every_checker_is_a_record():
    assert len(CHECKERS) >= 2 * 10
    assert len({check.exercise for check in CHECKERS}) == len(CHECKERS)


@pytest.mark.parametrize("language", TRANSLATED)
def test_extraction_gives_the_committed_catalog(language, tmp_path):
    """``make translations`` on a copy of the tree changes nothing: the committed ``.po`` holds
    exactly the messages of the English source (a changed English string fails here until the
    ``.po`` is updated and translated), and the ``.mo`` is its compilation."""
    for folder in ("mobilenet_lab", "booktools", "book"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    po = extract_messages.po_path(language, tmp_path)
    po.parent.mkdir(parents=True)
    shutil.copy(extract_messages.po_path(language), po)
    extract_messages.run(tmp_path)
    fresh = extract_messages.read_catalog(po)
    assert {m.id for m in fresh} == {m.id for m in committed(language)}
    assert po.read_bytes() == extract_messages.po_path(language).read_bytes()
    assert (
        extract_messages.mo_path(language, tmp_path).read_bytes()
        == extract_messages.mo_path(language).read_bytes()
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language):
    problems = []
    for message in committed(language):
        if not message.id:
            continue
        if not message.string or message.fuzzy:
            problems.append(f"untranslated or fuzzy: {message.id[:70]!r}")
        elif fields(message.id) != fields(message.string):
            problems.append(f"placeholders differ: {message.id[:70]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_the_compiled_po(language):
    assert extract_messages.mo_path(language).read_bytes() == extract_messages.mo_bytes(
        committed(language)
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_key_of_every_exercise_is_in_the_catalog(language):
    """Each checker's title, hint and messages (and the shared ones) in both languages."""
    translated = {m.id for m in committed(language) if m.id and m.string}
    texts = {*DEFAULTS.values(), *MARKS.values(), HINT}
    for check in CHECKERS:
        record = check.record
        texts |= {record.title, record.hint}
        for entry in record.messages.values():
            texts |= set(entry) if isinstance(entry, tuple) else {entry}
    assert not sorted(texts - translated)


def test_bad_languages_are_refused():
    with pytest.raises(TypeError, match="language"):
        i18n.set_language(3)
    with pytest.raises(ValueError, match="language must be one of en, ko"):
        i18n.set_language("xx")
    with pytest.raises(ValueError, match="language"):
        tr_in("xx", "Hint")
    assert exercises.set_language is i18n.set_language


# --- a new language: a folder and one line ------------------------------------------------------


@pytest.fixture
def pseudo(tmp_path, monkeypatch):
    """A throwaway language whose every message is the English one in ⟦…⟧ (placeholders kept),
    added the way a real one is: its compiled catalog in a ``locale/`` folder, its code in
    ``LANGUAGES``."""
    folder = tmp_path / "locale"
    catalog = Catalog(domain=DOMAIN, fuzzy=False)
    for message in committed("ko"):
        if message.id:
            catalog.add(message.id, f"⟦{message.id}⟧")
    # one broken translation: showing it falls back to English instead of raising
    catalog["{answer:,}: check the kernel's area (5 × 5)"].string = "⟦{area}⟧"
    for language, mo in ((PSEUDO, extract_messages.mo_bytes(catalog)), ("ko", None)):
        target = folder / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True)
        target.write_bytes(mo or extract_messages.mo_path("ko").read_bytes())
    monkeypatch.setattr(i18n, "LANGUAGES", (*LANGUAGES, PSEUDO))
    monkeypatch.setattr(i18n, "locale_dir", lambda: str(folder))
    monkeypatch.setitem(i18n._state, "language", PSEUDO)
    return folder


def _chapter1_feedback():
    """Every checker of chapter 1 in every state: right, known mistakes, wrong, malformed,
    raising, a stub."""
    from mobilenet_lab.exercises import ch01

    def stub(*_args):
        raise NotImplementedError

    def weighted_sum(x, weight, o, i, j):
        k = weight.shape[-1]
        return (x[:, i : i + k, j : j + k] * weight[o]).sum()

    def one_channel(x, weight, o, i, j):
        k = weight.shape[-1]
        return (x[0, i : i + k, j : j + k] * weight[o, 0]).sum()

    sizes = [
        lambda n, k, s, p: (n + 2 * p - k) // s + 1,
        lambda n, k, s, p: (n + 2 * p - k) // s,
        lambda n, k, s, p: (n + p - k) // s + 1,
        lambda n, k, s, p: (n - k) // s + 1,
        lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
        lambda n, k, s, p: n,
        lambda n, k, s, p: n / 2,
        lambda n, k, s, p: "7",
    ]
    yield from (ch01.check_output_size(f) for f in [*sizes, stub, None])
    for answer in (12800, 800, 400, 7200, 2560, 12832, 12801, 5, "many", 1.5, None):
        yield ch01.check_conv_params(answer)
    for f in (weighted_sum, one_channel, lambda *a: 0.0, lambda *a: "x", lambda *a: 1 / 0, 7, stub):
        yield ch01.check_weighted_sum(f)


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.setitem(i18n._state, "language", "ko")


def test_chapter1_checkers_speak_korean(korean):
    """Every message and hint of chapter 1's checkers, in every state, is shown in Korean."""
    untranslated, statuses = [], set()
    for feedback in _chapter1_feedback():
        statuses.add(feedback.status)
        untranslated += [t for t in (feedback.message, feedback.hint) if t and not HANGUL(t)]
        shown = repr(feedback)
        assert shown.startswith(("✅ 정답", "❌ 아직 아니에요", "⏳ 아직 풀지 않았어요")), shown
        assert shown.startswith(tr_in("ko", MARKS[feedback.status])), shown
        if feedback.hint and not feedback:
            assert "\n   힌트: " in shown
    assert statuses == {"correct", "wrong", "not done"}
    assert not untranslated, "\n".join(sorted(set(untranslated)))


def test_feedback_is_translated_when_shown_not_when_checked(monkeypatch):
    from mobilenet_lab.exercises import ch01

    monkeypatch.setitem(i18n._state, "language", "en")
    feedback = ch01.check_conv_params(800)
    assert repr(feedback).startswith("❌ Not quite [ex-01-conv-params]: 800 counts each filter")
    exercises.set_language("ko")
    assert repr(feedback).startswith("❌ 아직 아니에요"), repr(feedback)
    assert feedback.message == "800: 필터가 채널을 하나만 본다고 셌습니다"


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "MOBILENET_LAB_LANG"}
    command = [sys.executable, "-c", code]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment | env)


def test_english_is_the_default_and_the_environment_chooses_another():
    code = "from mobilenet_lab.exercises import ch01; print(repr(ch01.check_conv_params(None)))"
    assert _run(code).stdout.startswith("⏳ Not done yet")
    assert _run(code, MOBILENET_LAB_LANG="ko").stdout.startswith("⏳ 아직 풀지 않았어요")
    assert _run(code, MOBILENET_LAB_LANG="xx").stdout.startswith("⏳ Not done yet")


def test_a_new_language_translates_every_checker_message_and_the_quiz(pseudo):
    from mobilenet_lab.quiz import _choose_language, answer_key_markdown, load_quiz

    assert i18n.get_language() == PSEUDO
    statuses = set()
    for feedback in _chapter1_feedback():
        statuses.add(feedback.status)
        shown = repr(feedback)
        assert shown.startswith(f"⟦{tr_in('en', MARKS[feedback.status])}⟧ ["), shown
        message = feedback.message
        if "area" in feedback.text:  # the broken translation: shown in English
            assert message == "2,560: check the kernel's area (5 × 5)"
            continue
        assert message.startswith("⟦") and message.endswith("⟧"), message
        if not feedback:
            assert feedback.hint.startswith("⟦") and feedback.hint.endswith("⟧")
            assert f"\n   ⟦{HINT}⟧: ⟦" in shown
    assert statuses == {"correct", "wrong", "not done"}
    for question in load_quiz("ch01", PSEUDO):
        texts = [question["question"]] + [
            a[f] for a in question["answers"] for f in ("answer", "feedback")
        ]
        assert all(t.startswith("⟦") and t.endswith("⟧") for t in texts), texts
    assert (
        f'html[lang="{PSEUDO}"] .mobilenet-lab-quiz > .mobilenet-lab-quiz-{PSEUDO}'
        in _choose_language()
    )
    assert answer_key_markdown(("ch01",), PSEUDO).startswith("### ⟦Chapter 1⟧")


def test_a_new_language_is_embedded_in_every_quiz(pseudo):
    """``show_quiz`` embeds every language of ``LANGUAGES``: the pseudo-language's questions too."""
    code = (
        "import json, sys\n"
        "from IPython.utils.capture import capture_output\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance()\n"
        "from mobilenet_lab import i18n\n"
        f"i18n.LANGUAGES = (*i18n.LANGUAGES, {PSEUDO!r})\n"
        f"i18n.locale_dir = lambda: {str(pseudo)!r}\n"
        f"i18n.set_language({PSEUDO!r})\n"
        "from mobilenet_lab.quiz import quiz_for_display, show_quiz\n"
        "with capture_output() as out: show_quiz('ch01')\n"
        "data = [o.data for o in out.outputs]\n"
        f"mine = json.dumps(quiz_for_display('ch01', {PSEUDO!r}))\n"
        "print(len(data), data[0]['text/html'].count('<div id='), data[0]['text/html'].split('data-lang=\"')[1][:3],\n"
        "      any(mine in d.get('application/javascript', '') for d in data))\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["4", "3", PSEUDO, "True"]
