"""The teacher page's generated parts, written when a build starts (loaded from _config.yml).

``book/teachers.md`` includes ``_build/teacher_page/*.md`` (:mod:`booktools.teacher_page`):
written here, at ``builder-inited``, every build sees them as the registry has them now, the
gettext extraction and the translated builds included.
"""

from __future__ import annotations

from typing import Any

from booktools.book import ROOT
from booktools.teacher_page import write_includes

OUT = ROOT / "_build" / "teacher_page"


def write_teacher_page_parts(app: Any) -> None:
    write_includes(OUT)


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", write_teacher_page_parts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
