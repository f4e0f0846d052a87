"""What each role may do: capabilities are Django permissions, granted through roles.

Data, not code paths: a later feature adds its permissions here, and the tests check that
every name refers to a permission that exists.
"""

from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import Role

VIEW_REGIONS = "regions.view_region"
MANAGE_GRID_STAFF = (
    "regions.view_gridassignment",
    "regions.add_gridassignment",
    "regions.change_gridassignment",
)
VIEW_AUDIT = "audit.view_auditentry"
EXPORT_AUDIT = "audit.export_auditentry"
MANAGE_MEMBERSHIPS = (
    "accounts.view_user",
    "accounts.view_membership",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.view_department",
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: frozenset({VIEW_REGIONS}),
    Role.GRID_LEADER: frozenset({VIEW_REGIONS}),
    Role.VILLAGE_CADRE: frozenset({VIEW_REGIONS}),
    Role.DISPATCHER: frozenset({VIEW_REGIONS, *MANAGE_GRID_STAFF}),
    Role.DEPARTMENT_HANDLER: frozenset({VIEW_REGIONS}),
    Role.DISTRICT_ADMIN: frozenset({VIEW_REGIONS, *MANAGE_GRID_STAFF, *MANAGE_MEMBERSHIPS}),
    Role.LEADER: frozenset({VIEW_REGIONS}),
    Role.AUDITOR: frozenset({VIEW_REGIONS, VIEW_AUDIT, EXPORT_AUDIT}),
    Role.SYSTEM_ADMIN: frozenset({VIEW_REGIONS, *MANAGE_MEMBERSHIPS}),
}

CAPABILITY_LABELS = {
    VIEW_REGIONS: _("View regions and grids"),
    "regions.view_gridassignment": _("View grid worker assignments"),
    "regions.add_gridassignment": _("Assign grid workers"),
    "regions.change_gridassignment": _("Change grid worker assignments"),
    VIEW_AUDIT: _("Read the audit log"),
    EXPORT_AUDIT: _("Export the audit log"),
    "accounts.view_user": _("View users"),
    "accounts.view_membership": _("View posts"),
    "accounts.add_membership": _("Give posts"),
    "accounts.change_membership": _("Change posts"),
    "accounts.view_department": _("View departments"),
}
