"""The register import: reading, checking every row, writing all or nothing (or partially)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from wangge.audit.models import AuditEntry
from wangge.core.errors import ImportFailed
from wangge.core.ids import identity_check_character
from wangge.core.masking import mask_identity_number
from wangge.core.scope import Scope
from wangge.people import imports
from wangge.people.importers import people_file_parse
from wangge.people.models import Change, Person
from wangge.people.tests import import_files as files
from wangge.people.tests.factories import identity_number, person_registered

pytestmark = pytest.mark.django_db


def run(content: bytes, *, filename: str = "people.csv", **options):  # type: ignore[no-untyped-def]
    parsed = people_file_parse(
        content,
        filename=filename,
        encoding=options.pop("encoding", "auto"),
        scope=options.pop("scope", None),
    )
    return imports.people_import(actor=None, parsed=parsed, file_name=filename, **options)


def problems_of(content: bytes, **options):  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFailed) as failure:
        run(content, **options)
    return failure.value.problems


def test_a_demo_sized_file_is_written_with_history_and_one_audit_entry():
    rows = files.many_rows(2000)

    result = run(files.csv_bytes(rows))

    assert result.created == 2000
    person = Person.objects.get(id_number=rows[7]["id_number"])
    assert (person.name, person.ethnicity, person.region_code) == (
        rows[7]["name"],
        "01",
        rows[7]["region_code"],
    )
    assert person.name_pinyin and person.birth_date
    assert Change.objects.filter(record_type="person", action="imported").count() == 2000
    entries = AuditEntry.objects.filter(action="people.imported")
    assert entries.count() == 1
    assert entries.get().details["created"] == 2000


def test_english_headers_and_xlsx_are_read_like_chinese_csv():
    english = [files.row(name="王芳")]
    workbook = [files.row(name="李娜", sex="女", id_number=identity_number(male=False))]

    run(files.csv_bytes(english, english=True))
    run(files.xlsx_bytes(workbook), filename="people.xlsx")

    assert set(Person.objects.values_list("name", flat=True)) >= {"王芳", "李娜"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_utf8_with_or_without_bom_and_gbk_are_detected(encoding):
    rows = [files.row(name="欧阳娜娜", current_address="秦州区大城街道")]

    run(files.csv_bytes(rows, encoding=encoding))

    assert Person.objects.get(id_number=rows[0]["id_number"]).name == "欧阳娜娜"


def test_a_stated_encoding_that_does_not_fit_is_refused():
    content = files.csv_bytes([files.row(name="欧阳娜娜")], encoding="gbk")

    problems = problems_of(content, encoding="utf-8")

    assert "UTF-8" in problems[0].message
    assert not Person.objects.filter(name="欧阳娜娜").exists()


def test_every_wrong_cell_is_named_with_row_and_column_and_nothing_is_written():
    good = identity_number()
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    twice = identity_number()
    registered = person_registered(name="赵六").id_number
    impossible = "620502" + "19990231" + "123"
    impossible += identity_check_character(impossible)
    rows = [
        files.row(name="好人"),  # 2: fine, but nothing is written
        files.row(id_number=bad_check),  # 3
        files.row(id_number=twice),  # 4
        files.row(id_number=twice),  # 5
        files.row(id_number=registered),  # 6
        files.row(id_number=impossible),  # 7
        files.row(ethnicity="火星族"),  # 8
        files.row(region_code="", lon="116.4", lat="39.9"),  # 9: Beijing
        files.row(name=""),  # 10
        files.row(occupation='=HYPERLINK("http://x")'),  # 11
        files.row(current_address="长" * 201),  # 12
        files.row(mobile="12345"),  # 13
        files.row(region_code="620502999999999"),  # 14
        files.row(region_code="", village_code=files.villages(grids=2)),  # 15
        files.row(sex="女"),  # 16: male number
    ]

    problems = problems_of(files.csv_bytes(rows))

    found = {(problem.line, problem.column) for problem in problems}
    assert found == {
        (3, "公民身份号码"),
        (4, "公民身份号码"),
        (5, "公民身份号码"),
        (6, "公民身份号码"),
        (7, "公民身份号码"),
        (8, "民族"),
        (9, "经度"),
        (10, "姓名"),
        (11, "职业"),
        (12, "现住地详址"),
        (13, "联系电话"),
        (14, "网格编码"),
        (15, "村社区代码"),
        (16, "性别"),
    }
    messages = {problem.line: problem.message for problem in problems}
    assert "5" in messages[4] and "4" in messages[5]  # each duplicate names the other row
    assert messages[11] == _("Formulas are not accepted; enter the value itself.")
    assert not Person.objects.filter(name="好人").exists()
    assert AuditEntry.objects.filter(action="people.import_refused").count() == 1
    assert not AuditEntry.objects.filter(action="people.imported").exists()
    masked = [p.value for p in problems if p.line == 3][0]
    assert "*" in masked and bad_check not in masked


def test_the_grid_comes_from_coordinates_in_any_system_or_from_a_one_grid_village():
    lon, lat = files.point_in(files.GRID_A, "gcj02")
    wgs_lon, wgs_lat = files.point_in(files.GRID_A, "wgs84")
    bd_lon, bd_lat = files.point_in(files.GRID_A, "bd09")
    village = files.villages(grids=1)
    rows = [
        files.row(region_code="", lon=lon, lat=lat),
        files.row(region_code="", lon=wgs_lon, lat=wgs_lat, crs="wgs84"),
        files.row(region_code="", lon=bd_lon, lat=bd_lat, crs="bd09"),
        files.row(region_code="", village_code=village),
    ]

    run(files.csv_bytes(rows))

    grids = [Person.objects.get(id_number=r["id_number"]).region_code for r in rows]
    assert grids[:3] == [files.GRID_A] * 3
    assert grids[3].startswith(village)


def test_rows_outside_the_importers_scope_are_refused():
    rows = [files.row(), files.row(region_code="620502001001002")]

    problems = problems_of(files.csv_bytes(rows), scope=Scope(frozenset({files.GRID_A})))

    assert [(p.line, p.column) for p in problems] == [(3, "网格编码")]


def test_people_already_registered_are_skipped_or_updated_by_policy():
    known = person_registered(name="赵六")
    rows = [files.row(id_number=known.id_number, name="赵六", occupation="教师"), files.row()]

    skipped = run(files.csv_bytes(rows), policy="skip")
    updated = run(files.csv_bytes([rows[0]]), policy="update")

    assert (skipped.created, skipped.skipped) == (1, 1)
    assert updated.updated == 1
    known.refresh_from_db()
    assert (known.occupation, known.version) == ("教师", 2)
    assert Change.objects.filter(record_id=known.pk, action="updated").exists()


def test_partial_mode_writes_the_good_rows_and_reports_the_bad_ones():
    rows = [files.row(name="好人"), files.row(mobile="12345")]

    result = run(files.csv_bytes(rows), partial=True)

    assert result.created == 1
    assert [(p.line, p.column) for p in result.problems] == [(3, "联系电话")]
    assert Person.objects.filter(name="好人").exists()


def test_the_error_workbook_lists_row_column_masked_value_and_reason():
    good = identity_number()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    problems = problems_of(files.csv_bytes([files.row(id_number=wrong)]))

    sheet = load_workbook(io.BytesIO(imports.error_workbook(problems))).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[1][0] == 2 and rows[1][1] == "公民身份号码"
    assert rows[1][2] != wrong and rows[1][2].startswith("620502")


def test_damaged_files_and_oversize_files_are_refused_clearly(settings):
    workbook = files.xlsx_bytes([files.row()])

    truncated = problems_of(workbook[: len(workbook) // 2], filename="people.xlsx")
    settings.WANGGE_IMPORT_MAX_BYTES = 100
    oversize = problems_of(files.csv_bytes([files.row()] * 3))

    assert ".xlsx" in truncated[0].message
    assert "MB" in oversize[0].message


def test_a_file_without_the_required_columns_is_refused():
    problems = problems_of("姓名\n张伟\n".encode())

    assert problems[0].line == 1 and "公民身份号码" in problems[0].message


def test_the_command_imports_and_shows_progress(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(files.csv_bytes(files.many_rows(300)))

    call_command("people", "import", str(path))

    assert Person.objects.count() >= 300
    assert "100%" in capsys.readouterr().err


def test_the_command_fails_with_the_problems_and_the_error_workbook(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(files.csv_bytes([files.row(mobile="12345")]))

    with pytest.raises(CommandError):
        call_command("people", "import", str(path), "--on-duplicate", "skip")

    error = capsys.readouterr().err
    assert "line 2" in error and "people-problems.xlsx" in error
    assert (tmp_path / "people-problems.xlsx").exists()


@pytest.mark.parametrize("copy", [True, False])
def test_postgresql_writes_the_same_rows_with_or_without_copy(settings, copy):
    settings.WANGGE_IMPORT_COPY = copy
    rows = files.many_rows(30)

    run(files.csv_bytes(rows))

    person = Person.objects.get(id_number=rows[3]["id_number"])
    assert (person.name, person.region_code, person.status) == (
        rows[3]["name"],
        rows[3]["region_code"],
        "active",
    )
    change = Change.objects.get(record_id=person.pk, action="imported")
    assert change.changes["source"] == "import" and "*" in change.changes["id_number"]


def test_the_command_reads_gbk_and_writes_the_good_rows_in_partial_mode(tmp_path, capsys):
    path = tmp_path / "people.csv"
    rows = [files.row(name="欧阳测试"), files.row(ethnicity="火星族")]
    path.write_bytes(files.csv_bytes(rows, encoding="gbk"))

    call_command("people", "import", str(path), "--encoding", "gbk", "--partial")

    assert Person.objects.filter(name="欧阳测试").exists()
    assert "created 1" in capsys.readouterr().err


@pytest.fixture
def small_batches(monkeypatch):  # type: ignore[no-untyped-def]
    """Batches of two rows, so that a file of a few rows crosses batch boundaries."""
    monkeypatch.setattr(imports, "BATCH", 2)


def history_matches(person: Person) -> bool:
    change = Change.objects.get(record_type="person", record_id=person.pk, action="imported")
    return change.changes["id_number"] == mask_identity_number(person.id_number)


@pytest.mark.parametrize("copy", [True, False])
def test_each_person_written_gets_its_own_history_row_across_batches(settings, small_batches, copy):
    settings.WANGGE_IMPORT_COPY = copy
    known = person_registered(name="赵六")
    rows = [files.row(name=f"甲{index}") for index in range(5)]
    rows.insert(3, files.row(id_number=known.id_number, name="赵六"))

    result = run(files.csv_bytes(rows), policy="skip")

    assert (result.created, result.skipped) == (5, 1)
    written = Person.objects.filter(id_number__in=[r["id_number"] for r in rows]).exclude(
        pk=known.pk
    )
    assert written.count() == 5
    assert all(history_matches(person) for person in written)
    assert not Change.objects.filter(record_id=known.pk, action="imported").exists()


def test_the_stop_policy_writes_nobody_when_one_person_is_registered_already(small_batches):
    known = person_registered(name="赵六")
    rows = [files.row(name="好人"), files.row(name="好人"), files.row(id_number=known.id_number)]
    rows.append(files.row(name="好人"))

    problems = problems_of(files.csv_bytes(rows))

    assert [(p.line, p.column) for p in problems] == [(4, "公民身份号码")]
    assert not Person.objects.filter(name="好人").exists()
    assert not Change.objects.filter(action="imported").exists()


def test_the_stop_policy_in_partial_mode_writes_the_others(small_batches):
    known = person_registered(name="赵六")
    rows = [files.row(name="好人"), files.row(id_number=known.id_number), files.row(name="好人")]

    result = run(files.csv_bytes(rows), partial=True)

    assert (result.created, result.skipped, result.updated) == (2, 0, 0)
    assert [(p.line, p.column) for p in result.problems] == [(3, "公民身份号码")]
    assert Person.objects.filter(name="好人").count() == 2


def test_the_update_policy_updates_the_registered_and_writes_the_new(small_batches):
    known = person_registered(name="赵六")
    rows = [files.row(name="好人"), files.row(id_number=known.id_number, occupation="教师")]

    result = run(files.csv_bytes(rows), policy="update")

    assert (result.created, result.updated) == (1, 1)
    known.refresh_from_db()
    assert known.occupation == "教师"


def test_the_command_shows_the_writing_stage_too(tmp_path, capsys, small_batches):
    path = tmp_path / "people.csv"
    path.write_bytes(files.csv_bytes(files.many_rows(5)))

    call_command("people", "import", str(path))

    shown = capsys.readouterr().err
    assert "validated" in shown and "written         5/5         100%" in shown


def test_the_files_identity_reader_agrees_with_the_identity_number_parser():
    import datetime
    import random

    from wangge.core import ids
    from wangge.people.importers import IdentityReader

    rng = random.Random(11643)
    numbers = []
    for _index in range(3000):
        born = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(45000))
        first17 = f"{rng.choice(['11', '62', '65', '81', '99', '00'])}{rng.randrange(10**4):04d}"
        first17 += f"{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + identity_check_character(first17)
        numbers += [number, number, number[:17] + rng.choice("0123456789X")]
        numbers += [number[:6] + "19990231" + number[14:], number.lower(), f" {number}"]
        numbers += [number[:6] + number[8:17]]  # the 15-digit form
    read = IdentityReader()  # one for all, as for a file: birth dates are remembered

    for number in numbers:
        try:
            expected: object = ids.parse_identity_number(number)
        except ids.InvalidIdentifier as error:
            expected = error.reason
        try:
            found: object = read(number)
        except ids.InvalidIdentifier as error:
            found = error.reason
        assert found == expected, number
    assert len(read.births) > 1000
