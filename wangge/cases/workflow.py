"""The case workflow as data: `(status, action) → (new status, who may)`, plus named guards.

Sources and how sure they are:

- The seven steps 信息收集 → 案卷建立 → 任务派遣 → 任务处理 → 处理反馈 →
  核查结案 → 综合评价, cancelling (注销) of reports that do not qualify, and rework (返工)
  after a failed check: domain-facts §3.1 [S: a county's implementing rules]. Step 7
  (综合评价) scores regions, units and posts from the timeline (§3.2) in the statistics;
  per case it is the reporter's rating, the only row here.
- Acceptance (受理/签收), send back (回退), extension with an approve/refuse decision (申请延期,
  0 agreed / 1 refused), yellow/red supervision and its cancelling: the Tianque workflow,
  domain-facts §3.3 [C: what a real system does, not a standard].
- A unit sent a matter it does not own must object within a limit: 信访工作条例 art. 23 (5
  working days) [V]; the limit for other kinds is set per category (deadlines.py).
- The 12345 variant (answer directly from the knowledge base; a return visit that records
  the caller's satisfaction): domain-facts §3.4 [S].
- Extension at most once per task unless an administrator allows more, suspension and
  reopening within N days: the issue's rules; the 7-day reopening window is [R].
- Listing (挂牌) and delisting (销号) on closing: local practice only, no written definition
  found (domain-facts §9) [R].

A kind extends a workflow by adding rows (and, rarely, removing some) with
`Workflow.extended`; rows name their guards, so an extra step needs no new code.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    REPORTED = "reported"  # 信息收集: waiting for the check
    REGISTERED = "registered"  # 案卷建立: a case, waiting for dispatch
    DISPATCHED = "dispatched"  # 任务派遣: sent to the units, waiting for the lead to accept
    HANDLING = "handling"  # 任务处理
    SUSPENDED = "suspended"  # clock stopped, with a reason
    SENT_BACK = "sent_back"  # the lead unit says it is not theirs (回退)
    FED_BACK = "fed_back"  # 处理反馈: done, waiting for verification
    CLOSED = "closed"  # 核查结案
    CANCELLED = "cancelled"  # 注销: not a valid report


class Action(StrEnum):
    REPORT = "report"
    REGISTER = "register"
    CANCEL = "cancel"
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    SEND_BACK = "send_back"
    DECLINE_ASSISTANCE = "decline_assistance"
    FEED_BACK = "feed_back"
    VERIFY = "verify"
    REWORK = "rework"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    ALLOW_ANOTHER_EXTENSION = "allow_another_extension"
    SUSPEND = "suspend"
    RESUME = "resume"
    REOPEN = "reopen"
    RATE = "rate"
    SUPERVISE_YELLOW = "supervise_yellow"
    SUPERVISE_RED = "supervise_red"
    CANCEL_SUPERVISION = "cancel_supervision"
    LIST = "list"
    DELIST = "delist"
    COMMENT = "comment"
    ANSWER_DIRECTLY = "answer_directly"
    TRANSFER = "transfer"


class Role(StrEnum):
    """A person's part in one case (not an account role: one person may hold several)."""

    REPORTER = "reporter"
    DISPATCHER = "dispatcher"  # dispatcher of the case's township or district centre
    LEAD_UNIT_HANDLER = "lead_unit_handler"
    ASSISTING_UNIT_HANDLER = "assisting_unit_handler"
    VERIFIER = "verifier"  # 监督员/核查员 who checks the result on site
    LEADER = "leader"
    ADMINISTRATOR = "administrator"
    SYSTEM = "system"  # the periodic sweep that raises supervision when limits pass


class SupervisionLevel(IntEnum):
    """督办 levels, numbered as in Tianque (none −1, normal 1, yellow 100, red 200) so they
    sort and match imports (domain-facts §3.3) [C]."""

    NONE = -1
    NORMAL = 1
    YELLOW = 100
    RED = 200


OPEN = frozenset(
    {
        Status.REGISTERED,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.SUSPENDED,
        Status.SENT_BACK,
        Status.FED_BACK,
    }
)


@dataclass(frozen=True)
class ActionSpec:
    code: str
    label: Promise | str
    needs_reason: bool = False


