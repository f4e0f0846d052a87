"""The mediation agreement as a document: its content, the PDF, the print page, who may get
them, and the audit entry a PDF download leaves."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GRID_A, make_persona
from wangge.accounts.models import Department
from wangge.audit.models import AuditEntry
from wangge.cases import services as cases
from wangge.cases.categories_seed import moj_category
from wangge.cases.services import ReportInput
from wangge.mediation import agreement_doc
from wangge.mediation.models import Agreement, Dispute, MediationBody, Party

ID_NUMBER = "620502198001010019"


def committee(region: str = "620502001001") -> MediationBody:
    unit, _ = Department.objects.get_or_create(
        code=f"test-mediation-{region}",
        defaults={"name": f"测试{region}人民调解委员会", "kind": "justice", "region_id": region},
    )
    return MediationBody.objects.get_or_create(department=unit, defaults={"type": "people"})[0]


def dispute_made(
    reporter,  # type: ignore[no-untyped-def]
    *,
    grid: str = GRID_A,
    reported_at: datetime.datetime | None = None,
    category: str = "D0201",
    **fields,
) -> Dispute:
    """A dispute reported in `grid` (by someone who may report there) at `reported_at`."""
    case = cases.report(
        reporter,
        ReportInput(category, "两家因排水沟堵塞发生争执", region_code=grid, address="测试村"),
        now=reported_at,
    )
    values = {
        "moj_category": moj_category(category),
        "scale": "01",
        "entry": "application",
        "body": committee(grid[:12]),
        "target_on": datetime.date(2026, 6, 30),
        **fields,
    }
    return Dispute.objects.create(case=case, **values)


def agreement_made(dispute: Dispute, *, effective_on=datetime.date(2026, 5, 20), amount_fen=0):  # type: ignore[no-untyped-def]
    mediator = dispute.mediators.first() or dispute.case.reporter
    return Agreement.objects.create(
        dispute=dispute,
        number=f"秦调字〔2026〕{dispute.pk}号",
        facts="申请人与被申请人因排水沟堵塞发生争执。",
        terms="被申请人于五日内疏通排水沟，并赔偿申请人损失伍仟元。",
        performance="2026年5月25日前在申请人家中一次付清。",
        amount_fen=amount_fen,
        effective_on=effective_on,
        created_by=mediator,
        created_at=timezone.now(),
    )


@pytest.fixture
def agreed(grid_worker_a):  # type: ignore[no-untyped-def]
    dispute = dispute_made(grid_worker_a)
    dispute.mediators.add(make_persona("m_wang", "mediator", region="620502001001"))
    Party.objects.create(dispute=dispute, role="respondent", name="李被申", address="测试村二组5号")
    Party.objects.create(
        dispute=dispute, role="applicant", name="张申请", id_number=ID_NUMBER, address="测试村一组"
    )
    return agreement_made(dispute, amount_fen=500_000)


@pytest.fixture
def reader(db):  # type: ignore[no-untyped-def]
    """Sees the township's disputes (a dispatcher holds mediation.view_dispute)."""
    return make_persona("t_reader", "dispatcher", region="620502001")


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)


# --- the document --------------------------------------------------------------------------


def test_the_context_lists_applicants_first_with_masked_identity_numbers(agreed):
    context = agreement_doc.agreement_context(agreed)

    assert [party.name for party in context["parties"]] == ["张申请", "李被申"]
    assert [party.role for party in context["parties"]] == ["申请人", "被申请人"]
    assert context["parties"][0].id_number == "620502********0019"
    assert context["committee"] == "测试620502001001人民调解委员会"
    assert context["copies"] == 3
    assert context["amount"] == "5,000.00"
    assert context["mediators"] == ["m_wang"]
    assert context["date"] == "2026年5月20日"


def test_the_pdf_holds_the_parties_the_terms_and_the_signature_lines(agreed):
    text = pdf_text(agreement_doc.render_pdf(agreed))

    assert "人民调解协议书" in text
    assert "张申请" in text and "李被申" in text
    assert "被申请人于五日内疏通排水沟" in text
    assert "经调解，" in text and "自愿达成如下协议" in text
    assert "一式3份" in text
    assert "测试620502001001人民调解委员会（盖章）" in text
    assert ID_NUMBER not in text
    assert "620502********0019" in text


