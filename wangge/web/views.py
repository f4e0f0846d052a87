from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from wangge.core.routes import access


@access("signed_in")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The map is the home page until role-specific home pages exist."""
    return redirect("regions:map")
