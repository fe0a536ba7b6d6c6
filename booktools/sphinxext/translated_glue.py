"""What a translated site shows beyond its catalogs (loaded from _config.yml).

**Its own outputs.** With ``translated_runs`` set (``booktools.translation html`` sets it to
``_build/colab-runs/<lang>/reader/``), each chapter renders the outputs of its translated reader
edition's run (``booktools.colab_faithful``: figures, tables, printed labels and feedback in the
site's language; glued values too) instead of the committed English ones: when Sphinx reads the
notebook, every code cell's outputs are replaced by the run's cell of the same id
(``booktools.colab_harness.with_run_outputs``). A chapter whose run is missing, or ran other
code than the chapter has now, is a warning (an error under ``-W``): run ``make colab``.

**Translated links.** A link to a page with a translated version (``TRANSLATED_LINKS`` of
``booktools.translation``: the PyTorch tutorials' Korean translations) points at that version.
A ``{download}`` of a file that exists in the language's own folder beside it
(``_build/notebooks/ko/mobilenet-lab-student.zip`` for ``…/notebooks/mobilenet-lab-student.zip``:
the Korean student notebooks) downloads that file.

**Glued numbers inside translated paragraphs.**

Sphinx translates a paragraph by parsing its ``msgstr`` as a new, small document whose source
ends in ``<translated>``; since executablebooks/MyST-NB#600 (in myst-nb 1.4.0) MyST-NB parses it
as plain MyST instead of failing with ``NotJSONError``. But a ``{glue:text}`` role looks up the
notebook's glued values through ``document["nb_renderer"]``, which only the notebook's own
document has: "No key 'n_products' found in glue data for this document", and the number
vanishes. So the parser remembers the notebook's renderer while the notebook is being read
(``env.temp_data`` lives for one document) and hands it to each translated message of that
notebook (upstream, MyST-NB could keep the renderer until the Locale transform has run). English
builds are unchanged: no message there ends in ``<translated>``.

This patches two myst-nb internals, ``myst_nb.sphinx_.Parser.parse`` and
``SphinxNbRenderer.setup_render``; ``tests/test_upstream_internals.py`` fails when either
changes upstream (the originals stay reachable as ``__wrapped__``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

RENDERER_KEY = "book_i18n_nb_renderer"


def translated_paragraphs_see_the_glue() -> None:
    """Patch myst-nb's notebook parser (once) so that translated messages see the glue."""
    from myst_nb.sphinx_ import Parser, SphinxNbRenderer

    if hasattr(Parser.parse, "__wrapped__"):
        return
    parse_notebook, setup_render = Parser.parse, SphinxNbRenderer.setup_render

    @functools.wraps(setup_render)
    def remember_renderer(self: Any, options: dict, env: dict) -> None:
        # myst-nb stores the renderer on the notebook's document just before this call and
        # pops it when the parse ends, before Sphinx translates the document.
        setup_render(self, options, env)
        document = self.document
        sphinx_env = getattr(document.settings, "env", None)
        if sphinx_env is not None and "nb_renderer" in document:
            sphinx_env.temp_data[RENDERER_KEY] = document["nb_renderer"]

    @functools.wraps(parse_notebook)
    def parse(self: Any, inputstring: str, document: nodes.document) -> None:
        env = getattr(document.settings, "env", None)
        if env is not None and document.current_source.endswith("<translated>"):
            renderer = env.temp_data.get(RENDERER_KEY)
            if renderer is not None:
                document["nb_renderer"] = renderer
            try:
                return parse_notebook(self, inputstring, document)
            finally:  # the roles have resolved; the doctree is pickled without it
                document.attributes.pop("nb_renderer", None)
        return parse_notebook(self, inputstring, document)

    Parser.parse = parse  # type: ignore[method-assign]
    SphinxNbRenderer.setup_render = remember_renderer  # type: ignore[method-assign]


def translated_outputs(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``: a chapter's notebook with the outputs of its translated run."""
    from booktools.colab_harness import ran_this_code, with_run_outputs
    from mobilenet_lab.i18n import tr_in

    folder = app.config.translated_runs
    path = Path(app.env.doc2path(docname))
    if not folder or (app.config.language or "en") == "en" or path.suffix != ".ipynb":
        return
    run_file = Path(folder) / path.name
    app.env.note_dependency(str(run_file))  # a new run re-reads the chapter
    book = json.loads(source[0])
    if not run_file.exists():
        logger.warning(f"no translated run of {path.name} in {folder}: run `make colab`")
        return
    run = json.loads(run_file.read_text(encoding="utf-8"))
    if not ran_this_code(run, book):
        logger.warning(f"{run_file} ran other code than {path.name} has: run `make colab`")
        return
    language = app.config.language
    shown = with_run_outputs(book, run, lambda text: tr_in(language, text))
    source[0] = json.dumps(shown)


def translated_link_targets(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: links to pages with a translated version point at it."""
    from booktools.translation import translated_url

    language = app.config.language or "en"
    if language == "en":
        return
    for reference in doctree.findall(nodes.reference):
        if reference.get("refuri"):
            reference["refuri"] = translated_url(reference["refuri"], language)


def translated_downloads(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``, before Sphinx collects the downloads: a download with a version in
    the site's language (the same name, in a ``<lang>/`` folder beside it) serves that one."""
    from sphinx import addnodes

    language = app.config.language or "en"
    if language == "en":
        return
    for node in doctree.findall(addnodes.download_reference):
        folder, _, name = node["reftarget"].rpartition("/")
        translated = f"{folder}/{language}/{name}" if folder else f"{language}/{name}"
        if Path(app.env.relfn2path(translated, app.env.docname)[1]).is_file():
            node["reftarget"] = translated


def setup(app: Any) -> dict[str, Any]:
    translated_paragraphs_see_the_glue()
    app.add_config_value("translated_runs", "", "env")
    app.connect("source-read", translated_outputs)
    app.connect("doctree-read", translated_link_targets)
    app.connect("doctree-read", translated_downloads, priority=400)  # the collector's is 500
    return {"parallel_read_safe": True, "parallel_write_safe": True}
