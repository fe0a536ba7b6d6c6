"""Glued numbers resolve inside translated paragraphs (loaded from _config.yml).

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
from typing import Any

from docutils import nodes

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


def setup(app: Any) -> dict[str, Any]:
    translated_paragraphs_see_the_glue()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
