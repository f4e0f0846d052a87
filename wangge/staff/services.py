"""Writes of staff administration: accounts, posts, grid assignments, departments.

Every write is checked against the actor's reach and grants here (the views have checked
the page's capability already), runs in one transaction and appends to the audit trail.
Attempts to give posts to oneself or to give a post one may not give are refused with
`PostRefused` (a 403) and recorded, because they are escalation attempts.
"""

import datetime
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts import services as account_services
from wangge.accounts.models import Department, Membership, Role, User
from wangge.accounts.roles import ROLE_GRANTS
from wangge.accounts.selectors import roles_of
from wangge.audit.services import record
from wangge.core.errors import EditConflict, ImportFailed, ImportProblem
from wangge.regions import services as region_services
from wangge.regions.models import GridAssignment, Level, Region

# The level of region each role's post sits on; department handlers sit in a department.
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: frozenset({Level.GRID}),
    Role.GRID_LEADER: frozenset({Level.GRID, Level.VILLAGE}),
    Role.VILLAGE_CADRE: frozenset({Level.VILLAGE}),
    Role.DISPATCHER: frozenset({Level.TOWNSHIP}),
    Role.DISTRICT_ADMIN: frozenset({Level.COUNTY}),
    Role.LEADER: frozenset({Level.COUNTY, Level.TOWNSHIP}),
    Role.AUDITOR: frozenset({Level.COUNTY}),
    Role.SYSTEM_ADMIN: frozenset({Level.COUNTY}),
}
CATEGORY_CODE = re.compile(r"^[0-9A-Za-z]{1,10}$")


class PostRefused(PermissionDenied):
    """An attempt to give or change posts that the actor may not: recorded, then 403."""


def grantable_roles(actor: User) -> frozenset[str]:
    if actor.is_superuser:
        return frozenset(Role.values)
    granted: frozenset[str] = frozenset()
    for role in roles_of(actor):
        granted |= ROLE_GRANTS.get(role, frozenset())
    return granted


def refuse_escalation(
    *, actor: User, user: User, what: str, request: HttpRequest | None, **details: Any
) -> None:
    """Record the refused attempt outside any transaction that will roll back, then refuse."""
    record(
        actor=actor,
        action="staff.post_refused",
        target=user,
        details={"refused": what, **details},
        request=request,
    )
    raise PostRefused(what)


def post_checks(
    *, actor: User, user: User, role: str, request: HttpRequest | None, **details: Any
) -> None:
    if actor.pk == user.pk:
        refuse_escalation(
            actor=actor, user=user, what="own posts", request=request, role=role, **details
        )
    if role in Role.values and role not in grantable_roles(actor):
        refuse_escalation(
            actor=actor, user=user, what="role not grantable", request=request, role=role
        )