@dataclass(frozen=True)
class Transition:
    """One row: in `source`, `action` by any of `who` leads to `target` (None: unchanged).
    `source` None is the row that creates a case."""

    source: str | None
    action: str
    target: str | None
    who: frozenset[Role]
    guards: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """How one person stands to one case; built from the database by `cases.access`."""

    reporter: bool = False
    dispatcher: bool = False
    lead_handler: bool = False
    assisting_handler: bool = False
    verifier: bool = False
    leader: bool = False
    administrator: bool = False
    system: bool = False

    @property
    def handles_a_task(self) -> bool:
        return self.lead_handler or self.assisting_handler


@dataclass(frozen=True)
class TaskFacts:
    """The task an action is about: the handler's own, or the one the dispatcher decides."""

    extensions_used: int = 0
    extensions_allowed: int = 1
    extension_pending: bool = False
    send_back_until: datetime | None = None


@dataclass(frozen=True)
class CaseFacts:
    status: str | None
    now: datetime
    supervision: SupervisionLevel = SupervisionLevel.NONE
    listed: bool = False
    rated: bool = False
    closed_at: datetime | None = None
    task: TaskFacts | None = None


class WorkflowError(Exception):
    """An action refused: `code` for machines (API error shape), `message` for people."""

    def __init__(self, code: str, message: Promise | str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True)
class Workflow:
    name: str
    statuses: Mapping[str, Promise | str]
    actions: Mapping[str, ActionSpec]
    transitions: Mapping[tuple[str | None, str], Transition]
    reopen_days: int = 7
    # Actions whose step writes a domain record too (a dispute's outcome, a petition's
    # acceptance notice): taken only through that record's service, never on the case page.
    reserved: frozenset[str] = frozenset()

    def extended(
        self,
        name: str,
        *,
        statuses: Mapping[str, Promise | str] = MappingProxyType({}),
        actions: Iterable[ActionSpec] = (),
        rows: Iterable[Transition] = (),
        removed: Iterable[tuple[str | None, str]] = (),
        reopen_days: int | None = None,
        reserved: Iterable[str] = (),
    ) -> "Workflow":
        """A new workflow: this one's rows, minus `removed`, plus `rows` (a row with the
        same (status, action) replaces this one's); `reserved` adds to this one's."""
        dropped = set(removed)
        transitions = {key: row for key, row in self.transitions.items() if key not in dropped}
        transitions.update(table(rows))
        return build_workflow(
            name,
            statuses={**self.statuses, **statuses},
            actions=[*self.actions.values(), *actions],
            rows=transitions.values(),
            reopen_days=self.reopen_days if reopen_days is None else reopen_days,
            reserved=self.reserved | frozenset(reserved),
        )


def table(rows: Iterable[Transition]) -> dict[tuple[str | None, str], Transition]:
    return {(row.source, row.action): row for row in rows}


def build_workflow(
    name: str,
    *,
    statuses: Mapping[str, Promise | str],
    actions: Iterable[ActionSpec],
    rows: Iterable[Transition],
    reopen_days: int = 7,
    reserved: frozenset[str] = frozenset(),
) -> Workflow:
    """Checks that every row names known statuses, actions and guards, then freezes it."""
    action_specs = {spec.code: spec for spec in actions}
    transitions = table(rows)
    for row in transitions.values():
        for status in (row.source, row.target):
            if status is not None and status not in statuses:
                raise ValueError(f"{name}: unknown status {status!r} in {row}")
        if row.action not in action_specs:
            raise ValueError(f"{name}: unknown action {row.action!r} in {row}")
        unknown_guards = set(row.guards) - GUARDS.keys()
        if unknown_guards:
            raise ValueError(f"{name}: unknown guards {sorted(unknown_guards)} in {row}")
    return Workflow(
        name=name,
        statuses=MappingProxyType(dict(statuses)),
        actions=MappingProxyType(action_specs),
        transitions=MappingProxyType(transitions),
        reopen_days=reopen_days,
        reserved=reserved,
    )


# --- guards: pure checks of the facts, named so rows can refer to them -------------------


@dataclass(frozen=True)
class GuardInput:
    workflow: Workflow
    relation: Relation
    facts: CaseFacts


