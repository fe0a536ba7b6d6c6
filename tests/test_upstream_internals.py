"""Third-party internals the build machinery relies on: each fails here when its code changes.

``booktools.sphinxext.translated_glue`` patches two of myst-nb's internals (and relies on a
third), and ``booktools.myst_markdown`` formats glued values with myst-nb's own function. None
of them is a public API, so an upgrade may change them silently. Each one's source is compared
with the hash of the version the patch was written against; when a hash differs, the assertion
says what to re-read in the new code before updating the hash.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable

import pytest
from myst_nb.core.variables import format_plain_text
from myst_nb.ext.glue.utils import retrieve_glue_data
from myst_nb.sphinx_ import Parser, SphinxNbRenderer

from booktools.sphinxext.translated_glue import translated_paragraphs_see_the_glue


def _original(function: Callable) -> Callable:
    """The upstream function, even after our patch wrapped it."""
    return getattr(function, "__wrapped__", function)


GUARDED = {
    "myst_nb.sphinx_.Parser.parse": (
        lambda: _original(Parser.parse),
        "ecc3d86c99af54f3f1ef2d9df64a428c3dff83fc932f3d120303d9765dc7f16a",
        "translated_glue wraps it. Check that (1) a source ending in '<translated>' still goes "
        "to the plain MyST parser (super().parse), (2) document.attributes['nb_renderer'] is "
        "still set before mdit_renderer.setup_render(...) is called, and (3) it is still popped "
        "at the end of the notebook's parse. Then build the Korean site (`make build-check`): "
        "chapter 1's translated paragraphs must show their glued numbers.",
    ),
    "SphinxNbRenderer.setup_render (myst_parser's DocutilsRenderer.setup_render)": (
        lambda: _original(SphinxNbRenderer.setup_render),
        "09ae3e2fe89715fd2d705d1dd13e941631e5e3a104214f3f2145d0d7f213ab8c",
        "translated_glue wraps it to remember the notebook's renderer: check that it still "
        "sets self.document from options['document'] (the notebook's document, which holds "
        "'nb_renderer' at that moment) and takes (options, env).",
    ),
    "myst_nb.ext.glue.utils.retrieve_glue_data": (
        lambda: retrieve_glue_data,
        "5df1644a85123748796ff00fe8e325d65802c43c4b362a07b9110d63407be21f",
        "translated_glue hands each translated message the notebook's renderer because this "
        "reads glued values from document['nb_renderer']: check that it still does.",
    ),
    "myst_nb.core.variables.format_plain_text": (
        lambda: format_plain_text,
        "acfb5c2ca8faa49f8bd44d8f76d6fa8efbc62e7f2f9ff0f3da584402488ba56f",
        "booktools.myst_markdown writes glued numbers into the notebook editions with it, so "
        "that they read as the HTML book shows them: check that it still takes (text, spec) "
        "and formats as the book does, then run tests/test_notebook_editions.py.",
    ),
}


@pytest.mark.parametrize("name", GUARDED)
def test_upstream_code_is_the_version_we_rely_on(name):
    get, expected, what_to_check = GUARDED[name]
    source = inspect.getsource(get())
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == expected, (
        f"{name} changed upstream (sha256 {digest}). {what_to_check} "
        "If it still holds, store the new hash in tests/test_upstream_internals.py."
    )


def test_the_patch_wraps_the_originals_once():
    translated_paragraphs_see_the_glue()
    translated_paragraphs_see_the_glue()
    for patched in (Parser.parse, SphinxNbRenderer.setup_render):
        original = patched.__wrapped__
        assert not hasattr(original, "__wrapped__"), "patched twice"


@pytest.mark.parametrize(
    "text, spec, shown",
    [("568740352", ",", "568,740,352"), ("0.9312", ".1%", "93.1%"), ("'ReLU6'", "s", "ReLU6")],
)
def test_glued_values_are_formatted_as_the_book_formats_them(text, spec, shown):
    assert format_plain_text(text, spec) == shown
