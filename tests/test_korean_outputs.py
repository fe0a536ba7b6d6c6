"""A Korean student meets no English (issue 22): Korean figures have every glyph, the Korean
editions translate comments and docstrings and differ from the English ones in nothing else, the
Korean site renders the Korean run, and the Korean editions, run as in Colab, show no English
words beyond a per-chapter baseline that may only go down.

``make student-test`` runs this module after ``make colab`` and the book builds (``make test``
orders them so): it reads their results, and runs what is missing itself.
"""

from __future__ import annotations

import ast
import html
import json
import re
import unicodedata
import warnings

import matplotlib
import nbformat
import pytest

from booktools import book as registry
from booktools import code_text
from booktools.colab_faithful import glue_differences
from booktools.colab_harness import HARNESS, code_digest, run_cells, with_run_outputs
from booktools.editions import write_editions
from booktools.english import english_words, markdown_text, notebook_english
from booktools.messages import po_path, read_catalog
from booktools.translation import TRANSLATED_LINKS, translated_links, translated_url
from mobilenet_lab import i18n
from mobilenet_lab.notebook import FONTS, font_files, setup_plots

ROOT = registry.ROOT
NOTEBOOKS = registry.notebooks()
LANGUAGE = "ko"

#: The only English words a Korean reader of each chapter meets (in Markdown, comments and
#: docstrings, outputs and figure text, as ``booktools.english.notebook_english`` finds them), and
#: why: every other word is in Korean. Code a cell prints (Python source, a repr, state-dict keys,
#: parameter names), a library's own output that is the lesson (torchinfo's summary, PyTorch's
#: error message), data values (ImageNet's class names, file names) and people's names stay.
ALLOWED_ENGLISH: dict[str, str] = {
    "01_standard_convolution": "weight bias"  # a module's parameter names, printed
    " Ioffe Szegedy",  # authors
    "03_pointwise_convolution": "Caffe Winograd",  # a framework, an algorithm (names)
    "04_depthwise_separable_convolution": "Jaderberg Denton",  # authors
    "05_separable_block": "class def self stride return"  # the block's source, printed
    " pw depthwise pointwise"  # variable and module names, printed
    " Pointwise Depthwise layer",  # the blog's own words, quoted
    "06_mobilenet_v1": "conv separable"  # LayerSpec reprs (the architecture as data)
    " Layer type depth idx Output Shape Param Sequential Dropout Linear Total params Trainable"
    " Non trainable mult adds Input size Forward backward pass Params Estimated Size"  # torchinfo
    " features def self alpha for in"  # state-dict keys; a function's source, printed
    " Given weight of size expected to have channels but got instead"  # PyTorch's error
    " Shallow",  # the paper's "Shallow MobileNet"
    "08_training": "fit",  # the function's name, in a printed label
    "09_speed": "Processor conv allclose"  # the CPU's name; code, printed
    " Jacob",  # an author
    "10_pretrained": "features blocks relu"  # state-dict keys, an argument's value
    " china flower"  # file names
    " palace monastery stupa tile roof temple pagoda daisy dahlia rose yellow lady's slipper"
    " rapeseed cardoon"  # ImageNet's class names
    " Kornblith Shlens Le Do Better Models Transfer",  # authors and a paper's title
}


# --- the font ----------------------------------------------------------------------------------


@pytest.fixture
def korean_plots():
    """Korean figures (the language and matplotlib's settings restored afterwards)."""
    before = i18n.get_language()
    with matplotlib.rc_context():
        i18n.set_language(LANGUAGE)
        matplotlib.use("Agg")
        setup_plots()
        yield
    i18n.set_language(before)


def catalog_characters() -> str:
    """Every character a Korean label of the catalog may draw (emoji aside: the checkers' ✅ ❌
    ⏳ are printed, never drawn in a figure)."""
    text = "".join(m.string for m in read_catalog(po_path(LANGUAGE)) if m.id and m.string)
    return "".join(
        sorted(
            {
                ch
                for ch in text
                if unicodedata.category(ch) not in ("So", "Mn", "Cc", "Cf") and not ch.isspace()
            }
        )
    )