Guard = Callable[[GuardInput], WorkflowError | None]


def _not_a_handler(given: GuardInput) -> WorkflowError | None:
    if given.relation.handles_a_task:
        return WorkflowError(
            "handler_cannot_verify", _("The handler of a task cannot verify the case.")
        )
    return None


def _extension_available(given: GuardInput) -> WorkflowError | None:
    task = given.facts.task or TaskFacts()
    if task.extension_pending:
        return WorkflowError("extension_pending", _("An extension request is already waiting."))
    if task.extensions_used >= task.extensions_allowed:
        return WorkflowError(
            "extension_limit_reached",
            _("This task has used its extensions; an administrator may allow another."),
        )
    return None


def _extension_pending(given: GuardInput) -> WorkflowError | None:
    if given.facts.task is None or not given.facts.task.extension_pending:
        return WorkflowError("no_extension_pending", _("No extension request is waiting."))
    return None


def _extensions_used_up(given: GuardInput) -> WorkflowError | None:
    task = given.facts.task or TaskFacts()
    if task.extensions_used < task.extensions_allowed:
        return WorkflowError("extensions_left", _("This task may still request an extension."))
    return None


def _send_back_in_time(given: GuardInput) -> WorkflowError | None:
    until = given.facts.task.send_back_until if given.facts.task else None
    if until is not None and given.facts.now > until:
        return WorkflowError(
            "send_back_too_late",
            _("The time to object has passed; the case now counts against your unit."),
        )
    return None


def _reopen_in_time(given: GuardInput) -> WorkflowError | None:
    closed_at = given.facts.closed_at
    window = timedelta(days=given.workflow.reopen_days)
    if closed_at is None or given.facts.now - closed_at > window:
        return WorkflowError(
            "reopen_too_late", _("The case can no longer be reopened; please report it again.")
        )
    return None


def _not_rated(given: GuardInput) -> WorkflowError | None:
    if given.facts.rated:
        return WorkflowError("already_rated", _("The case has already been rated."))
    return None


def _below_yellow(given: GuardInput) -> WorkflowError | None:
    if given.facts.supervision >= SupervisionLevel.YELLOW:
        return WorkflowError("already_supervised", _("The case is already under supervision."))
    return None


def _below_red(given: GuardInput) -> WorkflowError | None:
    if given.facts.supervision >= SupervisionLevel.RED:
        return WorkflowError("already_supervised", _("The case is already under red supervision."))
    return None


def _supervised(given: GuardInput) -> WorkflowError | None:
    if given.facts.supervision <= SupervisionLevel.NONE:
        return WorkflowError("not_supervised", _("The case is not under supervision."))
    return None


def _not_listed(given: GuardInput) -> WorkflowError | None:
    if given.facts.listed:
        return WorkflowError("already_listed", _("The case is already on the list."))
    return None


def _listed(given: GuardInput) -> WorkflowError | None:
    if not given.facts.listed:
        return WorkflowError("not_listed", _("The case is not on the list."))
    return None


GUARDS: Mapping[str, Guard] = MappingProxyType(
    {
        "not_a_handler": _not_a_handler,
        "extension_available": _extension_available,
        "extension_pending": _extension_pending,
        "extensions_used_up": _extensions_used_up,
        "send_back_in_time": _send_back_in_time,
        "reopen_in_time": _reopen_in_time,
        "not_rated": _not_rated,
        "below_yellow": _below_yellow,
        "below_red": _below_red,
        "supervised": _supervised,
        "not_listed": _not_listed,
        "listed": _listed,
    }
)


# --- decisions ---------------------------------------------------------------------------


def roles_of(relation: Relation) -> frozenset[Role]:
    pairs = (
        (relation.reporter, Role.REPORTER),
        (relation.dispatcher, Role.DISPATCHER),
        (relation.lead_handler, Role.LEAD_UNIT_HANDLER),
        (relation.assisting_handler, Role.ASSISTING_UNIT_HANDLER),
        (relation.verifier, Role.VERIFIER),
        (relation.leader, Role.LEADER),
        (relation.administrator, Role.ADMINISTRATOR),
        (relation.system, Role.SYSTEM),
    )
    return frozenset(role for held, role in pairs if held)


