"""Report form definitions: the field list and rules are checked before anything is saved; a
form with data keeps the fields that hold it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wangge.audit.models import AuditEntry
from wangge.reports.definitions import (
    FormConflict,
    FormInput,
    reportform_create,
    reportform_update,
)
from wangge.reports.models import ReportForm, Submission

FIELDS = [
    {"name": "found", "label": "排查数", "type": "number", "required": True},
    {"name": "resolved", "label": "化解数", "type": "number", "prefill": "disputes_closed"},
    {"name": "note", "label": "情况说明", "type": "text"},
    {"name": "level", "label": "等级", "type": "choice", "choices": ["一般", "较大"]},
    {
        "name": "visits",
        "label": "走访",
        "type": "table",
        "columns": [
            {"name": "who", "label": "对象", "type": "text"},
            {"name": "times", "label": "次数", "type": "number"},
        ],
    },
]
RULES = [{"left": "resolved", "op": "<=", "right": "found", "message": "化解数不能大于排查数"}]


@pytest.fixture(autouse=True)
def in_english():  # type: ignore[no-untyped-def]
    """The messages are checked in English (the Chinese is the translators' concern)."""
    with translation.override("en"):
        yield


def weekly(**changes) -> FormInput:  # type: ignore[no-untyped-def]
    values = {
        "code": "weekly-test",
        "name": "测试周报",
        "period_type": "weekly",
        "unit_levels": ["village"],
        "deadline_working_days": 3,
        "fields": [dict(each) for each in FIELDS],
        "rules": [dict(each) for each in RULES],
    }
    values.update(changes)
    return FormInput(**values)


@pytest.mark.django_db
def test_an_administrator_defines_a_form_with_fields_and_a_rule(district_admin):
    form = reportform_create(actor=district_admin, data=weekly())

    assert [each["name"] for each in form.fields] == [
        "found",
        "resolved",
        "note",
        "level",
        "visits",
    ]
    assert form.fields[1]["prefill"] == "disputes_closed"
    assert form.rules == [
        {"left": "resolved", "op": "<=", "right": "found", "message": "化解数不能大于排查数"}
    ]
    assert AuditEntry.objects.filter(action="reports.reportform_create").count() == 1


@pytest.mark.django_db
def test_a_rule_referring_to_a_missing_field_is_refused_by_name(district_admin):
    rules = [{"left": "resolved", "op": "<=", "right": "handled"}]

    with pytest.raises(ValidationError) as refused:
        reportform_create(actor=district_admin, data=weekly(rules=rules))

    assert "handled" in str(refused.value.message_dict["rules"])
    assert not ReportForm.objects.filter(code="weekly-test").exists()
    assert not AuditEntry.objects.filter(action="reports.reportform_create").exists()


@pytest.mark.django_db
def test_a_rule_may_compare_with_a_number_but_not_with_a_text_field(district_admin):
    with pytest.raises(ValidationError) as refused:
        reportform_create(
            actor=district_admin, data=weekly(rules=[{"left": "note", "op": ">", "right": "0"}])
        )
    assert "note" in str(refused.value)

    form = reportform_create(
        actor=district_admin, data=weekly(rules=[{"left": "found", "op": ">=", "right": "0"}])
    )
    assert form.rules[0]["right"] == "0"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ([{"name": "a", "type": "number"}, {"name": "a", "type": "text"}], "a"),
        ([{"name": "Bad Name", "type": "number"}], "Bad Name"),
        ([{"name": "x", "type": "money"}], "money"),
        ([{"name": "c", "type": "choice", "choices": []}], "c"),
        ([{"name": "t", "type": "table", "columns": []}], "t"),
        ([{"name": "t", "type": "table", "columns": [{"name": "a", "type": "blob"}]}], "blob"),
        ([{"name": "n", "type": "number", "prefill": "weather"}], "weather"),
        ([{"name": "n", "type": "text", "prefill": "cases_reported"}], "n"),
    ],
)
@pytest.mark.django_db
def test_bad_field_lists_are_refused_with_the_field_named(district_admin, fields, named):
    with pytest.raises(ValidationError) as refused:
        reportform_create(actor=district_admin, data=weekly(fields=fields, rules=[]))

    assert named in " ".join(refused.value.message_dict["fields"])
    assert not ReportForm.objects.filter(code="weekly-test").exists()


