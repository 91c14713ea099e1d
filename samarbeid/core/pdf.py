"""HTML to PDF for every document the product prints (invoices, reports, notices and minutes,
workshop summaries, case summaries), with WeasyPrint.

WeasyPrint takes 0.3–0.5 s to import and to load its fonts the first time a process
makes a PDF. A page pays that once per app server process; the background worker pays it
before its first task instead (`warm_up`, called as the worker starts), so a report made as a
task costs what making it costs."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

# What a warm-up prints: text in the fonts the product's PDFs ask for, so that fontconfig has
# found and loaded them before the first real document.
_WARM_UP_HTML = (
    "<p style=\"font-family: 'DejaVu Sans', Arial, sans-serif\">Samarbeid – æøå ÆØÅ 1 234,50</p>"
    '<p style="font-family: sans-serif"><b>Samarbeid</b></p>'
)


def html_to_pdf(html: str, *, base_url: str | None = None, css: str | None = None) -> bytes:
    """The PDF of `html`; `base_url` resolves its relative links and images, `css` is a
    stylesheet added to the document's own."""
    # Imported here, not at the top: slow to import, and most processes never print.
    from weasyprint import CSS, HTML

    stylesheets = [CSS(string=css)] if css else None
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
    return pdf


def warm_up() -> None:
    """Import the PDF engine and load its fonts now, not in the first user's document.
    A failure here is logged, not raised: the worker still runs every other kind of task,
    and a PDF task then says why it failed."""
    try:
        html_to_pdf(_WARM_UP_HTML)
    except Exception:
        logger.warning("The PDF engine could not be warmed up", exc_info=True)