def test_a_party_of_the_register_is_shown_with_sex_and_age(agreed):
    from wangge.people.tests.factories import person_registered

    person = person_registered(region_code=GRID_A)
    party = agreed.dispute.parties.get(role="applicant")
    party.person = person
    party.save()

    line = agreement_doc.agreement_context(agreed)["parties"][0]

    expected = agreement_doc.age_on(person.birth_date, agreed.effective_on)
    assert line.age == expected
    assert f"{expected}岁" in line.details


def test_user_text_is_not_read_as_markup(agreed):
    agreed.terms = "甲方支付 <b>一千元</b> & 乙方撤诉"
    agreed.save()

    text = pdf_text(agreement_doc.render_pdf(agreed))

    assert "<b>一千元</b> & 乙方撤诉" in text


# --- the pages -----------------------------------------------------------------------------


def test_the_print_page_shows_the_agreement_ready_to_print(client, agreed, reader):
    client.force_login(reader)

    response = client.get(reverse("mediation:agreement_print", args=[agreed.dispute_id]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "张申请" in html and "李被申" in html
    assert "被申请人于五日内疏通排水沟" in html
    assert "620502********0019" in html and ID_NUMBER not in html
    assert "data-print" in html and "mediation/print.js" in html
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither


def test_the_pdf_download_is_a_pdf_and_is_audited(client, agreed, reader):
    client.force_login(reader)

    response = client.get(reverse("mediation:agreement_pdf", args=[agreed.dispute_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "张申请" in pdf_text(response.content)
    entry = AuditEntry.objects.filter(action="mediation.agreement_pdf").get()
    assert entry.actor_id == reader.pk
    assert entry.details["agreement"] == agreed.number


@pytest.mark.parametrize("name", ["mediation:agreement_print", "mediation:agreement_pdf"])
def test_a_user_outside_the_place_gets_404(client, agreed, name):
    client.force_login(make_persona("far_dispatcher", "dispatcher", region="620502103"))

    response = client.get(reverse(name, args=[agreed.dispute_id]))

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="mediation.agreement_pdf").exists()


@pytest.mark.parametrize("name", ["mediation:agreement_print", "mediation:agreement_pdf"])
def test_a_user_without_the_capability_gets_403(client, agreed, name):
    client.force_login(make_persona("t_worker", "grid_worker", region=GRID_A))

    response = client.get(reverse(name, args=[agreed.dispute_id]))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["mediation:agreement_print", "mediation:agreement_pdf"])
def test_a_dispute_without_an_agreement_is_404_with_a_clear_message(
    client, grid_worker_a, reader, name
):
    dispute = dispute_made(grid_worker_a)
    client.force_login(reader)

    response = client.get(reverse(name, args=[dispute.pk]))

    assert response.status_code == 404
    assert "该纠纷尚未达成调解协议" in response.content.decode()
    assert not AuditEntry.objects.filter(action="mediation.agreement_pdf").exists()


def test_a_case_that_is_not_a_dispute_is_404(client, grid_worker_a, reader):
    case = cases.report(
        grid_worker_a, ReportInput("E0102", "垃圾", region_code=GRID_A, address="测试村")
    )
    client.force_login(reader)

    response = client.get(reverse("mediation:agreement_print", args=[case.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["mediation:agreement_print", "mediation:agreement_pdf"])
def test_the_route_coverage_entries_answer_404(client, dispatcher, outsider, name):
    from wangge.mediation.tests.outsider_urls_agreement import OUTSIDER_URLS

    persona, url_for = OUTSIDER_URLS[name]
    assert persona == "dispatcher"
    client.force_login(dispatcher)

    assert client.get(url_for(outsider)).status_code == 404


# --- in the browser, on the demo's dispute with an agreement --------------------------------


@pytest.mark.browser
def test_the_leader_prints_the_demo_agreement_and_downloads_its_pdf(page, site_url):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from conftest import demo_sign_in

    demo_sign_in(page, site_url, "leader")
    page.goto(site_url + "/mediation/?state=all")
    page.get_by_role("link", name="宅基地界址纠纷").first.click()
    page.locator("#print-agreement").click()

    assert page.get_by_role("heading", name="人民调解协议书").is_visible()
    assert page.locator(".parties p").count() >= 2
    assert "以现有分界墙中线为界" in page.locator("article.sheet").inner_text()
    assert "（盖章）" in page.locator(".sealing").inner_text()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") is True
    shots = Path("var/screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    page.screenshot(path=shots / "mediation-agreement-print.png", full_page=True)
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "人民调解协议书" in text and "以现有分界墙中线为界" in text
