"""The checkers' messages in every language of the book, in one place.

The checkers (``ch01.py`` …) write their messages and hints in English, the book's source
language. This catalog pairs each English message with its translation; :class:`Feedback`
(``_core.py``) looks its text up here when it is shown, in the language chosen by
``mobilenet_lab.exercises.set_language("ko")`` (the Korean notebook editions run it in their
setup) or by the environment variable ``MOBILENET_LAB_LANG=ko``. English needs no entry.

An entry is either an exact English text or a template whose ``{name}`` parts stand for values
("{answer}: check the kernel's area (5 × 5)"). Parts named ``what``, ``why`` and ``where`` are
themselves English messages and are translated in turn. Text without an entry is shown in English
(``tests/test_translation.py`` checks that every message of a translated chapter has one).
"""

from __future__ import annotations

import re
from functools import cache

MARKS = {
    "en": {"correct": "✅ Correct", "wrong": "❌ Not quite", "not done": "⏳ Not done yet"},
    "ko": {"correct": "✅ 정답", "wrong": "❌ 아직 아니에요", "not done": "⏳ 아직 풀지 않았어요"},
}
HINT = {"en": "Hint", "ko": "힌트"}

# English → Korean. Values in braces; `what`, `why`, `where` are translated recursively.
KO: dict[str, str] = {
    # _core.py
    "replace the stub (None, ... or NotImplementedError) with your answer": (
        "스텁(None, ... 또는 NotImplementedError)을 여러분의 답으로 바꾸세요"
    ),
    "your answer raised {error}": "답을 실행하다가 오류가 났습니다: {error}",
    "{what} should be a whole number, got {answer}": "{what}: 정수여야 합니다. 받은 값: {answer}",
    "{what} = {expected}": "{what} = {expected}",
    "{what}: {answer} is too high": "{what}: {answer}, 너무 큽니다",
    "{what}: {answer} is too low": "{what}: {answer}, 너무 작습니다",
    # ch01.py: the standard convolution
    "a standard conv has D_K · D_K · M · N weights: every one of the N filters spans all M "
    "channels": (
        "일반 합성곱의 가중치는 D_K · D_K · M · N개입니다. N개의 필터 하나하나가 M개의 채널 모두에 "
        "걸쳐 있습니다"
    ),
    "weights of the 5×5 conv, 16 → 32": "5×5 합성곱(16 → 32)의 가중치 수",
    "{answer} counts each filter as if it saw one channel": (
        "{answer}: 필터가 채널을 하나만 본다고 셌습니다"
    ),
    "{answer}: check the kernel's area (5 × 5)": "{answer}: 커널의 넓이(5 × 5)를 확인하세요",
    "{answer} includes a bias, but this conv has bias=False": (
        "{answer}: 편향까지 셌는데, 이 합성곱은 bias=False입니다"
    ),
    "without padding, output (i, j) reads the k×k window whose top-left corner is input (i, j), "
    "in every channel; pair each number of that window with the weight at the same place in "
    "filter o and add up all the products": (
        "패딩이 없으면 출력 (i, j)는 모든 채널에서 왼쪽 위 모서리가 입력 (i, j)인 k×k 창을 "
        "읽습니다. 그 창의 숫자 하나하나를 필터 o의 같은 자리에 있는 가중치와 짝지어 곱하고, 그 "
        "곱을 모두 더하세요"
    ),
    "one_output returned a tensor of shape {shape}; expected a single number": (
        "one_output이 {shape} 모양의 텐서를 돌려주었습니다. 숫자 하나여야 합니다"
    ),
    "one_output returned {type}; expected a number": (
        "one_output이 {type} 값을 돌려주었습니다. 숫자여야 합니다"
    ),
    "you summed one channel only; a standard filter sums all M": (
        "채널 하나만 더했습니다. 일반 합성곱의 필터는 M개 채널을 모두 더합니다"
    ),
    "for M={m}, k={k}, (o, i, j)=({o}, {i}, {j}) you got {got}, the convolution gives {want}": (
        "M={m}, k={k}, (o, i, j)=({o}, {i}, {j})에서 여러분의 값은 {got}, 합성곱의 값은 "
        "{want}입니다"
    ),
    "your weighted sum matches F.conv2d at every position tested": (
        "여러분의 가중합이 시험한 모든 위치에서 F.conv2d와 일치합니다"
    ),
    "count the positions where the window fits: the padded input is size + 2·padding long, the "
    "first position uses kernel_size of it, and every further position needs stride more": (
        "창이 들어맞는 위치의 수를 세세요. 패딩한 입력의 길이는 size + 2·padding이고, 첫 위치가 "
        "그중 kernel_size만큼을 쓰며, 다음 위치마다 stride만큼이 더 필요합니다"
    ),
    "for size={n}, kernel_size={k}, stride={s}, padding={p} you returned {got}": (
        "size={n}, kernel_size={k}, stride={s}, padding={p}에서 여러분의 값은 {got}"
    ),
    "{where}: a size is a whole number (the window must fit entirely)": (
        "{where}: 크기는 정수입니다(창이 통째로 들어맞아야 합니다)"
    ),
    "conv_output_size returned {type}; expected an int": (
        "conv_output_size가 {type} 값을 돌려주었습니다. int여야 합니다"
    ),
    "for size={n}, kernel_size={k}, stride={s}, padding={p} you returned {got}: {why}": (
        "size={n}, kernel_size={k}, stride={s}, padding={p}에서 여러분의 값은 {got}: {why}"
    ),
    "F.conv2d gives {want}": "F.conv2d의 값은 {want}입니다",
    "one short: the first position counts too": "하나 모자랍니다. 첫 위치도 세야 합니다",
    "the padding goes on both sides": "패딩은 양쪽에 붙습니다",
    "the padding is missing": "패딩이 빠졌습니다",
    "a window that does not fit entirely is not used: round down": (
        "통째로 들어맞지 않는 창은 쓰지 않습니다. 내림하세요"
    ),
    "your formula matches F.conv2d for every case tested": (
        "여러분의 공식이 시험한 모든 경우에 F.conv2d와 일치합니다"
    ),
}
CATALOGS = {"ko": KO}
NESTED = ("what", "why", "where")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


@cache
def _templates(language: str) -> list[tuple[str, str]]:
    """The catalog's templates, most specific (longest literal text) first."""
    templates = [(en, tr) for en, tr in CATALOGS[language].items() if "{" in en]
    return sorted(templates, key=lambda pair: -len(re.sub(r"\{\w+\}", "", pair[0])))


def lookup(text: str, language: str) -> str | None:
    """The translation of one English message, or None when the catalog has no entry."""
    catalog = CATALOGS.get(language)
    if catalog is None or not text:
        return text if language == "en" or not text else None
    if text in catalog and "{" not in text:
        return catalog[text]
    for english, translated in _templates(language):
        match = _pattern(english).match(text)
        if match is None:
            continue
        values = match.groupdict()
        for name in NESTED:
            if name in values:
                inner = lookup(values[name], language)
                if inner is None:
                    break
                values[name] = inner
        else:
            return translated.format(**values)
    return None


def translate(text: str, language: str) -> str:
    """One message in ``language``: its translation, or the English text when there is none."""
    found = lookup(text, language)
    return text if found is None else found
