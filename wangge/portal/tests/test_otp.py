"""One-time codes and the proof of a mobile number: expiry, attempts, single use, rate limits,
and the no-JavaScript verify page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wangge.portal import otp
from wangge.portal.models import OneTimeCode, ThrottleHit
from wangge.portal.session import SESSION_KEY

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def in_english():  # type: ignore[no-untyped-def]
    """The messages are matched in English here (the interface is Chinese first)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def sent_code(outbox, phone: str = PHONE) -> str:
    texts = [text for to, text in outbox if to == phone]
    assert texts, "no text message was sent"
    return re.search(r"\d{6}", texts[-1]).group(0)


@pytest.mark.django_db
def test_a_code_proves_the_number_once_and_only_its_hash_is_kept(sms_outbox):
    otp.code_send(PHONE)
    code = sent_code(sms_outbox)

    assert not OneTimeCode.objects.filter(code_hash__contains=code).exists()
    assert otp.code_check(PHONE, code) == PHONE
    with pytest.raises(Exception, match="expired or was never sent"):
        otp.code_check(PHONE, code)


@pytest.mark.django_db
def test_an_expired_code_is_refused(sms_outbox):
    sent_at = timezone.now() - timedelta(minutes=11)
    otp.code_send(PHONE, now=sent_at)

    with pytest.raises(Exception, match="expired"):
        otp.code_check(PHONE, sent_code(sms_outbox))


@pytest.mark.django_db
def test_five_wrong_codes_use_the_code_up(sms_outbox):
    otp.code_send(PHONE)
    code = sent_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(Exception) as refused:
            otp.code_check(PHONE, wrong)
        messages.append(str(refused.value))

    assert "4" in messages[0] and "Too many wrong codes" in messages[-1]
    with pytest.raises(Exception, match="Too many wrong codes"):
        otp.code_check(PHONE, code)


@pytest.mark.django_db
def test_a_number_gets_one_code_a_minute_and_an_address_thirty_an_hour(sms_outbox, settings):
    otp.code_send(PHONE, ip="10.0.0.9")
    with pytest.raises(Exception, match="Too many tries"):
        otp.code_send(PHONE, ip="10.0.0.9")
    assert len(sms_outbox) == 1

    settings.WANGGE_OTP_PER_ADDRESS_HOUR = 3
    for n in range(2):
        otp.code_send(f"1370000000{n}", ip="10.0.0.9")
    with pytest.raises(Exception, match="Too many tries"):
        otp.code_send("13700000009", ip="10.0.0.9")
    assert len(sms_outbox) == 3
    assert ThrottleHit.objects.filter(key="otp-send-ip:10.0.0.9").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "12345", "2391234567x", "<script>", "1391234567' OR 1=1"])
def test_a_bad_number_is_refused_and_nothing_is_sent(sms_outbox, bad):
    with pytest.raises(Exception, match="11-digit"):
        otp.code_send(bad)
    assert sms_outbox == [] and not OneTimeCode.objects.exists()


@pytest.mark.django_db
def test_the_verify_page_proves_the_number_without_javascript(client, sms_outbox):
    url = reverse("portal:verify") + "?next=/portal/"

    asked = client.post(url, {"step": "send", "phone": PHONE, "next": "/portal/"})
    assert "139****5678" in asked.content.decode()
    wrong = client.post(url, {"step": "check", "phone": PHONE, "code": "x", "next": "/portal/"})
    assert wrong.status_code == 200 and "aria-invalid" in wrong.content.decode()
    assert SESSION_KEY not in client.session
    done = client.post(
        url, {"step": "check", "phone": PHONE, "code": sent_code(sms_outbox), "next": "/portal/"}
    )

    assert done.status_code == 302 and done["Location"] == "/portal/"
    assert client.session[SESSION_KEY]["phone"] == PHONE


@pytest.mark.django_db
def test_the_verify_page_never_sends_the_browser_off_the_portal(client, sms_outbox):
    client.post(reverse("portal:verify"), {"step": "send", "phone": PHONE})
    code = sent_code(sms_outbox)
    for target in ("https://evil.example/", "/admin/", "//evil.example/portal/"):
        otp_row = OneTimeCode.objects.get()
        OneTimeCode.objects.filter(pk=otp_row.pk).update(used_at=None)
        response = client.post(
            reverse("portal:verify"),
            {"step": "check", "phone": PHONE, "code": code, "next": target},
        )
        assert response["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_a_proof_lasts_thirty_minutes(client, settings):
    from conftest import resident_signed_in

    resident_signed_in(client)
    session = client.session
    session[SESSION_KEY]["at"] = (timezone.now() - timedelta(minutes=31)).isoformat()
    session.save()

    response = client.get(reverse("portal:home"))

    assert response.context["portal_resident_phone"] is None


@pytest.mark.django_db
def test_the_sweep_removes_old_counters_and_codes_and_keeps_current_ones(sms_outbox):
    from io import StringIO

    from django.core.management import call_command

    long_ago = timezone.now() - timedelta(days=3)
    otp.code_send("13911110000", ip="10.0.0.1", now=long_ago)
    otp.code_send("13911110001", ip="10.0.0.1")
    out = StringIO()

    call_command("portal_sweep", stdout=out)

    assert "3 rate-limit counters and 1 one-time codes removed" in out.getvalue()
    assert list(OneTimeCode.objects.values_list("phone", flat=True)) == ["13911110001"]
    assert ThrottleHit.objects.count() == 3
