"""Fax documents the tests make: PDFs with pypdf and Pillow, multi-page TIFFs with Pillow."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw
from pypdf import PdfWriter


def fax_page(text: str) -> Image.Image:
    """A black-and-white A4 page at fax resolution with a line of text."""
    page = Image.new("1", (1728, 2292), 1)
    ImageDraw.Draw(page).text((120, 140), text, fill=0)
    return page


def tiff(pages: int) -> bytes:
    """A CCITT group 4 TIFF with one frame per page, as fax machines send."""
    frames = [fax_page(f"Seite {n}") for n in range(1, pages + 1)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="group4")
    return buffer.getvalue()


def scanned_pdf(pages: int) -> bytes:
    """A PDF of scanned pages (one image per page), as fax services deliver."""
    frames = [fax_page(f"Seite {n}").convert("L") for n in range(1, pages + 1)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="PDF", save_all=True, append_images=frames[1:], resolution=200)
    return buffer.getvalue()


def blank_pdf(pages: int) -> bytes:
    """A PDF of empty A4 pages written with pypdf."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
