"""A role that shows one number or fact from a data file as plain text (not an extension itself:
the teacher page's ``{chapter-times}`` and the demo page's ``{demo}`` are made with it).

The text is looked up when the page is read, in the build's language, so a translated message
keeps the role and a new measurement changes the number, never a translated sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes

Role = Callable[..., tuple[list[nodes.Node], list[nodes.system_message]]]


def text_role(lookup: Callable[[str, Any], str]) -> Role:
    """A docutils role showing ``lookup(text, env)``; a ``ValueError`` it raises (an unknown
    field) becomes a build error at the role, which ``-W`` turns into a failure."""

    def role(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: Any = None,
        content: Any = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            return [nodes.Text(lookup(text.strip(), inliner.document.settings.env))], []
        except ValueError as err:
            message = inliner.reporter.error(str(err), line=lineno)
            return [inliner.problematic(rawtext, rawtext, message)], [message]

    return role
