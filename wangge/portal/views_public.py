"""Public pages: published requests (list, map, one request, its photos when allowed), the
accountability figures, and "who read my data" for a resident with a proved mobile."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.cases.models import Attachment
from wangge.core.routes import access as route
from wangge.portal import accountability, mydata, throttle
from wangge.portal import selectors_public as selectors
from wangge.portal.forms_public import MonthForm, MyDataForm, PublicFilterForm
from wangge.portal.session import resident_required


@route("public", note="published requests in public categories, with filters and a map")
def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None)
    status = 200
    chosen = {"township": "", "category": "", "state": ""}
    if form.is_bound:
        if form.is_valid():
            chosen = {key: form.cleaned_data[key] or "" for key in chosen}
        else:
            status = 400
    found = selectors.filtered(**chosen)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    items = list(page)
    places = selectors.place_names({item.case.region_code for item in items})
    links = {item.pk: reverse("portal:public_detail", args=[item.case.number]) for item in items}
    rows = [
        {"item": item, "place": places.get(item.case.region_code, ""), "link": links[item.pk]}
        for item in items
    ]
    query = "&".join(f"{key}={value}" for key, value in chosen.items() if value)
    return render(
        request,
        "portal/public_list.html",
        {
            "form": form,
            "invalid": status == 400,
            "chosen": chosen,
            "page": page,
            "rows": rows,
            "query": query,
            "townships": selectors.townships(),
            "categories": selectors.public_categories(),
            "map": selectors.requests_map(selectors.dots_for(items, links)),
        },
        status=status,
    )


@route("public", note="one published request: moderated text, status, public timeline")
def public_detail(request: HttpRequest, case_number: str) -> HttpResponse:
    item = selectors.public_request(case_number)
    if item is None:
        raise Http404
    case = item.case
    return render(
        request,
        "portal/public_detail.html",
        {
            "item": item,
            "case": case,
            "place": selectors.place_names({case.region_code}).get(case.region_code, ""),
            "events": selectors.public_events(case),
            "photos": selectors.public_photos(item),
        },
    )


@route("public", note="a report photo of a published request whose photos may be shown")
def public_photo(request: HttpRequest, case_number: str, attachment_id: int) -> FileResponse:
    item = selectors.public_request(case_number)
    if item is None or not item.photos_public:
        raise Http404
    attachment = Attachment.objects.filter(case=item.case, pk=attachment_id, stage="report").first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@route("public", note="requests received and closed, time to close, on time and satisfaction")
def accountability_page(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["month"] if form.is_valid() else ""
    period = accountability.period_for(month or "")
    status = 200
    if period is None or (form.is_bound and not form.is_valid()):
        period = accountability.period_for("")
        status = 400
    assert period is not None
    return render(
        request,
        "portal/accountability.html",
        {
            "period": period,
            "invalid": status == 400,
            "townships": accountability.by_township(period),
            "departments": accountability.by_department(period),
            "channels": [label for value, label in accountability_channels()],
        },
        status=status,
    )


def accountability_channels() -> list[tuple[str, str]]:
    from wangge.cases.models import Channel

    return [(c.value, str(c.label)) for c in accountability.RESIDENT_CHANNELS if c in Channel]


@route("resident", note="which units read the resident's record unmasked, when and why")
@resident_required
def my_data(request: HttpRequest) -> HttpResponse:
    phone: str = request.resident_phone  # type: ignore[attr-defined]
    form = MyDataForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                reads = mydata.reads_for(form.cleaned_data["id_number"], phone, request)
            except throttle.Throttled:
                context["throttled"] = True
                status = 429
            else:
                context["looked"] = True
                context["reads"] = reads
                context["matched"] = reads is not None
    context["no_match"] = _("No record matches this identity number and mobile number.")
    return render(request, "portal/my_data.html", context, status=status)
