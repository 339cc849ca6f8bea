"""Stored notice content to HTML (Jinja) and PDF (WeasyPrint); many notices merged into one PDF."""
from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from workflows.notices.formatting import quoted
from workflows.vocabulary import NoticeStatus

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """Our own Jinja environment, so PDFs render the same inside a request, in the bench and in a thread."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["NoticeStatus"] = NoticeStatus
    env.filters["quoted"] = quoted
    return env


class _Fields(dict):
    """Optional fields read as empty instead of failing the strict template."""

    def __getattr__(self, name):
        return self.get(name, "")


def number_text(content: dict) -> str:
    return content.get("number") or content.get("number_preview") or ""


def void_note(status: str, voided_on: str = "", reason: str = "", replaced_by: str = "") -> str:
    """The red line printed on a voided notice, so a stray copy cannot pass for a valid one."""
    if status != NoticeStatus.VOIDED:
        return ""
    note = f"本文书已于{voided_on}作废" if voided_on else "本文书已作废"
    if reason:
        note += f"，理由：{reason}"
    if replaced_by:
        note += f"；更正后的文书为{replaced_by}"
    return note + "。"


def note_for(service, notice) -> str:
    """The void line of a stored notice: when and why it was voided, which number replaced it."""
    return void_note(notice.status, **service.void_details(notice))


def render_html(content: dict, status: str = NoticeStatus.ISSUED, standalone: bool = True,
                note: str = "") -> str:
    """The notice as HTML: a full page with print CSS, or (standalone=False) the sheet alone for a web page."""
    template = environment().get_template(content["template"])
    return template.render(c=content, f=_Fields(content["fields"]), d=_Fields(content["display"]),
                           x=_Fields(content["extra"]), a=_Fields(content["articles"]), status=status,
                           number_text=number_text(content), void_note=note, standalone=standalone)


@functools.cache
def screen_css() -> str:
    """The sheet's typography (shared with print) plus the paper look for web pages."""
    folder = TEMPLATES / "notices"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in ("_print.css", "_screen.css"))


_local = threading.local()


def _font_config():
    """One font configuration per thread: reusing it saves a third of the layout time; Pango objects are
    not shared between threads."""
    if not hasattr(_local, "font_config"):
        from weasyprint.text.fonts import FontConfiguration
        _local.font_config = FontConfiguration()
    return _local.font_config


def document(content: dict, status: str = NoticeStatus.ISSUED, note: str = ""):
    """A laid-out WeasyPrint document (pages not yet written)."""
    from weasyprint import HTML  # imported late: the web app starts without paying for it
    return HTML(string=render_html(content, status, True, note), base_url=str(TEMPLATES)).render(
        font_config=_font_config())


def render_pdf(content: dict, status: str = NoticeStatus.ISSUED, note: str = "") -> bytes:
    return document(content, status, note).write_pdf()


def render_batch(items: Iterable[tuple[dict, str, str]], progress: Callable[[int], None] | None = None,
                 every: int = 10) -> bytes:
    """One PDF of many notices, each starting on a new page with its own page numbers; fonts are embedded once.

    `items` yields (content, status, note); `progress(n)` is called every `every` notices and at the end.
    """
    docs = []
    for n, (content, status, note) in enumerate(items, 1):
        docs.append(document(content, status, note))
        if progress and n % every == 0:
            progress(n)
    if not docs:
        raise ValueError("no notices to print")
    if progress:
        progress(len(docs))
    pages = [page for doc in docs for page in doc.pages]
    return docs[0].copy(pages).write_pdf()
