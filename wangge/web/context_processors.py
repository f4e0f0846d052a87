from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, str]:
    return {"root_region_code": settings.WANGGE_ROOT_REGION}
