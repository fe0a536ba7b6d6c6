"""The browser demo page (``book/demo.md``): its scripts and style, on that page only.

- ``_static_demo/`` (the page's own ``demo/demo.js`` and ``demo/demo.css``) is added to
  ``html_static_path``: served as ``_static/demo/…``.
- ``_build/demo-extra/`` (written by ``make demo-models``: ``demo/*.onnx`` and
  ``demo/demo.json``, trained and exported at build time, never committed) is added to
  ``html_extra_path``: served as ``demo/…`` at the site's root. Without it the page still builds
  and says, in the page, that the models are missing.
- On ``book/demo`` only: onnxruntime-web's WebAssembly build (``_static/vendor/onnxruntime-web/``,
  copied from npm by ``make vendor``) and the page's script and style.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

from booktools.book import ROOT

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


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", add_paths)
    app.connect("html-page-context", add_demo_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
