"""Reading a fax document: PDF or TIFF, its page count and a PNG preview of page 1."""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Optional

import pypdfium2
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PREVIEW_WIDTH = 800
TIFF_MAGIC = (b"II*\x00", b"MM\x00*")


@dataclass(frozen=True)
class DocumentInfo:
    """What could be read of a document; `problem` says why it is unreadable."""

    content_type: Optional[str]
    pages: Optional[int]
    preview_png: Optional[bytes]
    problem: Optional[str]


def kind_of(data: bytes) -> Optional[str]:
    """The document's media type by its first bytes: PDF, TIFF or unknown (None)."""
    if data.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        return "application/pdf"
    if data[:4] in TIFF_MAGIC:
        return "image/tiff"
    return None


def read_document(data: bytes) -> DocumentInfo:
    """Count the pages and render page 1; a broken or empty document gets a problem."""
    if not data:
        return DocumentInfo(None, None, None, "the document is empty")
    content_type = kind_of(data)
    if content_type is None:
        return DocumentInfo(None, None, None, "the document is neither PDF nor TIFF")
    reader = _read_pdf if content_type == "application/pdf" else _read_tiff
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # damaged files warn before they fail; failure is reported
        try:
            pages, preview = reader(data)
        except Exception as exc:  # any damage: the libraries raise many kinds
            return DocumentInfo(content_type, None, None,
                                f"unreadable {content_type.split('/')[1].upper()}: "
                                f"{type(exc).__name__}: {exc}"[:300])
    if pages == 0:
        return DocumentInfo(content_type, 0, None, "the document has no pages")
    return DocumentInfo(content_type, pages, preview, None)


def _png(image: Image.Image) -> bytes:
    image = image.convert("L") if image.mode not in ("1", "L", "RGB") else image
    if image.width > PREVIEW_WIDTH:
        image = image.resize((PREVIEW_WIDTH, max(1, image.height * PREVIEW_WIDTH // image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _read_pdf(data: bytes) -> tuple[int, Optional[bytes]]:
    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except PyPdfError as exc:
        raise ValueError(str(exc)) from exc
    if pages == 0:
        return 0, None
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        width = page.get_width()
        bitmap = page.render(scale=min(2.0, PREVIEW_WIDTH / max(width, 1)))
        return pages, _png(bitmap.to_pil())
    finally:
        document.close()


def _read_tiff(data: bytes) -> tuple[int, Optional[bytes]]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            pages = getattr(image, "n_frames", 1)
            image.seek(0)
            image.load()
            return pages, _png(image.copy())
    except UnidentifiedImageError as exc:
        raise ValueError(str(exc)) from exc
