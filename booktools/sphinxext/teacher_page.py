"""The teacher page's generated parts, written when a build starts (loaded from _config.yml).

``book/teachers.md`` includes ``_build/teacher_page/*.md`` (:mod:`booktools.teacher_page`):
written here, at ``builder-inited``, every build sees them as the registry has them now, the
gettext extraction and the translated builds included.

The role ``{chapter-times}`ch08``` shows a chapter's measured run time, and
``{chapter-times}`machine``` (``threads``, ``rounds``, ``date``, ``load_before``, ``load_after``,
``status``) what the measurement was, from ``benchmarks/results/chapter_times.json``, in the
build's language: a new measurement changes the numbers, never a translated sentence.
"""

from __future__ import annotations

from typing import Any

from booktools.book import ROOT
from booktools.sphinxext.text_role import text_role
from booktools.teacher_page import run_time_text, write_includes

OUT = ROOT / "_build" / "teacher_page"


def write_teacher_page_parts(app: Any) -> None:
    write_includes(OUT)


def chapter_times(field: str, env: Any) -> str:
    return run_time_text(field, env.config.language or "en")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", write_teacher_page_parts)
    app.add_role("chapter-times", text_role(chapter_times))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