def test_the_korean_font_comes_from_its_package():
    package, family = FONTS[LANGUAGE]
    files = font_files(LANGUAGE)
    assert files and all(f.endswith(".ttf") and family in f for f in files)
    assert all(package.replace("-", "_") in f for f in files)
    assert font_files("en") == []


def test_a_korean_figure_has_every_glyph(korean_plots, caplog):
    """Every character of the Korean catalog, drawn in one figure, and Korean beside math in one
    label: matplotlib's "Glyph … missing from font(s)" warning and its mathtext's "… does not
    have a glyph …" log message are errors here. (A log axis's ticks, 10⁻¹, are math whose minus
    sign the Korean font lacks: a Korean figure writes them as plain numbers, chapter 9.)"""
    import matplotlib.pyplot as plt

    characters = catalog_characters()
    assert len(characters) > 500 and "합" in characters and "×" in characters
    fig, ax = plt.subplots(figsize=(12, 10))
    ax.set_title(i18n.tr_in(LANGUAGE, "Hint") + " — 층별 가중치 × 곱셈-덧셈 연산 수")
    ax.set_xlabel("해상도 ρ (px)")
    ax.set_ylabel("정확도 (%)")
    ax.plot([-1, 0, 1], [2, -1, 3], label="깊이별 분리 합성곱, $\\alpha$ = 0.5")
    ax.legend()
    for row in range(0, len(characters), 60):
        ax.text(0, 1 - row / len(characters), characters[row : row + 60], fontsize=6)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing")
        fig.canvas.draw()
    plt.close(fig)
    assert not [r.getMessage() for r in caplog.records if "glyph" in r.getMessage()]
    assert matplotlib.rcParams["font.family"][0] == FONTS[LANGUAGE][1]


def test_a_missing_glyph_does_fail_the_check():
    """The check itself: without the Korean font, Hangul is a missing glyph, and an error."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("합성곱")
        with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing"):
            warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing")
            fig.canvas.draw()
        plt.close(fig)


# --- comments and docstrings -------------------------------------------------------------------

CELL = '''\
# Setup: a comment that runs over
# two lines
import torch  # an inline comment
# (N, M)
s = "# not a comment"  # noqa: E501


def f(x):
    """Twice ``x``, as a
    whole number."""
    return 2 * x  # YOUR CODE HERE
'''


def test_comments_and_docstrings_are_found_with_tokenize():
    found = [(p.kind, p.message) for p in code_text.pieces(CELL)]
    assert found == [
        ("comment", "Setup: a comment that runs over two lines"),
        ("inline", "an inline comment"),
        ("docstring", "Twice ``x``, as a whole number."),
    ]


def test_translations_replace_them_and_keep_the_code():
    korean = {
        "Setup: a comment that runs over two lines": "설정: " + "아주 긴 설명 " * 12,
        "an inline comment": "줄 끝 주석",
        "Twice ``x``, as a whole number.": "``x``의 두 배를 정수로 돌려줍니다.",
    }
    out = code_text.translate_code(CELL, lambda text: korean.get(text, text))
    assert "# 줄 끝 주석" in out and '"""``x``의 두 배를 정수로 돌려줍니다."""' in out
    assert '"# not a comment"  # noqa: E501' in out and "# YOUR CODE HERE" in out
    assert "# (N, M)" in out
    assert all(code_text.display_width(line) <= code_text.WIDTH for line in out.split("\n"))
    assert out.count("# 설정:") == 1 and out.split("\n")[1].startswith("# ")  # wrapped
    assert ast.dump(ast.parse(out)) != ast.dump(ast.parse(CELL))  # the docstring changed
    assert without_text(out) == without_text(CELL)


def without_text(source: str) -> str:
    """A cell's code without its comments, docstrings and IPython lines (an AST dump)."""
    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.split("\n")]
    tree = ast.parse("\n".join(lines))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, dict[str, list]]:
    out = tmp_path_factory.mktemp("editions")
    return {language: write_editions(NOTEBOOKS, out, language) for language in ("en", LANGUAGE)}