def _first_failure(row: Transition, given: GuardInput) -> WorkflowError | None:
    for name in row.guards:
        error = GUARDS[name](given)
        if error is not None:
            return error
    return None


def available_actions(
    workflow: Workflow, *, relation: Relation, facts: CaseFacts
) -> tuple[ActionSpec, ...]:
    """The actions this person may take now, in table order (the page's buttons)."""
    roles = roles_of(relation)
    given = GuardInput(workflow, relation, facts)
    return tuple(
        workflow.actions[row.action]
        for row in workflow.transitions.values()
        if row.source == facts.status and row.who & roles and _first_failure(row, given) is None
    )


def next_status(
    workflow: Workflow,
    action: str,
    *,
    relation: Relation,
    facts: CaseFacts,
    reason: str = "",
) -> str | None:
    """Validates `action` and returns the case's status after it (for creation, the first
    status). Raises `WorkflowError` with the first rule it breaks."""
    spec = workflow.actions.get(action)
    if spec is None:
        raise WorkflowError("unknown_action", _("This action does not exist."))
    row = workflow.transitions.get((facts.status, action))
    if row is None:
        raise WorkflowError("not_allowed_now", _("This action is not possible at this stage."))
    if not row.who & roles_of(relation):
        raise WorkflowError("not_your_action", _("You may not take this action on this case."))
    if spec.needs_reason and not reason.strip():
        raise WorkflowError("reason_required", _("Please give a reason."))
    error = _first_failure(row, GuardInput(workflow, relation, facts))
    if error is not None:
        raise error
    return facts.status if row.target is None else row.target


# --- the tables --------------------------------------------------------------------------

STATUS_LABELS: Mapping[str, Promise | str] = {
    Status.REPORTED: _("Reported"),
    Status.REGISTERED: _("Registered"),
    Status.DISPATCHED: _("Dispatched"),
    Status.HANDLING: _("Being handled"),
    Status.SUSPENDED: _("Suspended"),
    Status.SENT_BACK: _("Sent back"),
    Status.FED_BACK: _("Waiting for verification"),
    Status.CLOSED: _("Closed"),
    Status.CANCELLED: _("Cancelled"),
}

ACTIONS = (
    ActionSpec(Action.REPORT, _("Report")),
    ActionSpec(Action.REGISTER, _("Register")),
    ActionSpec(Action.CANCEL, _("Cancel as not valid"), needs_reason=True),
    ActionSpec(Action.DISPATCH, _("Dispatch")),
    ActionSpec(Action.ACCEPT, _("Accept")),
    ActionSpec(Action.SEND_BACK, _("Send back: not our unit"), needs_reason=True),
    ActionSpec(Action.DECLINE_ASSISTANCE, _("Decline: not our unit"), needs_reason=True),
    ActionSpec(Action.FEED_BACK, _("Report as done"), needs_reason=True),
    ActionSpec(Action.VERIFY, _("Verify and close")),
    ActionSpec(Action.REWORK, _("Send for rework"), needs_reason=True),
    ActionSpec(Action.REQUEST_EXTENSION, _("Request an extension"), needs_reason=True),
    ActionSpec(Action.APPROVE_EXTENSION, _("Approve the extension")),
    ActionSpec(Action.REFUSE_EXTENSION, _("Refuse the extension"), needs_reason=True),
    ActionSpec(Action.ALLOW_ANOTHER_EXTENSION, _("Allow another extension"), needs_reason=True),
    ActionSpec(Action.SUSPEND, _("Suspend"), needs_reason=True),
    ActionSpec(Action.RESUME, _("Resume"), needs_reason=True),
    ActionSpec(Action.REOPEN, _("Reopen"), needs_reason=True),
    ActionSpec(Action.RATE, _("Rate")),
    ActionSpec(Action.SUPERVISE_YELLOW, _("Supervise (yellow)"), needs_reason=True),
    ActionSpec(Action.SUPERVISE_RED, _("Supervise (red)"), needs_reason=True),
    ActionSpec(Action.CANCEL_SUPERVISION, _("Cancel supervision"), needs_reason=True),
    ActionSpec(Action.LIST, _("List for the leaders"), needs_reason=True),
    ActionSpec(Action.DELIST, _("Take off the list")),
    ActionSpec(Action.COMMENT, _("Comment"), needs_reason=True),
    ActionSpec(Action.ANSWER_DIRECTLY, _("Answer directly"), needs_reason=True),
    ActionSpec(Action.TRANSFER, _("Taken over by another unit"), needs_reason=True),
)

