"""The browser demo page (``book/demo.md``): its scripts and style, on that page only.

- ``_static_demo/`` (the page's own ``demo/demo.js`` and ``demo/demo.css``) is added to
  ``html_static_path``: served as ``_static/demo/…``.
- ``_build/demo-extra/`` (written by ``make demo-models``: ``demo/*.onnx`` and
  ``demo/demo.json``, trained and exported at build time, never committed) is added to
  ``html_extra_path``: served as ``demo/…`` at the site's root. Without it the page still builds
  and says, in the page, that the models are missing.
- On ``book/demo`` only: onnxruntime-web's WebAssembly build (``_static/vendor/onnxruntime-web/``,
  copied from npm by ``make vendor``) and the page's script and style.
- The role ``{demo}`field``` puts a number of this build's export into the page's prose, so the
  text says what the table shows: ``separable.test_acc`` / ``standard.test_acc`` (percent),
  ``separable.errors`` / ``standard.errors`` (wrong test digits), ``n_test``,
  ``mult_adds_ratio`` and ``params_ratio`` (standard over separable). The prose says the standard
  twin makes fewer errors: a build whose export says otherwise warns (and ``-W`` fails).
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.util import logging

from booktools.book import ROOT
from booktools.sphinxext.text_role import text_role

STATIC = ROOT / "_static_demo"
MODELS = ROOT / "_build" / "demo-extra"
PAGE = "book/demo"

logger = logging.getLogger(__name__)


def add_paths(app: Any, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    if (MODELS / "demo" / "demo.json").is_file():
        config.html_extra_path = [*config.html_extra_path, str(MODELS)]
    else:
        logger.info("demo page: no exported models (run `make demo-models`)")


def add_demo_assets(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if pagename != PAGE:
        return
    app.add_css_file("demo/demo.css")
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