@pytest.mark.parametrize("edition", ["student", "reader"])
def test_korean_and_english_editions_run_the_same_code(editions, edition):
    """Cell by cell, the Korean edition's code is the English one's but for comments,
    docstrings, ``#@title`` lines (comments too) and the one language cell after the setup
    cell; and every comment or docstring that has a Korean entry is shown in Korean."""
    for english_path, korean_path in zip(editions["en"][edition], editions[LANGUAGE][edition]):
        english = nbformat.read(english_path, as_version=4)
        korean = nbformat.read(korean_path, as_version=4)
        en_code = [c for c in english.cells if c.cell_type == "code"]
        ko_code = [c for c in korean.cells if c.cell_type == "code"]
        assert "set_language" in ko_code[1].source and len(ko_code) == len(en_code) + 1
        del ko_code[1]
        for en, ko in zip(en_code, ko_code):
            where = f"{english_path.name}, cell {en.get('id')}"
            assert en.get("id") == ko.get("id"), where
            assert without_text(en.source) == without_text(ko.source), where
            for text in code_text.messages(en.source):
                korean_text = i18n.tr_in(LANGUAGE, text)
                assert korean_text == text or text not in code_text.messages(ko.source), where


# --- the Korean site shows the Korean run ------------------------------------------------------


def test_a_run_outputs_replace_the_book_outputs_by_cell_id():
    book = nbformat.read(NOTEBOOKS[0], as_version=4)
    run = nbformat.reads(nbformat.writes(book), as_version=4)
    code = [c for c in run.cells if c.cell_type == "code"]
    code[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="한국어 출력\n")]
    run.cells = list(reversed(run.cells))  # the order does not matter, the ids do
    shown = with_run_outputs(book, run)
    last = [c for c in shown["cells"] if c["cell_type"] == "code"][-1]
    assert last["outputs"][0]["text"] == "한국어 출력\n"
    assert [c["source"] for c in shown["cells"]] == [c["source"] for c in book.cells]
    assert code_digest(shown) == code_digest(book)
    with pytest.raises(ValueError, match="lacks"):
        with_run_outputs(book, {"cells": [], "metadata": {}})


def test_the_korean_site_shows_korean_comments():
    book = nbformat.read(NOTEBOOKS[0], as_version=4)
    korean = lambda text: i18n.tr_in(LANGUAGE, text)  # noqa: E731
    shown = with_run_outputs(book, book, korean)
    code = [(a, b) for a, b in zip(book.cells, shown["cells"]) if a["cell_type"] == "code"]
    assert all(b["source"] == code_text.translate_code(a["source"], korean) for a, b in code)
    hangul = re.compile("[가-힣]")
    assert any(hangul.search(b["source"]) and not hangul.search(a["source"]) for a, b in code)


def test_a_run_keeps_the_cells_that_only_glue():
    book = nbformat.read(NOTEBOOKS[0], as_version=4)
    edition = nbformat.reads(nbformat.writes(book), as_version=4)
    code = [c for c in edition.cells if c.cell_type == "code"]
    dropped = code[3]
    edition.cells.remove(dropped)
    edition.cells.insert(1, nbformat.v4.new_code_cell("# the language cell"))
    ids = [c.get("id") for c in run_cells(edition, book) if c.cell_type == "code"]
    book_ids = [c.get("id") for c in book.cells if c.cell_type == "code"]
    assert [i for i in ids if i in book_ids] == book_ids


