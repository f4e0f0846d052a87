"""The notification inbox: one's own notifications, unread first; marking them read.

The notification to mark is named in the POST body, not the address: every signed-in person
has an inbox, and someone else's notification is simply not found (404). Asked for with GET,
the marking addresses lead back to the inbox.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.cases import notify
from wangge.core.routes import access as route

PAGE_SIZE = 30


@route("signed_in", note="one's own notifications")
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(notify.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(row, notify.kind_label(row.kind)) for row in page.object_list]
    context = {"page": page, "rows": rows, "unread": notify.unread_count(request.user)}
    return render(request, "cases/notifications.html", context)


@route("signed_in", note="marks one of one's own notifications read (POST)")
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("cases:notifications")
    try:
        pk = int(request.POST.get("notification", ""))
    except ValueError:
        raise Http404 from None
    notification = notify.notification_get_for(request.user, pk)
    notify.notification_mark_read(actor=request.user, notification=notification)
    return redirect(back(request))


@route("signed_in", note="marks all of one's own notifications read (POST)")
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("cases:notifications")
    count = notify.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect(back(request))


def back(request: HttpRequest) -> str:
    page = request.POST.get("page", "")
    target = reverse("cases:notifications")
    return f"{target}?page={int(page)}" if page.isdigit() else target
