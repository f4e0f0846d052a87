from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from wangge.core.routes import access
from wangge.privacy import selectors, services
from wangge.privacy.access import UNMASK, VIEW_READS, target_get_for
from wangge.privacy.forms import UnmaskForm

PAGE_SIZE = 50


def safe_next(request: HttpRequest, url: str, default: str) -> str:
    """Back to the page the user came from, if it is on this site; else `default`."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else default


@access("permission", permission=UNMASK, scoped=True, note="purpose form, then a timed view")
@login_required
@require_http_methods(["GET", "POST"])
def unmask(request: HttpRequest, kind: str, target_id: str) -> HttpResponse:
    """Asks for the purpose, grants a full view for a while and goes back to `next`."""
    target_kind, target = target_get_for(request.user, kind, target_id, action=UNMASK)
    here = reverse("privacy:unmask", args=[target_kind.name, target.pk])
    data = request.POST if request.method == "POST" else None
    form = UnmaskForm(data, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.unmask_grant(
                actor=request.user,
                kind=kind,
                target_id=target_id,
                purpose=form.cleaned_data["purpose"],
                purpose_text=form.cleaned_data["purpose_text"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(safe_next(request, form.cleaned_data["next"], here))
    context = {
        "kind": target_kind,
        "target": target,
        "fields": [(field, target_kind.field_label(field)) for field in target_kind.fields],
        "minutes": services.unmask_minutes(),
        "form": form,
        "can_view_reads": request.user.has_perm(VIEW_READS),
    }
    return render(request, "privacy/unmask.html", context, status=400 if form.errors else 200)


@access("permission", permission=VIEW_READS, scoped=True, note="from the audit log")
@login_required
def reads(request: HttpRequest, kind: str, target_id: str) -> HttpResponse:
    """Who saw the record's personal data in full, when and why, newest first."""
    target_kind, target = target_get_for(request.user, kind, target_id, action=VIEW_READS)
    page = Paginator(selectors.reads_of(kind, target.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "kind": target_kind,
        "target": target,
        "page": page,
        "reads": selectors.read_rows(kind, list(page.object_list)),
    }
    return render(request, "privacy/reads.html", context)
