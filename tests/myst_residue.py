"""What the notebook editions' tests look for: MyST left in Markdown that should be plain."""

from __future__ import annotations

from markdown_it import MarkdownIt

from booktools.myst_book import parser


def residue(text: str, md: MarkdownIt | None = None) -> list[str]:
    """MyST constructs left in converted Markdown (empty when it is plain Markdown)."""
    found = []
    for token in (md or parser()).parse(text):
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            found.append(f"directive {token.info.strip()}")
        elif token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            found.append(f"{token.type} {token.content!r}")
        for child in token.children or []:
            if child.type == "myst_role" or child.type.startswith("substitution"):
                found.append(f"role {{{child.meta.get('name', '')}}}`{child.content}`")
    return found
