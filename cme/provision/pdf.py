"""Printable documents: a page template rendered with Jinja2 and made into a tagged PDF
(PDF/UA-1: the document's language and title set, its structure read aloud in order) by
WeasyPrint, from the same HTML the browser shows. The reports use it too."""

from __future__ import annotations

from typing import Any

from django.template import engines

PDF_VARIANT = "pdf/ua-1"


def render_document(template: str, context: dict[str, Any]) -> str:
    return str(engines["jinja2"].get_template(template).render(context))


def render_pdf(html: str) -> bytes:
    """The HTML as a tagged PDF. The HTML refers to nothing outside itself (styles and charts
    are inline), so nothing is fetched."""
    import weasyprint  # type: ignore[import-untyped]  # no type information; loaded only when needed

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
