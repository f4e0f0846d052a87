"""Import pages: upload a register file, follow its job, fetch its problems and the template.

The upload is kept under the data directory and imported by a background task as the
uploader, within the uploader's scope; a job is visible to its owner only (404 otherwise).
The job page follows a running import through its progress as JSON
(`static/people-import.js`), or refreshes itself without JavaScript.
"""

import io
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.middleware import session_untouched
from wangge.core.routes import access
from wangge.people import access as gate
from wangge.people import imports
from wangge.people.importers import COLUMNS, TEMPLATE_FIELDS, max_bytes
from wangge.people.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLE = {
    "id_number": "620502199001010013",
    "name": "张伟",
    "sex": "男",
    "ethnicity": "汉族",
    "marital_status": "已婚",
    "political_status": "群众",
    "education": "大学本科教育",
    "occupation": "教师",
    "mobile": "13912345678",
    "registered_region_code": "620502001001",
    "registered_address": "秦州区大城街道示例路1号",
    "current_address": "秦州区大城街道示例路1号",
    "region_code": "620502001001001",
    "crs": "gcj02",
    "category": "户籍人口",
}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=[("auto", _("Detect")), ("utf-8", "UTF-8"), ("gbk", "GBK")],
        initial="auto",
    )
    policy = forms.ChoiceField(
        label=_("People already in the register"),
        choices=[
            ("stop", _("Stop: list them as problems")),
            ("skip", _("Skip them")),
            ("update", _("Update their records")),
        ],
        initial="stop",
    )
    partial = forms.BooleanField(
        label=_("Import the correct rows even if others are wrong"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": max_bytes() // (1024 * 1024)}
            )
        return upload


def import_job_get_for(user: Any, pk: int) -> ImportJob:
    """A job is its owner's: anyone else gets 404, as for a record out of scope."""
    gate.require(user, gate.ADD_PERSON)
    job = ImportJob.objects.filter(pk=pk, owner=user).first()
    if job is None:
        raise Http404
    return job


@access("permission", permission=gate.ADD_PERSON, note="upload a register file")
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.ADD_PERSON)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.import_job_create(
            actor=request.user,
            content=upload.read(),
            file_name=upload.name,
            encoding=form.cleaned_data["encoding"],
            policy=form.cleaned_data["policy"],
            partial=form.cleaned_data["partial"],
        )
        return redirect("people:import_job", job_id=job.pk)
    jobs = ImportJob.objects.filter(owner_id=request.user.pk).order_by("-created_at")[:10]
    return render(request, "people/import.html", {"form": form, "jobs": jobs})


@access("permission", permission=gate.ADD_PERSON, scoped=True, note="one's own import job")
@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(request.user, job_id)
    progress = imports.job_progress(job)
    context = {
        "job": job,
        "percent": progress.percent,
        "running": progress.running,
        "progress_text": progress_text(progress),
    }
    return render(request, "people/import_job.html", context)


@access("permission", permission=gate.ADD_PERSON, scoped=True, note="one's own job's progress")
@session_untouched
@login_required
@require_http_methods(["GET"])
def import_job_progress(request: HttpRequest, job_id: int) -> JsonResponse:
    """What the job page's script polls: the page's progress bar and sentence, as data."""
    job = import_job_get_for(request.user, job_id)
    progress = imports.job_progress(job)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "running": progress.running,
            "stage": progress.stage,
            "done": progress.done,
            "total": progress.total,
            "percent": progress.percent,
            "text": progress_text(progress),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def progress_text(progress: imports.JobProgress) -> str:
    values = {"done": progress.done, "total": progress.total}
    if progress.stage == "written":
        return _("%(done)s of %(total)s rows written") % values
    if progress.stage == "writing":
        return str(_("Checked; now writing the rows."))
    if progress.total:
        return _("%(done)s of %(total)s rows checked") % values
    return str(_("Waiting for the import to start."))


@access("permission", permission=gate.ADD_PERSON, scoped=True, note="the rows an import refused")
@login_required
def import_problems(request: HttpRequest, job_id: int) -> FileResponse:
    job = import_job_get_for(request.user, job_id)
    if not job.error_workbook or not Path(job.error_workbook).exists():
        raise Http404
    return FileResponse(
        open(job.error_workbook, "rb"),  # noqa: SIM115  (FileResponse closes it)
        as_attachment=True,
        filename=f"import-{job.pk}-problems.xlsx",
        content_type=XLSX,
    )


@access("permission", permission=gate.ADD_PERSON, note="the register import template")
@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.ADD_PERSON)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append([COLUMNS[name][0] for name in TEMPLATE_FIELDS])
    sheet.append([EXAMPLE.get(name, "") for name in TEMPLATE_FIELDS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="people-template.xlsx"'
    return response
