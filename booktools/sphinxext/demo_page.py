"""The browser demo page (``book/demo.md``): its scripts and style, on that page only.

- ``_static_demo/`` (the page's own ``demo/demo.js`` and ``demo/demo.css``) is added to
  ``html_static_path``: served as ``_static/demo/…``.
- ``_build/demo-extra/`` (written by ``make demo-models``: ``demo/*.onnx`` and
  ``demo/demo.json``, trained and exported at build time, never committed) is added to
  ``html_extra_path``: served as ``demo/…`` at the site's root. Without it the page still builds
  and says, in the page, that the models are missing.
- On ``book/demo`` only: onnxruntime-web's WebAssembly build (``_static/vendor/onnxruntime-web/``,
  copied from npm by ``make vendor``), the page's script and style, and the widget's words in the
  page's language (:data:`LABELS`, translated by the package's catalog with ``tr_in`` when the
  page is built), as a JSON script element that ``demo.js`` reads.
- The role ``{demo}`field``` puts a number of this build's export into the page's prose, so the
  text says what the table shows: ``separable.test_acc`` / ``standard.test_acc`` (percent),
  ``separable.errors`` / ``standard.errors`` (wrong test digits), ``separable.mb`` /
  ``standard.mb`` (the ONNX file in MB), ``n_test``,
  ``mult_adds_ratio`` and ``params_ratio`` (standard over separable). The prose says the standard
  twin makes fewer errors: a build whose export says otherwise warns (and ``-W`` fails).
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.util import logging

from booktools.book import ROOT
from booktools.sphinxext.text_role import text_role
from mobilenet_lab.i18n import LANGUAGES, N_, tr_in

STATIC = ROOT / "_static_demo"
MODELS = ROOT / "_build" / "demo-extra"
PAGE = "book/demo"
LABELS_ID = "mobilenet-demo-labels"  # the id of the JSON script element demo.js reads

# The widget's words (msgids of the ``mobilenet_lab`` catalog). demo.md's raw HTML is not
# translated by Sphinx: its elements name their label (data-text="key", data-label="key" for an
# aria-label; the table's header cells in order, "headers"), and demo.js fills in the `{…}`
# fields of the others.
LABELS: dict[str, str | list[str]] = {
    "separable": N_("MobileNet (separable)"),
    "standard": N_("Standard twin"),
    "loading": N_("Loading the runtime and MobileNet…"),
    "load": N_("Load it ({mb} MB) and compare"),
    "loadingNet": N_("loading…"),
    "loadingOne": N_("Loading {name} ({mb} MB)…"),
    "missing": N_("The exported networks are missing: build the book with `make book`."),
    "ready": N_("Ready: draw a digit in the box, or load a test digit."),
    "canvas": N_("Draw a digit here"),
    "clear": N_("Clear"),
    "preview": N_("The 8×8 digit the networks see"),
    "seen": N_("what the networks see: 8×8 pixels, before scaling up"),
    "samples": N_("Test digits:"),
    "sample": N_("a test digit {label} (never seen in training)"),
    "answer": N_("answer: {digit} ({percent} %)"),
    "caption": N_(
        "Cost per image, as counted when the book was built, and latency per image, measured on your "
        "machine, in your browser, with one thread"
    ),
    "headers": [
        N_("network"),
        N_("mult-adds"),
        N_("parameters"),
        N_("ONNX file"),
        N_("test accuracy"),
        N_("latency per image: median (IQR)"),
    ],
    "time": N_("Time it"),
    "timeHint": N_(
        "Runs the two networks in alternation on the digit shown (or a test digit) and reports "
        "the median time per image with its interquartile range, to the resolution of your "
        "browser's clock."
    ),
    "timing": N_("timing…"),
    "latency": N_("{median} ms ({low}–{high})"),
    "latencyBatched": N_("{median} ms ({low}–{high}), {batch} runs per sample"),
    "timed": N_(
        "{runs} samples per network, one image at a time, the networks taking turns: the median "
        "time per image, and in brackets the middle half of the samples (the interquartile "
        "range). Your browser's clock ticks every {tick} ms, so times are rounded to match, and "
        "a network faster than {ticks} ticks is timed several runs per sample. Here the standard "
        "twin took {measured}× as long as MobileNet; the mult-adds say {counted}×."
    ),
}

logger = logging.getLogger(__name__)


def add_paths(app: Any, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    if (MODELS / "demo" / "demo.json").is_file():
        config.html_extra_path = [*config.html_extra_path, str(MODELS)]
    else:
        logger.info("demo page: no exported models (run `make demo-models`)")


def labels(language: str) -> dict[str, str | list[str]]:
    """The widget's words in ``language`` (one of ``mobilenet_lab.i18n.LANGUAGES``)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return {
        key: [tr_in(language, text) for text in value]
        if isinstance(value, list)
        else tr_in(language, value)
        for key, value in LABELS.items()
    }


def labels_json(language: str) -> str:
    """:func:`labels` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(labels(language), ensure_ascii=False).replace("</", "<\\/")


def add_demo_assets(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if pagename != PAGE:
        return
    language = app.config.language or LANGUAGES[0]
    app.add_css_file("demo/demo.css")
    app.add_js_file(None, body=labels_json(language), type="application/json", id=LABELS_ID)
    app.add_js_file("vendor/onnxruntime-web/ort.wasm.min.js")
    app.add_js_file("demo/demo.js")


def demo_numbers(summary: dict) -> dict[str, str]:
    """What ``{demo}`field``` shows for every field, from an export's ``demo.json``."""
    from mobilenet_lab.data import digits_split

    n_test = len(digits_split()[1])
    models = summary["models"]
    sep, std = models["separable"], models["standard"]
    numbers = {
        "n_test": str(n_test),
        "mult_adds_ratio": f"{std['mult_adds'] / sep['mult_adds']:.1f}",
        "params_ratio": f"{std['params'] / sep['params']:.1f}",
    }
    for name, model in models.items():
        numbers[f"{name}.test_acc"] = f"{100 * model['test_acc']:.1f} %"
        numbers[f"{name}.errors"] = str(round((1 - model["test_acc"]) * n_test))
        numbers[f"{name}.mb"] = f"{model['bytes'] / 1e6:.1f}"  # as the page's script shows it
    return numbers


def load_demo_numbers(app: Any) -> None:
    """Read this build's export once; warn when the page's prose no longer holds for it."""
    path = MODELS / "demo" / "demo.json"
    app.env.demo_numbers = (
        demo_numbers(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else {}
    )
    numbers = app.env.demo_numbers
    if numbers and int(numbers["standard.errors"]) >= int(numbers["separable.errors"]):
        logger.warning(
            "book/demo.md says the standard twin makes fewer test errors than the separable "
            f"network; this build's export says {numbers['standard.errors']} against "
            f"{numbers['separable.errors']}: rewrite that sentence"
        )


def demo_number(field: str, env: Any) -> str:
    numbers = getattr(env, "demo_numbers", {})
    if not numbers:  # no export in this build: the page says the models are missing
        return "—"
    if field not in numbers:
        raise ValueError(f"{{demo}}`{field}`: no such number; one of {sorted(numbers)}")
    return numbers[field]


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", add_paths)
    app.connect("builder-inited", load_demo_numbers)
    app.connect("html-page-context", add_demo_assets)
    app.add_role("demo", text_role(demo_number))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