@pytest.mark.django_db
def test_bad_settings_are_refused(district_admin):
    with pytest.raises(ValidationError) as refused:
        reportform_create(
            actor=district_admin,
            data=weekly(period_type="hourly", unit_levels=[], deadline_working_days=99),
        )
    assert set(refused.value.message_dict) == {
        "period_type",
        "unit_levels",
        "deadline_working_days",
    }


@pytest.mark.django_db
def test_only_administrators_define_forms(dispatcher):
    with pytest.raises(PermissionDenied):
        reportform_create(actor=dispatcher, data=weekly())


def with_data(form: ReportForm, admin) -> None:  # type: ignore[no-untyped-def]
    Submission.objects.create(
        form=form,
        region_code="620502001001",
        period_start=datetime.date(2026, 11, 23),
        period_end=datetime.date(2026, 11, 29),
        due_at=timezone.now(),
        state="submitted",
        values={"found": 3, "level": "一般", "visits": [{"who": "张", "times": 1}]},
    )


@pytest.mark.django_db
def test_a_form_with_data_keeps_labels_editable(district_admin):
    form = reportform_create(actor=district_admin, data=weekly())
    with_data(form, district_admin)
    fields = [dict(each) for each in FIELDS]
    fields[0]["label"] = "排查矛盾纠纷数"
    fields[3]["choices"] = ["一般", "较大", "重大"]

    changed = reportform_update(
        actor=district_admin, form=form, data=weekly(fields=fields), version=form.version
    )

    assert changed.fields[0]["label"] == "排查矛盾纠纷数"
    assert changed.version == 2


@pytest.mark.parametrize(
    "change",
    ["remove found", "retype found", "drop a choice", "drop a column"],
)
@pytest.mark.django_db
def test_a_form_with_data_refuses_to_remove_or_retype_a_field_with_data(district_admin, change):
    form = reportform_create(actor=district_admin, data=weekly())
    with_data(form, district_admin)
    fields = [dict(each) for each in FIELDS]
    rules = [dict(each) for each in RULES]
    if change == "remove found":
        fields, rules = fields[1:], []
    elif change == "retype found":
        fields[0]["type"], rules = "text", []
    elif change == "drop a choice":
        fields[3]["choices"] = ["较大"]
    else:
        fields[4]["columns"] = fields[4]["columns"][:1]

    with pytest.raises(ValidationError) as refused:
        reportform_update(
            actor=district_admin,
            form=form,
            data=weekly(fields=fields, rules=rules),
            version=form.version,
        )

    assert "holds submitted data" in " ".join(refused.value.messages)
    form.refresh_from_db()
    assert form.version == 1 and form.fields[0]["type"] == "number"


@pytest.mark.django_db
def test_a_field_without_data_may_be_removed(district_admin):
    form = reportform_create(actor=district_admin, data=weekly())
    with_data(form, district_admin)

    changed = reportform_update(
        actor=district_admin,
        form=form,
        data=weekly(fields=[dict(each) for each in FIELDS if each["name"] != "note"]),
        version=1,
    )

    assert "note" not in [each["name"] for each in changed.fields]


@pytest.mark.django_db
def test_a_stale_definition_is_a_conflict(district_admin):
    form = reportform_create(actor=district_admin, data=weekly())
    reportform_update(actor=district_admin, form=form, data=weekly(name="新"), version=1)

    with pytest.raises(FormConflict):
        reportform_update(actor=district_admin, form=form, data=weekly(name="旧"), version=1)
