"""Importing staff from an Excel sheet: all or nothing, every wrong row named, audited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from wangge.accounts.models import Membership, User
from wangge.audit.models import AuditEntry
from wangge.regions.models import GridAssignment
from wangge.staff import importers

HEADER = ["用户名", "姓名", "手机号", "岗位", "单位代码", "起始日期", "网格角色"]


def sheet(*rows, header=HEADER) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("staff.xlsx", buffer.getvalue())


GOOD = [
    ("wang01", "王一", "13900000001", "网格员", "620502001001003", "2026-02-01", "专职网格员"),
    ("wang01", "王一", "", "grid_leader", "620502001001", "2026-02-01", ""),
    ("li02", "李二", 13900000002, "部门承办人", "justice-620502001", None, ""),
]


def test_a_good_sheet_creates_accounts_posts_and_assignments(signed_in, district_admin):
    response = signed_in(district_admin).post(reverse("staff:import"), {"sheet": sheet(*GOOD)})

    assert response.status_code == 200, response.content.decode()
    assert {a.username for a in response.context["accounts"]} == {"wang01", "li02"}
    wang = User.objects.get(username="wang01")
    assert wang.must_change_password
    assert set(Membership.objects.filter(user=wang).values_list("role", flat=True)) == {
        "grid_worker",
        "grid_leader",
    }
    assert GridAssignment.objects.get(user=wang).role == "full_time"
    li = User.objects.get(username="li02")
    assert li.mobile == "13900000002"
    assert Membership.objects.get(user=li).department.code == "justice-620502001"
    assert AuditEntry.objects.filter(action="staff.imported").get().details["accounts"] == 2


def test_a_sheet_with_wrong_rows_imports_nothing_and_names_each_row(signed_in, district_admin):
    rows = [
        *GOOD,
        ("dispatcher", "已有", "", "网格员", "620502001001001", "", ""),
        ("zhao03", "赵三", "123", "网格员", "620502001001001", "2026-13-01", ""),
        ("qian04", "钱四", "", "村长", "999999", "", ""),
        ("sun05", "孙五", "", "审计员", "620502", "", ""),
    ]

    response = signed_in(district_admin).post(reverse("staff:import"), {"sheet": sheet(*rows)})

    problems = [str(problem) for problem in response.context["problems"]]
    text = "\n".join(problems)
    assert "line 5" in text and "line 6" in text and "line 7" in text
    assert not User.objects.filter(username__in=["wang01", "li02", "zhao03"]).exists()
    assert AuditEntry.objects.filter(action="staff.import_refused").exists()
    assert not AuditEntry.objects.filter(action="staff.imported").exists()


def test_an_unknown_or_unreachable_unit_is_refused_and_recorded(signed_in, dispatcher):
    # A dispatcher holds no right to give posts: the page itself is refused.
    assert signed_in(dispatcher).get(reverse("staff:import")).status_code == 403


def test_rows_naming_unknown_units_and_roles_the_actor_may_not_give(district_admin):
    from wangge.core.errors import ImportFailed
    from wangge.staff import services

    rows = importers.staff_sheet_read(
        sheet(
            ("a001", "甲", "", "网格员", "620503001001001", "", ""),
            ("a002", "乙", "", "审计员", "620502", "", ""),
            ("a003", "丙", "", "dispatcher", "620502001001001", "", ""),
        ).read()
    )
    try:
        services.staff_import(actor=district_admin, rows=rows)
    except ImportFailed as failure:
        found = {(problem.line, problem.column) for problem in failure.problems}
    assert found == {(2, "单位代码"), (3, "岗位"), (4, "岗位")}
    assert not User.objects.filter(username__startswith="a00").exists()
    refused = AuditEntry.objects.get(action="staff.import_refused")
    assert refused.details["count"] == 3


def test_a_file_that_is_not_a_workbook_is_refused_clearly(signed_in, district_admin):
    upload = SimpleUploadedFile("staff.xlsx", b"not a workbook")

    response = signed_in(district_admin).post(reverse("staff:import"), {"sheet": upload})

    assert "不是 Excel 工作簿" in response.content.decode()
    assert AuditEntry.objects.filter(action="staff.import_refused").exists()


def test_a_sheet_without_the_required_columns_is_refused(signed_in, district_admin):
    upload = sheet(("x",), header=["用户名"])

    response = signed_in(district_admin).post(reverse("staff:import"), {"sheet": upload})

    assert "姓名" in str(response.context["problems"][0])


def test_the_empty_sheet_downloads_and_reads_back(signed_in, district_admin):
    response = signed_in(district_admin).get(reverse("staff:import_template"))

    rows = importers.staff_sheet_read(response.content)
    assert rows[0].role == "grid_worker"
    assert rows[0].grid_role == "full_time"


def test_the_command_imports_a_sheet_and_refuses_a_bad_one(district_admin, tmp_path):
    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(sheet(GOOD[2]).read())
    bad.write_bytes(sheet(("x9", "某", "", "网格员", "999", "", "")).read())
    passwords = tmp_path / "passwords.csv"

    with pytest.raises(CommandError, match="nothing imported"):
        call_command("staff", "import", str(bad), "--actor", district_admin.username)
    call_command(
        "staff",
        "import",
        str(good),
        "--actor",
        district_admin.username,
        "--passwords",
        str(passwords),
    )

    assert not User.objects.filter(username="x9").exists()
    assert "li02" in passwords.read_text()
    assert User.objects.get(username="li02").must_change_password
