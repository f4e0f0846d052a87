"""`{% sensitive record "field" %}` as other apps' pages will use it."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wangge.privacy import services
from wangge.privacy.models import Purpose
from wangge.privacy.tests.conftest import MASKED, MOBILE

PAGE = "/staff/people/?page=2"


def rendered(user, record, template: str = '{% sensitive record "mobile" %}') -> str:  # type: ignore[no-untyped-def]
    request = RequestFactory().get(PAGE)
    request.user = user
    source = "{% load privacy %}" + template
    return Template(source).render(Context({"request": request, "record": record}))


def test_a_user_who_may_unmask_sees_the_mask_and_a_link_back_to_the_page(unmasker, member):
    html = rendered(unmasker, member)

    assert MASKED in html and MOBILE not in html
    assert f'href="/privacy/unmask/staff/{member.pk}/?next=%2Fstaff%2Fpeople%2F%3Fpage%3D2"' in html


def test_a_user_who_may_not_unmask_sees_the_mask_only(leader, member):
    html = rendered(leader, member)

    assert MASKED in html and "/privacy/unmask/" not in html


def test_the_link_can_be_left_out(unmasker, member):
    html = rendered(unmasker, member, '{% sensitive record "mobile" link=False %}')

    assert MASKED in html and "<a " not in html


def test_while_a_grant_lasts_the_full_value_and_its_end_are_shown(unmasker, member):
    grant = services.unmask_grant(
        actor=unmasker,
        kind="staff",
        target_id=member.pk,
        purpose=Purpose.ASSISTANCE_VISIT,
        purpose_text="入户走访 进步巷12号",
    )

    html = rendered(unmasker, member)

    assert MOBILE in html and MASKED not in html and "/privacy/unmask/" not in html
    assert timezone.localtime(grant.expires_at).strftime("%H:%M") in html


def test_an_empty_field_has_nothing_to_show_in_full(unmasker, grid_worker_b):
    html = rendered(unmasker, grid_worker_b)

    assert "/privacy/unmask/" not in html and 'class="muted"' in html


def test_a_field_that_is_not_registered_as_sensitive_is_refused(unmasker, member):
    with pytest.raises(ValueError, match="username is not a sensitive field"):
        rendered(unmasker, member, '{% sensitive record "username" %}')


def test_many_sensitive_fields_on_a_page_read_the_grants_once(unmasker, member, grid_worker_b):
    grid_worker_b.mobile = "13900001111"
    grid_worker_b.save(update_fields=["mobile"])
    template = '{% for r in records %}{% sensitive r "mobile" %}{% endfor %}'
    request = RequestFactory().get(PAGE)
    request.user = unmasker
    context = Context({"request": request, "records": [member, grid_worker_b] * 10})

    with CaptureQueriesContext(connection) as capture:
        Template("{% load privacy %}" + template).render(context)

    grant_reads = [q for q in capture.captured_queries if "privacy_unmaskgrant" in q["sql"]]
    assert len(grant_reads) == 1


def test_from_an_htmx_fragment_the_link_comes_back_to_the_page_not_the_fragment(
    client, unmasker, member
):
    from django_htmx.middleware import HtmxDetails

    request = RequestFactory().get(
        "/staff/people/rows/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/staff/people/?q=%E7%8E%8B",
    )
    request.user = unmasker
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    template = Template('{% load privacy %}{% sensitive record "mobile" %}')

    html = template.render(Context({"request": request, "record": member}))

    assert "next=%2Fstaff%2Fpeople%2F%3Fq%3D%25E7%258E%258B" in html