def user_create(
    *,
    actor: User,
    username: str,
    name: str,
    mobile: str = "",
    password: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """A new account with a password the person must change at first sign-in; returns the
    account and that password (generated when not given) to hand over once."""
    initial = password or temporary_password()
    user = User(username=username, name=name, mobile=mobile, must_change_password=True)
    user.set_password(initial)
    user.full_clean()
    with transaction.atomic():
        user.save()
        record(actor=actor, action="staff.user_created", target=user, request=request)
    return user, initial


def temporary_password() -> str:
    """Twelve characters from three classes, so the password rules accept it."""
    alphabet = "abcdefghjkmnpqrstuvwxyz"
    body = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{body[:4].upper()}{body[4:]}{secrets.randbelow(9000) + 1000}"


def membership_give(
    *,
    actor: User,
    user: User,
    role: str,
    region: Region | None = None,
    department: Department | None = None,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    unit = region.code if region else (department.code if department else "")
    post_checks(actor=actor, user=user, role=role, request=request, unit=unit)
    post_unit_check(role=role, region=region, department=department)
    post = Membership(
        user=user,
        role=role,
        region=region,
        department=department,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    post.full_clean()
    with transaction.atomic():
        if overlapping_posts(post).exists():
            raise ValidationError(_("This person already holds this post in this unit."))
        post.save()
        record(
            actor=actor,
            action="staff.post_given",
            target=user,
            details=post_details(post),
            request=request,
            region_code=post_region_code(post),
        )
    return post


def post_unit_check(*, role: str, region: Region | None, department: Department | None) -> None:
    if role == Role.DEPARTMENT_HANDLER:
        if department is None or region is not None:
            raise ValidationError(_("A department handler's post is in a department."))
        return
    if region is None or department is not None:
        raise ValidationError(_("This post is in a region, not in a department."))
    if region.level not in ROLE_LEVELS.get(role, frozenset()):
        raise ValidationError(
            _("A post of %(role)s cannot be in a %(level)s.")
            % {"role": Role(role).label, "level": region.get_level_display()}
        )


def overlapping_posts(post: Membership) -> Any:
    today = timezone.localdate()
    return Membership.objects.filter(
        user=post.user,
        role=post.role,
        region=post.region,
        department=post.department,
    ).exclude(ends_on__lt=max(post.starts_on, today))


def post_details(post: Membership) -> dict[str, Any]:
    return {
        "role": post.role,
        "unit": post.region_id or (post.department.code if post.department else ""),
        "starts_on": post.starts_on.isoformat(),
        "ends_on": post.ends_on.isoformat() if post.ends_on else None,
    }


def post_region_code(post: Membership) -> str:
    if post.region_id:
        return str(post.region_id)
    return str(post.department.region_id) if post.department else ""


def membership_end(
    *,
    actor: User,
    post: Membership,
    ends_on: datetime.date,
    request: HttpRequest | None = None,
) -> Membership:
    """End a post on a day; a post already ended (by someone else meanwhile) is a conflict."""
    post_checks(actor=actor, user=post.user, role=post.role, request=request, unit=post.pk)
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=post.pk)
        if current.ends_on is not None and current.ends_on <= ends_on:
            raise EditConflict(_("This post has already been ended. Please reload the page."))
        if ends_on < current.starts_on:
            raise ValidationError(_("A post cannot end before it starts."))
        current.ends_on = ends_on
        current.save(update_fields=["ends_on"])
        record(
            actor=actor,
            action="staff.post_ended",
            target=current.user,
            details=post_details(current),
            request=request,
            region_code=post_region_code(current),
        )
    return current


def grid_assignment_give(
    *,
    actor: User,
    user: User,
    grid: Region,
    role: str,
    starts_on: datetime.date,
    request: HttpRequest | None = None,
) -> GridAssignment:
    with transaction.atomic():
        if GridAssignment.objects.filter(
            grid=grid, user=user, role=role, ends_on__isnull=True
        ).exists():
            raise ValidationError(_("This person is already assigned to this grid in this role."))
        assignment = region_services.grid_assign(
            actor=actor, grid=grid, user=user, role=role, starts_on=starts_on, request=request
        )
    return assignment


def grid_assignment_end(
    *,
    actor: User,
    assignment: GridAssignment,
    ends_on: datetime.date,
    request: HttpRequest | None = None,
) -> GridAssignment:
    with transaction.atomic():
        current = GridAssignment.objects.select_for_update().get(pk=assignment.pk)
        if current.ends_on is not None:
            raise EditConflict(_("This assignment has already been ended. Please reload the page."))
        if ends_on < current.starts_on:
            raise ValidationError(_("An assignment cannot end before it starts."))
        current.ends_on = ends_on
        current.save(update_fields=["ends_on"])
        record(
            actor=actor,
            action="staff.grid_assignment_ended",
            target=current.user,
            details={"grid": current.grid_id, "role": current.role, "ends_on": str(ends_on)},
            request=request,
            region_code=str(current.grid_id),
        )
    return current


def department_fingerprint(department: Department) -> str:
    """What the edit form saw, to tell a concurrent change from one's own."""
    seen = f"{department.name}\n{','.join(department.category_codes)}"
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def department_update(
    *,
    actor: User,
    department: Department,
    name: str,
    category_codes: Sequence[str],
    seen: str,
    request: HttpRequest | None = None,
) -> Department:
    codes = sorted(set(category_codes))
    bad = [code for code in codes if not CATEGORY_CODE.match(code)]
    if bad:
        raise ValidationError(
            _("Category codes are letters and digits, up to 10: %(codes)s is not.")
            % {"codes": ", ".join(bad)}
        )
    with transaction.atomic():
        current = Department.objects.select_for_update().get(pk=department.pk)
        if department_fingerprint(current) != seen:
            raise EditConflict(
                _("Someone else changed this department meanwhile. Please reload and redo it.")
            )
        before = {"name": current.name, "category_codes": current.category_codes}
        current.name = name
        current.category_codes = codes
        current.full_clean()
        current.save(update_fields=["name", "category_codes"])
        record(
            actor=actor,
            action="staff.department_changed",
            target=current,
            details={"before": before, "after": {"name": name, "category_codes": codes}},
            request=request,
            region_code=str(current.region_id),
        )
    return current


def password_set(
    *, actor: User, user: User, password: str, request: HttpRequest | None = None
) -> None:
    if actor.pk == user.pk:
        raise PostRefused("own password: use the change-password page")
    with transaction.atomic():
        account_services.password_set_by_administrator(actor=actor, user=user, password=password)
        record(actor=actor, action="staff.password_set", target=user, request=request)


@dataclass(frozen=True)
class CreatedAccount:
    username: str
    name: str
    password: str


def staff_import(
    *,
    actor: User,
    rows: Sequence[Any],
    problems: Sequence[ImportProblem] = (),
    request: HttpRequest | None = None,
) -> list[CreatedAccount]:
    """Create the accounts, posts and grid assignments of a read sheet (`importers.StaffRow`),
    all or nothing: any row that names an existing account, an unknown or unreachable unit,
    or a post the actor may not give fails the whole import, each such row named. A refused
    import is recorded with its problems (an unreachable unit may be a probe)."""
    try:
        return staff_rows_create(actor=actor, rows=rows, problems=problems, request=request)
    except ImportFailed as failure:
        staff_import_refused_record(actor=actor, problems=failure.problems, request=request)
        raise


def staff_import_refused_record(
    *, actor: User, problems: Sequence[ImportProblem], request: HttpRequest | None
) -> None:
    record(
        actor=actor,
        action="staff.import_refused",
        details={"problems": [str(problem) for problem in problems[:20]], "count": len(problems)},
        request=request,
    )


def staff_rows_create(
    *,
    actor: User,
    rows: Sequence[Any],
    problems: Sequence[ImportProblem],
    request: HttpRequest | None,
) -> list[CreatedAccount]:
    units, found = import_units(actor=actor, rows=rows)
    found += import_people_problems(rows)
    if problems or found:
        raise ImportFailed(sorted([*problems, *found], key=lambda problem: problem.line or 0))
    created: dict[str, tuple[User, str]] = {}
    with transaction.atomic():
        for row in rows:
            try:
                import_row(
                    actor=actor, row=row, unit=units[row.line], created=created, request=request
                )
            except ValidationError as error:
                problem = ImportProblem(" ".join(error.messages), line=row.line)
                raise ImportFailed([problem]) from None
        record(
            actor=actor,
            action="staff.imported",
            details={"accounts": len(created), "posts": len(rows)},
            request=request,
        )
    return [
        CreatedAccount(user.username, user.name, password) for user, password in created.values()
    ]


def import_row(
    *,
    actor: User,
    row: Any,
    unit: tuple[Region | None, Department | None],
    created: dict[str, tuple[User, str]],
    request: HttpRequest | None,
) -> None:
    if row.username not in created:
        created[row.username] = user_create(
            actor=actor, username=row.username, name=row.name, mobile=row.mobile, request=request
        )
    user = created[row.username][0]
    region, department = unit
    membership_give(
        actor=actor,
        user=user,
        role=row.role,
        region=region,
        department=department,
        starts_on=row.starts_on,
        request=request,
    )
    if row.grid_role and region is not None:
        grid_assignment_give(
            actor=actor,
            user=user,
            grid=region,
            role=row.grid_role,
            starts_on=row.starts_on,
            request=request,
        )


def import_units(
    *, actor: User, rows: Sequence[Any]
) -> tuple[dict[int, tuple[Region | None, Department | None]], list[Any]]:
    from wangge.staff.access import department_within_reach, region_within_reach

    grantable = grantable_roles(actor)
    units: dict[int, tuple[Region | None, Department | None]] = {}
    problems = []
    for row in rows:
        region = region_within_reach(actor, row.unit) if row.unit.isdigit() else None
        department = None if region else department_within_reach(actor, row.unit)
        if region is None and department is None:
            message = _("Unknown unit, or one outside your reach: %(unit)s.") % {"unit": row.unit}
            problems.append(ImportProblem(message, line=row.line, column="单位代码"))
            continue
        if row.role not in grantable:
            message = _("You may not give this post.")
            problems.append(ImportProblem(message, line=row.line, column="岗位"))
            continue
        try:
            post_unit_check(role=row.role, region=region, department=department)
        except ValidationError as error:
            problems.append(ImportProblem(" ".join(error.messages), line=row.line, column="岗位"))
            continue
        if row.grid_role and (region is None or region.level != Level.GRID):
            message = _("A grid role needs a grid as the unit.")
            problems.append(ImportProblem(message, line=row.line, column="网格角色"))
            continue
        units[row.line] = (region, department)
    return units, problems


def import_people_problems(rows: Sequence[Any]) -> list[Any]:
    problems = []
    names: dict[str, str] = {}
    existing = set(
        User.objects.filter(username__in={row.username for row in rows}).values_list(
            "username", flat=True
        )
    )
    for row in rows:
        if row.username in existing:
            message = _("An account with this user name exists already.")
            problems.append(ImportProblem(message, line=row.line, column="用户名"))
        elif names.setdefault(row.username, row.name) != row.name:
            message = _("The same user name with another name on an earlier row.")
            problems.append(ImportProblem(message, line=row.line, column="姓名"))
    return problems
