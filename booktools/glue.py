"""Glued values in an executed notebook (``mobilenet_lab.notebook.glue``, myst-nb's format).

A glued value is an output whose metadata holds a ``scrapbook`` record (its name, and the MIME
prefix under which the value hides from Jupyter when it is glued with ``display=False``).
"""

from __future__ import annotations

from typing import Any


def is_glue_output(output: dict[str, Any]) -> bool:
    """A glue record (shown or not): the book build reads it into the prose."""
    return bool(output.get("metadata", {}).get("scrapbook"))


def is_hidden_record(output: dict[str, Any]) -> bool:
    """A glue record that only the book build reads (glued with ``display=False``)."""
    return bool(output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix"))


def glue_values(nb: dict[str, Any]) -> dict[str, str]:
    """The ``text/plain`` of every value glued in an executed notebook."""
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            record = out.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            prefix = record.get("mime_prefix", "")
            text = out.get("data", {}).get(prefix + "text/plain")
            if text is not None:
                values[record["name"]] = "".join(text)
    return values


def glued_names(cell: dict[str, Any]) -> set[str]:
    """The names a cell's outputs glue."""
    return {
        out["metadata"]["scrapbook"]["name"]
        for out in cell.get("outputs", [])
        if is_glue_output(out)
    }
