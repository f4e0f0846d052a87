"""Checking hardship evidence before anything is stored: a real JPEG, PNG or WebP image
(read by Pillow, as case photos are) or a PDF (by its magic bytes), under the size limit,
at most a few per application. A refusal says which file and why."""

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 2**20
MOST_FILES = 6
MAX_PIXELS = 50_000_000
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Document:
    content: bytes
    extension: str
    content_type: str
    sha256: str
    name: str


def too_large(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": MAX_BYTES // 2**20}
    )


def not_accepted(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is neither an image (JPEG, PNG or WebP) nor a PDF.") % {"name": name}
    )


def checked(upload: Any) -> Document:
    """`upload` is a Django UploadedFile (or anything with .read(), .size and .name)."""
    name = (getattr(upload, "name", "") or "evidence")[:200]
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise too_large(name)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise too_large(name)
    if content.startswith(PDF_MAGIC):
        return Document(
            content, "pdf", "application/pdf", hashlib.sha256(content).hexdigest(), name
        )
    extension, content_type = image_kind(content, name)
    return Document(content, extension, content_type, hashlib.sha256(content).hexdigest(), name)


def image_kind(content: bytes, name: str) -> tuple[str, str]:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            image_format = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_accepted(name) from None
    if image_format not in IMAGE_FORMATS:
        raise not_accepted(name)
    return IMAGE_FORMATS[image_format]


def checked_all(uploads: list[Any]) -> list[Document]:
    """Every upload checked before anything is stored; too many is refused as well."""
    if len(uploads) > MOST_FILES:
        raise ValidationError(_("At most %(most)d files per application.") % {"most": MOST_FILES})
    return [checked(upload) for upload in uploads]