def test_the_harness_records_the_text_of_each_figure_a_cell_shows(monkeypatch, korean_plots):
    """What the English-word scan reads of a figure: the texts of every figure drawn for
    display while a cell ran (``plt.show()`` closes it before the cell ends), by the cell's
    execution count."""
    import io
    import types

    import matplotlib.pyplot as plt
    from matplotlib.backend_bases import FigureCanvasBase

    monkeypatch.setattr(FigureCanvasBase, "print_figure", FigureCanvasBase.print_figure)
    hooks = []
    shell = types.SimpleNamespace(events=types.SimpleNamespace(register=lambda *a: hooks.append(a)))
    namespace = {"get_ipython": lambda: shell}
    exec(HARNESS.replace("GLUE_PREFIX", "").replace("RECORDS", "False"), namespace)
    assert [event for event, _ in hooks] == ["post_run_cell"]
    fig, ax = plt.subplots()
    ax.set_title("층별 가중치")
    ax.set_xlabel("weight layer")
    fig.canvas.print_figure(io.BytesIO(), format="png")
    plt.close(fig)
    hooks[0][1](types.SimpleNamespace(execution_count=7))
    hooks[0][1](types.SimpleNamespace(execution_count=8))  # a cell without a figure
    assert {"층별 가중치", "weight layer"} <= set(namespace["_figure_text"][7])
    assert 8 not in namespace["_figure_text"]


def test_glued_numbers_must_agree_across_languages():
    english = {"n": "432", "verdict": "'4.2× faster'", "big": "'1,234 weights'"}
    assert not glue_differences(english, english, set())
    korean = {"n": "432", "verdict": "'4.2배 빠름'", "big": "'가중치 1,234개'"}
    assert not glue_differences(english, korean, set())
    wrong = glue_differences(english, {**korean, "n": "433", "big": "'가중치 1,235개'"}, set())
    assert [p.split(":")[0] for p in wrong] == ["glued big", "glued n"]
    assert not glue_differences(english, {**korean, "n": "433"}, {"n"})


def test_the_korean_site_renders_the_korean_run():
    """After ``make colab`` and the Korean build (``make test`` runs both before this), each
    chapter's Korean page shows its Korean run's printed outputs."""
    site = ROOT / "_build" / "html" / LANGUAGE / "book"
    runs = ROOT / "_build" / "colab-runs" / LANGUAGE / "reader"
    if not (site.exists() and runs.exists()):
        pytest.fail("build the Korean site first: make colab build-check")
    for path in NOTEBOOKS:
        run = nbformat.read(runs / path.name, as_version=4)
        page = html.unescape((site / f"{path.stem}.html").read_text(encoding="utf-8"))
        printed = [
            line.strip()
            for cell in run.cells
            if cell.cell_type == "code" and "remove-output" not in cell.metadata.get("tags", [])
            for out in cell.get("outputs", [])
            if out.get("output_type") == "stream"
            for line in "".join(out["text"]).split("\n")
            if re.search("[가-힣]", line) and "<" not in line and "&" not in line
        ]
        missing = [line for line in printed if line not in page]
        assert not missing, f"{path.name}: Korean output not on the Korean page: {missing[:3]}"


def _has_korean(outputs: list) -> bool:
    return bool(re.search("[가-힣]", json.dumps(outputs, ensure_ascii=False)))


def test_the_korean_reader_edition_shows_the_korean_run():
    """Before anything runs, a Korean notebook shows Korean outputs: its reader edition (``make
    notebooks``) carries the committed Korean run's outputs, cell by cell."""
    from booktools.colab_faithful import committed_path

    editions = ROOT / "_build" / "notebooks" / LANGUAGE / "reader"
    if not editions.exists():
        pytest.fail("write the Korean editions first: make notebooks")
    for path in NOTEBOOKS:
        run = nbformat.read(committed_path(LANGUAGE, "reader", path.name), as_version=4)
        shown = nbformat.read(editions / path.name, as_version=4)
        ran = {c.id: c.outputs for c in run.cells if c.cell_type == "code" and c.outputs}
        kept = [c for c in shown.cells if c.cell_type == "code" and c.get("id") in ran]
        assert kept, f"{path.name}: no output of the Korean run in the Korean reader edition"
        if _has_korean(list(ran.values())):
            assert any(_has_korean(c.outputs) for c in kept), f"{path.name}: no Korean output shown"
        for cell in kept:
            images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            expected = [o for o in ran[cell.id] if "image/png" in o.get("data", {})]
            assert [o.data["image/png"] for o in images] == [
                o.data["image/png"] for o in expected
            ], f"{path.name}: a figure of the Korean run is missing from the Korean edition"


