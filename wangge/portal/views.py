"""The portal's front page and the proof of a mobile number (a one-time code by SMS).

Without JavaScript: the number is posted, the page comes back asking for the code, the code is
posted, and the browser returns to where it was going."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wangge.core.masking import mask_mobile
from wangge.core.routes import access as route
from wangge.portal import otp
from wangge.portal.session import client_ip, resident_sign_in, resident_sign_out


@route("public", note="the residents' portal front page")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    portal = reverse("portal:home")
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if allowed and wanted.startswith(portal):
        return wanted
    return portal


@route("public", note="prove a mobile number with a one-time code")
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    errors: dict[str, str] = {}
    phone = request.POST.get("phone", "")[:20]
    context: dict[str, object] = {"next": next_url, "errors": errors, "phone": phone}
    if request.method == "POST":
        step = request.POST.get("step", "send")
        try:
            if step == "check":
                checked = otp.code_check(phone, request.POST.get("code", ""), ip=client_ip(request))
                resident_sign_in(request, checked)
                return redirect(next_url)
            otp.code_send(phone, ip=client_ip(request))
            context["sent"] = True
        except ValidationError as error:
            errors.update({key: value[0] for key, value in error.message_dict.items()})
            context["sent"] = step == "check" and "phone" not in errors
    context["phone_masked"] = mask_mobile(phone)
    context["demo_console"] = settings.DEBUG and settings.WANGGE_SMS_BACKEND.endswith(
        "ConsoleBackend"
    )
    return render(request, "portal/verify.html", context)


@route("public", note="POST only: forget the proved number in this browser")
@require_POST
def verify_end(request: HttpRequest) -> HttpResponse:
    resident_sign_out(request)
    return redirect("portal:home")
