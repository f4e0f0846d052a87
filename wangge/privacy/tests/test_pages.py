"""The purpose form and the who-read page: success, refusals, bad input, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wangge.audit.models import AuditEntry
from wangge.privacy import services
from wangge.privacy.models import Purpose, UnmaskGrant
from wangge.privacy.tests.conftest import MASKED, MOBILE, written

TEXT = "核实低保申请 2026-031"


def unmask_url(member, kind: str = "staff") -> str:  # type: ignore[no-untyped-def]
    return f"/privacy/unmask/{kind}/{member.pk}/"


def reads_url(member, kind: str = "staff") -> str:  # type: ignore[no-untyped-def]
    return f"/privacy/reads/{kind}/{member.pk}/"


def form(**changes: str) -> dict[str, str]:
    return {"purpose": "verification", "purpose_text": TEXT, "next": "", **changes}


@pytest.fixture
def unmasker_client(client, unmasker):  # type: ignore[no-untyped-def]
    client.force_login(unmasker)
    return client


@pytest.mark.parametrize("url", [unmask_url, reads_url])
def test_strangers_are_sent_to_sign_in(client, member, url):
    response = client.get(url(member))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_form_shows_the_masked_value_and_asks_for_a_purpose(unmasker_client, member):
    response = unmasker_client.get(unmask_url(member) + "?next=/accounts/me/")
    html = response.content.decode()

    assert response.status_code == 200
    assert MASKED in html and MOBILE not in html
    assert 'name="purpose"' in html and 'value="case_handling"' in html
    assert 'name="next" value="/accounts/me/"' in html
    assert "<script" not in html and "style=" not in html and "onclick" not in html


def test_a_purpose_shows_the_full_value_until_the_grant_expires(
    unmasker_client, unmasker, member, monkeypatch
):
    response = unmasker_client.post(unmask_url(member), form(next="/accounts/me/"))

    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    grant = UnmaskGrant.objects.get(user=unmasker)
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.purpose, entry.details["purpose"]) == (
        "personal.unmask",
        TEXT,
        "verification",
    )
    assert entry.ip == "127.0.0.1"
    html = unmasker_client.get(unmask_url(member)).content.decode()
    until = timezone.localtime(grant.expires_at).strftime("%H:%M")
    assert MOBILE in html and MASKED not in html and until in html

    expired = grant.expires_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: expired)
    html = unmasker_client.get(unmask_url(member)).content.decode()
    assert MASKED in html and MOBILE not in html


@pytest.mark.parametrize("next_url", ["", "https://elsewhere.example/", "//elsewhere.example/"])
def test_without_a_next_page_on_this_site_the_form_comes_back_to_itself(
    unmasker_client, member, next_url
):
    response = unmasker_client.post(unmask_url(member), form(next=next_url))

    assert response.status_code == 302 and response["Location"] == unmask_url(member)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": ""}, "purpose"),
        ({"purpose": "curiosity"}, "purpose"),
        ({"purpose_text": ""}, "purpose_text"),
        ({"purpose_text": "核实"}, "purpose_text"),
        ({"purpose_text": "x" * 201}, "purpose_text"),
    ],
)
def test_a_bad_purpose_says_what_is_wrong_and_writes_nothing(
    unmasker_client, member, changes, field
):
    before = written()

    response = unmasker_client.post(unmask_url(member), form(**changes))
    html = response.content.decode()

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in html and f'id="id_{field}-error"' in html
    assert MOBILE not in html
    assert written() == before


def test_an_empty_post_is_refused_with_both_fields_marked(unmasker_client, member):
    before = written()

    response = unmasker_client.post(unmask_url(member), {})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"purpose", "purpose_text"}
    assert written() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_without_the_capability_is_refused_and_nothing_is_written(
    client, leader, member, method
):
    client.force_login(leader)
    before = written()

    response = getattr(client, method)(unmask_url(member), form())

    assert response.status_code == 403
    assert written() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_record_out_of_scope_is_not_found_and_nothing_is_written(
    client, far_unmasker, member, method
):
    client.force_login(far_unmasker)
    before = written()

    response = getattr(client, method)(unmask_url(member), form())

    assert response.status_code == 404
    assert written() == before


@pytest.mark.parametrize(
    "url",
    ["/privacy/unmask/nosuchkind/{pk}/", "/privacy/unmask/staff/abc/", "/privacy/unmask/staff/0/"],
)
def test_an_unknown_kind_or_key_is_not_found_and_nothing_is_written(unmasker_client, member, url):
    before = written()

    response = unmasker_client.post(url.format(pk=member.pk), form())

    assert response.status_code == 404
    assert written() == before


def test_the_form_links_to_the_reads_for_those_who_may_see_them(client, far_unmasker, unmasker):
    from wangge.privacy.tests.conftest import with_permissions

    both = with_permissions(unmasker, "privacy.view_reads")
    client.force_login(both)

    html = client.get(unmask_url(both)).content.decode()

    assert reads_url(both) in html


# The who-read page


def read(actor, member, purpose=Purpose.VERIFICATION, text=TEXT):  # type: ignore[no-untyped-def]
    return services.unmask_grant(
        actor=actor, kind="staff", target_id=member.pk, purpose=purpose, purpose_text=text
    )


def test_the_auditor_sees_exactly_who_read_the_record_newest_first(
    client, reads_auditor, unmasker, member, grid_worker_b
):
    read(unmasker, member)
    read(unmasker, grid_worker_b, text="别人的记录")
    read(unmasker, member, Purpose.DISPUTE_MEDIATION, "邻里纠纷调解 第3次")
    client.force_login(reads_auditor)

    response = client.get(reads_url(member))
    html = response.content.decode()

    assert response.status_code == 200
    assert [(r.purpose_text, r.username) for r in response.context["reads"]] == [
        ("邻里纠纷调解 第3次", "t_dispatcher"),
        (TEXT, "t_dispatcher"),
    ]
    assert "别人的记录" not in html
    assert str(Purpose.DISPUTE_MEDIATION.label) in html
    assert MOBILE not in html
    assert "<script" not in html and "style=" not in html


def test_a_record_nobody_read_says_so(client, reads_auditor, member):
    client.force_login(reads_auditor)

    response = client.get(reads_url(member))

    assert response.status_code == 200 and response.context["reads"] == []


def test_the_reads_come_from_the_audit_log_not_the_grants(client, reads_auditor, unmasker, member):
    read(unmasker, member)
    UnmaskGrant.objects.all().delete()  # a grant table emptied by hand hides nothing
    client.force_login(reads_auditor)

    response = client.get(reads_url(member))

    assert [r.purpose_text for r in response.context["reads"]] == [TEXT]


def test_who_read_is_refused_without_its_capability(client, unmasker, member):
    client.force_login(unmasker)  # may unmask, may not see who did

    assert client.get(reads_url(member)).status_code == 403


@pytest.mark.parametrize(
    "url",
    ["/privacy/reads/nosuchkind/{pk}/", "/privacy/reads/staff/abc/", "/privacy/reads/staff/0/"],
)
def test_who_read_of_an_unknown_kind_or_key_is_not_found(client, reads_auditor, member, url):
    client.force_login(reads_auditor)

    assert client.get(url.format(pk=member.pk)).status_code == 404


def test_who_read_out_of_scope_is_not_found(client, far_unmasker, member):
    client.force_login(far_unmasker)

    assert client.get(reads_url(member)).status_code == 404


def test_who_read_runs_the_same_queries_for_two_reads_as_for_thirty(
    client, reads_auditor, unmasker, member, grid_worker_b
):
    read(unmasker, member)
    read(unmasker, member)
    for _ in range(30):
        read(unmasker, grid_worker_b)
    client.force_login(reads_auditor)
    client.get(reads_url(member))  # a first request may set up the session

    with CaptureQueriesContext(connection) as capture:
        client.get(reads_url(member))
    two = [query["sql"] for query in capture.captured_queries]
    with CaptureQueriesContext(connection) as capture:
        response = client.get(reads_url(grid_worker_b))
    thirty = [query["sql"] for query in capture.captured_queries]

    assert len(response.context["reads"]) == 30
    assert len(two) == len(thirty) <= 16  # session, user, capabilities, scope, the record
    assert len([sql for sql in thirty if "audit_auditentry" in sql]) == 2  # count, page
