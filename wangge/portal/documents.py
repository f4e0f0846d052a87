"""Files attached to notices and hearings: only real PDFs (by their `%PDF-` signature) and
real JPEG, PNG or WebP images (opened with Pillow) up to 10 MB each, at most 6 at a time.
Every file is checked before any is stored; anything else is refused with a sentence."""

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 2**20
MAX_FILES = 6
MAX_PIXELS = 50_000_000
IMAGES = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    name: str
    extension: str
    content_type: str
    sha256: str


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": MAX_BYTES // 2**20}
    )


def checked(upload: Any) -> CheckedFile:
    """`upload` is a Django UploadedFile (or anything with .read(), .size and .name)."""
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:120]
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_large(name)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise _too_large(name)
    digest = hashlib.sha256(content).hexdigest()
    if content.startswith(b"%PDF-"):
        return CheckedFile(content, name, "pdf", "application/pdf", digest)
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            image_format = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = ""
    if image_format not in IMAGES:
        raise ValidationError(
            _("%(name)s is neither a PDF nor an image (JPEG, PNG or WebP).") % {"name": name}
        )
    extension, content_type = IMAGES[image_format]
    return CheckedFile(content, name, extension, content_type, digest)


def checked_all(uploads: list[Any]) -> list[CheckedFile]:
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("At most %(most)d documents at a time.") % {"most": MAX_FILES})
    return [checked(upload) for upload in uploads]


def store(model: Any, owner_field: str, owner: Any, files: list[CheckedFile], user: Any) -> None:
    """Save checked files as documents of `owner` (inside the caller's transaction)."""
    for item in files:
        document = model(
            name=item.name,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
            uploaded_by=user,
            **{owner_field: owner},
        )
        document.file.save(
            f"{item.sha256[:16]}.{item.extension}", ContentFile(item.content), save=False
        )
        document.save()