def test_each_teacher_page_offers_its_own_student_notebooks():
    """The Korean teacher page's download is the zip of the Korean student notebooks (the
    English page's, the English ones)."""
    import zipfile

    site = ROOT / "_build" / "html"
    if not (site / LANGUAGE / "book" / "teachers.html").exists():
        pytest.fail("build both sites first: make colab build-check")
    for prefix, korean in (("", False), (f"{LANGUAGE}/", True)):
        page = site / prefix / "book" / "teachers.html"
        (href,) = set(re.findall(r'href="([^"]*mobilenet-lab-student\.zip)"', page.read_text()))
        with zipfile.ZipFile((page.parent / href).resolve()) as archive:
            names = [n for n in archive.namelist() if n.endswith(".ipynb")]
            text = "".join(archive.read(n).decode() for n in names)
        assert len(names) == len(NOTEBOOKS)
        assert ('set_language(\\"ko\\")' in text) == korean, f"{page}: {href}"


# --- links --------------------------------------------------------------------------------------


def test_every_pytorch_tutorial_link_is_looked_up():
    """A link to a PyTorch tutorial is listed in TRANSLATED_LINKS (its Korean translation, or
    None when tutorials.pytorch.kr has none), so the Korean readers get the Korean one."""
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.*") if p.is_file()]
    links = {
        m
        for text in sources
        for m in re.findall(r"https://pytorch\.org/tutorials/[^\s)\"\\]+", text)
    }
    assert links, "no PyTorch tutorial link left: is the pattern still right?"
    assert links <= set(TRANSLATED_LINKS[LANGUAGE]), links - set(TRANSLATED_LINKS[LANGUAGE])
    url = next(iter(TRANSLATED_LINKS[LANGUAGE]))
    korean = TRANSLATED_LINKS[LANGUAGE][url]
    assert translated_url(url + "#step", LANGUAGE) == f"{korean}#step"
    assert translated_links(f"[a]({url}) and <{url}>", LANGUAGE) == f"[a]({korean}) and <{korean}>"
    assert translated_url(url, "en") == url


# --- the proof: the Korean student edition, scanned ---------------------------------------------


def test_english_words_are_told_from_code_and_names():
    text = "The output of `nn.Conv2d` in PyTorch: 12 ms on a CPU, see model.eval() (top-1)."
    assert english_words(text) == ["The", "output", "of", "in", "on", "see"]  # "a": a symbol
    assert english_words("모델의 출력은 MobileNet과 ReLU6, D_K, α입니다.") == []
    assert english_words("크기 size의 이미지", frozenset({"size"})) == []
    assert english_words("가중합(weighted sum)이라고 부르며 논문의 Table 3") == []  # a gloss
    assert english_words("가중합 (weighted sum)") == ["weighted", "sum"]
    assert english_words("⏳ 아직 풀지 않았어요 [ex-08-choose-lr]: 힌트") == []
    assert english_words(markdown_text("**연산 강도**(arithmetic intensity)")) == []
    assert english_words(markdown_text("**bold** English")) == ["bold", "English"]


def test_the_korean_editions_show_no_english_beyond_their_allow_list():
    """Read on the Korean reader run, every cell of which ran (the Korean site shows it; the
    student edition is the same code but for the solutions, and runs only what its stubs
    reach): no English word outside the chapter's :data:`ALLOWED_ENGLISH`."""
    runs = ROOT / "_build" / "colab-runs" / LANGUAGE / "reader"
    if not runs.exists():
        pytest.fail("run the Korean reader edition first: make colab")
    report = []
    for path in NOTEBOOKS:
        allowed = set(ALLOWED_ENGLISH.get(path.stem, "").split())
        found = notebook_english(nbformat.read(runs / path.name, as_version=4))
        report += [
            f"{path.stem} cell {i} ({kind}): {' '.join(w for w in words if w not in allowed)}"
            for i, kind, words in found
            if set(words) - allowed
        ]
    assert not report, "English a Korean reader meets (issue 22):\n" + "\n".join(report)
