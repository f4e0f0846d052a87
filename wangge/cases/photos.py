"""Checking and storing case photos: only real JPEG, PNG or WebP images under the size
limit are kept; anything else is refused with a sentence saying why."""

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Photo:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int
    sha256: str
    name: str


def checked(upload: Any) -> Photo:
    """`upload` is a Django UploadedFile (or anything with .read(), .size and .name)."""
    name = getattr(upload, "name", "") or "photo"
    limit = settings.WANGGE_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": limit // 2**20}
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": limit // 2**20}
        )
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            image_format = image.format or ""
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}
        ) from None
    if image_format not in FORMATS:
        raise ValidationError(_("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name})
    extension, content_type = FORMATS[image_format]
    return Photo(
        content=content,
        extension=extension,
        content_type=content_type,
        width=width,
        height=height,
        sha256=hashlib.sha256(content).hexdigest(),
        name=name,
    )


def checked_all(uploads: list[Any]) -> list[Photo]:
    """Every upload checked before anything is stored; too many is refused as well."""
    most = settings.WANGGE_PHOTOS_PER_CASE_STEP
    if len(uploads) > most:
        raise ValidationError(_("At most %(most)d photos at a time.") % {"most": most})
    return [checked(upload) for upload in uploads]


def store(case: Any, photos: list[Photo], *, event: Any, actor: Any, stage: str) -> None:
    from wangge.cases.models import Attachment

    for photo in photos:
        attachment = Attachment(
            case=case,
            event=event,
            extension=photo.extension,
            content_type=photo.content_type,
            size=len(photo.content),
            width=photo.width,
            height=photo.height,
            sha256=photo.sha256,
            stage=stage,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(
            f"{photo.sha256[:16]}.{photo.extension}", ContentFile(photo.content), save=False
        )
        attachment.save()