HANDLERS = frozenset({Role.LEAD_UNIT_HANDLER, Role.ASSISTING_UNIT_HANDLER})
EVERYONE = frozenset(Role) - {Role.SYSTEM}


def _row(
    source: str | None, action: str, target: str | None, *who: Role, guards: tuple[str, ...] = ()
) -> Transition:
    return Transition(source, action, target, frozenset(who), guards)


STEP_ROWS = (
    _row(None, Action.REPORT, Status.REPORTED, Role.REPORTER, Role.DISPATCHER),
    _row(Status.REPORTED, Action.REGISTER, Status.REGISTERED, Role.DISPATCHER),
    _row(Status.REPORTED, Action.CANCEL, Status.CANCELLED, Role.DISPATCHER),
    _row(Status.REGISTERED, Action.CANCEL, Status.CANCELLED, Role.DISPATCHER),
    _row(Status.REGISTERED, Action.DISPATCH, Status.DISPATCHED, Role.DISPATCHER),
    _row(Status.SENT_BACK, Action.DISPATCH, Status.DISPATCHED, Role.DISPATCHER),
    _row(Status.DISPATCHED, Action.ACCEPT, Status.HANDLING, Role.LEAD_UNIT_HANDLER),
    _row(
        Status.DISPATCHED,
        Action.SEND_BACK,
        Status.SENT_BACK,
        Role.LEAD_UNIT_HANDLER,
        guards=("send_back_in_time",),
    ),
    _row(
        Status.HANDLING,
        Action.SEND_BACK,
        Status.SENT_BACK,
        Role.LEAD_UNIT_HANDLER,
        guards=("send_back_in_time",),
    ),
    _row(Status.HANDLING, Action.FEED_BACK, Status.FED_BACK, Role.LEAD_UNIT_HANDLER),
    _row(Status.HANDLING, Action.SUSPEND, Status.SUSPENDED, Role.DISPATCHER),
    _row(Status.SUSPENDED, Action.RESUME, Status.HANDLING, Role.DISPATCHER),
    _row(Status.FED_BACK, Action.VERIFY, Status.CLOSED, Role.VERIFIER, guards=("not_a_handler",)),
    _row(Status.FED_BACK, Action.REWORK, Status.HANDLING, Role.VERIFIER, guards=("not_a_handler",)),
    _row(
        Status.CLOSED,
        Action.REOPEN,
        Status.REGISTERED,
        Role.VERIFIER,
        Role.REPORTER,
        guards=("reopen_in_time",),
    ),
    _row(Status.CLOSED, Action.RATE, None, Role.REPORTER, guards=("not_rated",)),
)


def _in_each(
    statuses: Iterable[str], action: str, *who: Role, guards: tuple[str, ...] = ()
) -> tuple[Transition, ...]:
    """The same status-keeping row in each of `statuses`."""
    return tuple(_row(status, action, None, *who, guards=guards) for status in sorted(statuses))


TASK_STATUSES = (Status.DISPATCHED, Status.HANDLING)
SIDE_ROWS = (
    *_in_each(
        TASK_STATUSES,
        Action.DECLINE_ASSISTANCE,
        Role.ASSISTING_UNIT_HANDLER,
        guards=("send_back_in_time",),
    ),
    *_in_each(TASK_STATUSES, Action.REQUEST_EXTENSION, *HANDLERS, guards=("extension_available",)),
    *_in_each(
        TASK_STATUSES, Action.APPROVE_EXTENSION, Role.DISPATCHER, guards=("extension_pending",)
    ),
    *_in_each(
        TASK_STATUSES, Action.REFUSE_EXTENSION, Role.DISPATCHER, guards=("extension_pending",)
    ),
    *_in_each(
        TASK_STATUSES,
        Action.ALLOW_ANOTHER_EXTENSION,
        Role.ADMINISTRATOR,
        guards=("extensions_used_up",),
    ),
    *_in_each(OPEN, Action.SUPERVISE_YELLOW, Role.LEADER, Role.SYSTEM, guards=("below_yellow",)),
    *_in_each(OPEN, Action.SUPERVISE_RED, Role.LEADER, Role.SYSTEM, guards=("below_red",)),
    *_in_each(OPEN, Action.CANCEL_SUPERVISION, Role.LEADER, guards=("supervised",)),
    *_in_each(OPEN, Action.LIST, Role.LEADER, guards=("not_listed",)),
    *_in_each([Status.CLOSED, Status.CANCELLED], Action.DELIST, Role.LEADER, guards=("listed",)),
    *_in_each(OPEN | {Status.REPORTED}, Action.COMMENT, *EVERYONE),
)

