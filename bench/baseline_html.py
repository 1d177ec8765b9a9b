"""A plain HTML version of a `Document`, only as WeasyPrint's input for the baseline.

It carries what the PDF carries (title page, table of contents with page numbers, one
item per page, "Side N af M") so both engines do comparable work.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from gremium.documents import dates
from gremium.documents.markdown import item_heading
from gremium.lib.document_structure import Document, Item

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")

CSS = """
@page { size: A4; margin: 3cm 2.5cm 2.5cm;
  @top-left { content: "%(body)s"; font-size: 9pt }
  @bottom-center { content: "Side " counter(page) " af " counter(pages); font-size: 9pt } }
body { font-family: "DejaVu Serif"; font-size: 11pt }
.item { break-before: page }
.toc a::after { content: leader('.') target-counter(attr(href), page) }
table { border-collapse: collapse } td, th { border: 0.5pt solid #777; padding: 4pt }
"""


def baseline_html(document: Document) -> str:
    toc = "".join(
        f'<li><a href="#{escape(i.key)}">{escape(item_heading(i))}</a></li>' for i in document.items
    )
    items = "".join(_item(item) for item in document.items)
    return (
        f'<!doctype html><html lang="da"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title>"
        f"<style>{CSS % {'body': escape(document.body_name)}}</style></head><body>"
        f"<h1>{escape(document.title)}</h1>"
        f"<p><b>Mødedato</b> {escape(dates.long_datetime(document.start))}</p>"
        f'<h1>Indholdsfortegnelse</h1><ul class="toc">{toc}</ul>{items}</body></html>'
    )


def _item(item: Item) -> str:
    parts = [f'<section class="item"><h1 id="{escape(item.key)}">{escape(item_heading(item))}</h1>']
    for section in item.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>{_MARKDOWN.render(section.body)}")
    if item.decision:
        parts.append(f"<h2>Beslutning</h2>{_MARKDOWN.render(item.decision.text)}")
    return "".join(parts) + "</section>"
