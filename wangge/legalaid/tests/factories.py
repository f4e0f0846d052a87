"""Applications and evidence for tests: through the service when the test is about receipt,
straight into the table when it only needs one to exist."""

import io
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wangge.legalaid.models import Application, Evidence, Hardship, MatterKind
from wangge.legalaid.services import ReceiveInput

VILLAGE = "620502001001"  # in the township of the `dispatcher` persona
OUTSIDE_GRID = "620502103200001"  # the `outsider` persona's grid, in another township


def image_upload(name: str = "低保证.png", colour: str = "orange") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "申报承诺.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def input_for(region_code: str = VILLAGE, **changes: Any) -> ReceiveInput:
    values: dict[str, Any] = {
        "applicant_name": "李桂兰",
        "region_code": region_code,
        "matter_kind": MatterKind.LABOUR,
        "matter": "在建筑工地务工八个月，包工头拖欠工资两万三千元。",
        "hardship": Hardship.SUBSISTENCE,
        "applicant_id_number": "",
        "applicant_phone": "19900001234",
    }
    values.update(changes)
    return ReceiveInput(**values)


def application_made(received_by: Any, region_code: str = VILLAGE, **fields: Any) -> Application:
    now = timezone.now()
    values: dict[str, Any] = {
        "number": f"LA-TEST-{Application.objects.count() + 1:04d}",
        "region_code": region_code,
        "applicant_name": "王二",
        "applicant_phone": "19900005678",
        "matter_kind": MatterKind.MAINTENANCE,
        "matter": "子女不支付赡养费。",
        "hardship": Hardship.DECLARATION,
        "received_at": now,
        "decision_due_at": now + timedelta(days=7),
        "received_by": received_by,
    }
    values.update(fields)
    return Application.objects.create(**values)


def evidence_made(application: Application) -> Evidence:
    return Evidence.objects.create(
        application=application,
        file="legalaid/none.png",
        name="none.png",
        content_type="image/png",
        size=1,
        uploaded_by=application.received_by,
        uploaded_at=timezone.now(),
    )
