"""Sphinx fixes for the published book (loaded from _config.yml: ``sphinx.local_extensions``).

Sphinx 7.4 registers an inline ``<script>`` twice when an extension adds it after the builder
started (``None`` and ``""`` filenames compare unequal), so sphinx-thebe's
``const THEBE_JS_URL = …`` appeared twice on every page: "Identifier 'THEBE_JS_URL' has already
been declared". This drops exact duplicates before each page is written.

The theme also gives a text notebook (a MyST ``.md`` page with code cells, such as
``book/status.md``) a Colab button pointing at the ``.md`` file, which Colab cannot open: launch
buttons are kept only on pages built from an ``.ipynb``.

A notebook page's Colab button opens the page's **reader edition** (``make notebooks``: plain
Markdown that Colab renders, solutions folded) in the page's language on the branch named by the
``notebook_editions`` setting, ``reader/<notebook>.ipynb`` (``ko/reader/…`` on the Korean site),
instead of the MyST source on ``main``. This hook is the one owner of that URL, for every
language (``booktools.book.colab_url``).

``BOOK_COMMITTED_OUTPUTS=1`` in the environment makes one build render the chapters' committed
outputs instead of executing them (text notebooks such as ``book/status.md`` still execute):
``make test`` sets it because nbval has just re-executed every chapter and compared its outputs
with the committed ones. (myst-nb's ``auto`` mode would not do: it executes any notebook with one
code cell without output.)

myst-nb adds the saved widget state and the widget manager's bundle (``nb_ipywidgets_js``:
require.js and embed-amd.js, 3.7 MB) to every page whose notebook saved widget state, also when
no widget is shown (every widget output removed): they are kept only on pages that show a widget.
And a hidden cell's ``<summary>`` ("Show code cell source") loses myst-nb's
``aria-label="Toggle hidden content"``, a name that is not what it shows (WCAG 2.5.3).
"""

from __future__ import annotations

import os
from typing import Any

from booktools.book import colab_url


def _key(script: Any) -> tuple:
    attributes = getattr(script, "attributes", {})
    return (
        getattr(script, "filename", script) or "",
        tuple(sorted((k, str(v)) for k, v in attributes.items())),
    )


def drop_duplicate_scripts(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        unique = {_key(script): script for script in reversed(scripts)}
        keep = set(map(id, unique.values()))
        scripts[:] = [script for script in scripts if id(script) in keep]


def drop_launch_buttons_of_text_notebooks(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if str(app.env.doc2path(pagename, base=False)).endswith(".ipynb"):
        return
    buttons = context.get("header_buttons")
    if isinstance(buttons, list):
        buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]


def colab_buttons_open_the_reader_edition(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    language = app.config.language or "en"
    for group in context.get("header_buttons") or []:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if button.get("text") == "Colab" and url.endswith(".ipynb"):
                name = url.rsplit("/", 1)[1]
                button["url"] = colab_url("reader", name, language)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def widget_manager_only_with_widgets(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list) or WIDGET_VIEW in context.get("body", ""):
        return
    bundle = {name for path in app.config.nb_ipywidgets_js for name in (path, f"_static/{path}")}
    scripts[:] = [
        script
        for script in scripts
        if getattr(script, "filename", script) not in bundle
        and getattr(script, "attributes", {}).get("type") != WIDGET_STATE
    ]


SUMMARY = '<summary aria-label="Toggle hidden content">\n'


def visit_hidden_cell_input(self: Any, node: Any) -> None:
    from myst_nb.sphinx_ import visit_HideCellInput

    visit_HideCellInput(self, node)
    start = max(len(self.body) - 4, 0)
    self.body[start:] = ["<summary>\n" if p == SUMMARY else p for p in self.body[start:]]


def summaries_named_by_their_text(app: Any) -> None:
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.add_node(
        HideCodeCellNode, override=True, html=(visit_hidden_cell_input, depart_HideCellInput)
    )


def committed_outputs_from_environment(app: Any, config: Any) -> None:
    if os.environ.get("BOOK_COMMITTED_OUTPUTS") == "1":
        config.nb_execution_excludepatterns = [*config.nb_execution_excludepatterns, "*.ipynb"]


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("notebook_editions", {}, "html")
    app.connect("config-inited", committed_outputs_from_environment)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", drop_launch_buttons_of_text_notebooks, priority=900)
    app.connect("html-page-context", colab_buttons_open_the_reader_edition, priority=900)
    app.connect("html-page-context", widget_manager_only_with_widgets, priority=900)
    app.connect("builder-inited", summaries_named_by_their_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