URBAN_MANAGEMENT = build_workflow(
    "urban_management",
    statuses=STATUS_LABELS,
    actions=ACTIONS,
    rows=(*STEP_ROWS, *SIDE_ROWS),
)


def _checked_by(*who: Role) -> tuple[Transition, ...]:
    """Verify and rework (核查结案 / 返工) by `who` besides the verifier, never by a handler."""
    return tuple(
        _row(Status.FED_BACK, action, target, Role.VERIFIER, *who, guards=("not_a_handler",))
        for action, target in ((Action.VERIFY, Status.CLOSED), (Action.REWORK, Status.HANDLING))
    )


# 12345 (domain-facts §3.4 [S]): the operator may answer from the knowledge base and close at
# once; the return visit (回访) to the caller is the verification, and the operator records the
# caller's satisfaction, so the dispatcher (operator) verifies and rates as well.
HOTLINE = URBAN_MANAGEMENT.extended(
    "hotline",
    rows=(
        _row(Status.REGISTERED, Action.ANSWER_DIRECTLY, Status.CLOSED, Role.DISPATCHER),
        *_checked_by(Role.DISPATCHER),
        _row(
            Status.CLOSED, Action.RATE, None, Role.REPORTER, Role.DISPATCHER, guards=("not_rated",)
        ),
    ),
)

# Disputes (domain-facts §6.2, §6.3): the township checks a mediation's result (its
# dispatcher and its leaders verify as well as the verifier), and a dispute moves
# between people's, administrative and judicial mediation (三调联动) when the receiving body
# takes it over (`transfer`, recorded as the receiving unit's handler's act and vouched for by
# the mediation service, which checks the acceptance).
MEDIATION = URBAN_MANAGEMENT.extended(
    "mediation",
    rows=(
        *_checked_by(Role.DISPATCHER, Role.LEADER),
        # Only through the mediation service, which records the receiving body's acceptance
        # and vouches for it: never a button on the case page.
        _row(Status.HANDLING, Action.TRANSFER, Status.HANDLING, Role.SYSTEM),
    ),
    # The outcome (agreement, or where the parties were guided) is recorded with it.
    reserved=(Action.FEED_BACK,),
)

# Petitions (domain-facts §6.4 [V]): the petitions office (信访部门) registers and routes, and
# closes the matter once the handling body's written opinion (处理意见书) is out: it verifies.
# The petitioner's review (复查) and re-review (复核) are new cases linked to this one.
PETITION = URBAN_MANAGEMENT.extended(
    "petition",
    rows=_checked_by(Role.DISPATCHER),
    removed=((Status.CLOSED, Action.REOPEN), (Status.CLOSED, Action.RATE)),
    # The acceptance notice, the written opinion, the extension notice and the office's
    # closing are recorded on the petition with them.
    reserved=(Action.ACCEPT, Action.FEED_BACK, Action.APPROVE_EXTENSION, Action.VERIFY),
)

WORKFLOWS: Mapping[str, Workflow] = MappingProxyType(
    {workflow.name: workflow for workflow in (URBAN_MANAGEMENT, HOTLINE, MEDIATION, PETITION)}
)

# The workflow a new case of a category kind runs (others: urban management, or the hotline's
# when it came through 12345).
WORKFLOW_OF_KIND: Mapping[str, str] = MappingProxyType(
    {"dispute": MEDIATION.name, "petition": PETITION.name}
)
