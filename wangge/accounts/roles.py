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
UNMASK_PERSONAL = "privacy.unmask_personal"
VIEW_REGISTER = (
    "people.view_person",
    "people.view_household",
    "people.view_house",
    "people.view_organisation",
)
KEEP_REGISTER = (
    *VIEW_REGISTER,
    "people.add_person",
    "people.change_person",
    "people.add_household",
    "people.change_household",
    "people.add_house",
    "people.change_house",
    "people.add_organisation",
    "people.change_organisation",
)
VIEW_READS = "privacy.view_reads"
EXPORT_AUDIT = "audit.export_auditentry"
VIEW_STAFF = ("accounts.view_user", "accounts.view_membership", "accounts.view_department")
MANAGE_MEMBERSHIPS = (
    *VIEW_STAFF,
    "accounts.add_user",
    "accounts.change_user",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.change_department",
)

VIEW_CASES = "cases.view_case"
REPORT_CASES = (VIEW_CASES, "cases.report_case")
VERIFY_CASES = "cases.verify_case"
DISPATCH_CASES = (*REPORT_CASES, "cases.dispatch_case")
HANDLE_CASES = (VIEW_CASES, "cases.handle_case")
SUPERVISE_CASES = (VIEW_CASES, "cases.supervise_case")
CASE_STATISTICS = "cases.view_case_statistics"
ADMINISTER_CASES = "cases.administer_cases"

RECORD_DISPUTES = "mediation.record_dispute"
VIEW_DISPUTES = "mediation.view_dispute"
SUBMIT_SCREENING = "mediation.submit_screening"
MEDIATION_STATISTICS = "mediation.view_mediation_statistics"
VIEW_PETITIONS = "petitions.view_petition"
ROUTE_PETITIONS = "petitions.route_petition"
VIEW_LEGAL_AID = "legalaid.view_application"
HANDLE_LEGAL_AID = "legalaid.handle_application"

DEFINE_REPORTS = "reports.define_reportform"
SUBMIT_REPORTS = ("reports.view_submission", "reports.submit_report")
APPROVE_REPORTS = "reports.approve_report"
REPORT_ROLLUPS = "reports.view_report_rollup"
FILE_SPECIAL = ("reports.view_specialreport", "reports.file_specialreport")
ACKNOWLEDGE_SPECIAL = ("reports.view_specialreport", "reports.change_acknowledgement")
WARNINGS = ("reports.view_earlywarning", "reports.acknowledge_warning")

MODERATE_PORTAL = "portal.moderate_portal"
PUBLISH_PORTAL = "portal.publish_portal"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: frozenset(
        {VIEW_REGIONS, *KEEP_REGISTER, UNMASK_PERSONAL, *REPORT_CASES, VERIFY_CASES}
    ),
    Role.GRID_LEADER: frozenset(
        {VIEW_REGIONS, *KEEP_REGISTER, UNMASK_PERSONAL, *REPORT_CASES, VERIFY_CASES}
    ),
    Role.VILLAGE_CADRE: frozenset(
        {
            VIEW_REGIONS,
            *VIEW_REGISTER,
            *REPORT_CASES,
            VIEW_DISPUTES,
            SUBMIT_SCREENING,
            *SUBMIT_REPORTS,
            *FILE_SPECIAL,
        }
    ),
    Role.DISPATCHER: frozenset(
        {
            VIEW_REGIONS,
            *MANAGE_GRID_STAFF,
            *VIEW_STAFF,
            UNMASK_PERSONAL,
            *KEEP_REGISTER,
            "people.export_person",
            "people.merge_person",
            *DISPATCH_CASES,
            CASE_STATISTICS,
            VIEW_DISPUTES,
            SUBMIT_SCREENING,
            MEDIATION_STATISTICS,
            VIEW_PETITIONS,
            VIEW_LEGAL_AID,
            *SUBMIT_REPORTS,
            APPROVE_REPORTS,
            REPORT_ROLLUPS,
            *FILE_SPECIAL,
            *ACKNOWLEDGE_SPECIAL,
            *WARNINGS,
            MODERATE_PORTAL,
            PUBLISH_PORTAL,
        }
    ),
    Role.DEPARTMENT_HANDLER: frozenset({VIEW_REGIONS, *HANDLE_CASES}),
    Role.MEDIATOR: frozenset(
        {
            VIEW_REGIONS,
            *VIEW_REGISTER,
            *REPORT_CASES,
            *HANDLE_CASES,
            RECORD_DISPUTES,
            VIEW_DISPUTES,
            SUBMIT_SCREENING,
        }
    ),
    Role.PETITION_OFFICER: frozenset(
        {VIEW_REGIONS, *VIEW_REGISTER, *REPORT_CASES, VIEW_PETITIONS, ROUTE_PETITIONS}
    ),
    Role.LEGAL_AID_OFFICER: frozenset(
        {VIEW_REGIONS, *VIEW_REGISTER, VIEW_LEGAL_AID, HANDLE_LEGAL_AID}
    ),
    Role.DISTRICT_ADMIN: frozenset(
        {
            VIEW_REGIONS,
            *MANAGE_GRID_STAFF,
            *MANAGE_MEMBERSHIPS,
            UNMASK_PERSONAL,
            *KEEP_REGISTER,
            "people.export_person",
            "people.merge_person",
            *DISPATCH_CASES,
            *SUPERVISE_CASES,
            CASE_STATISTICS,
            ADMINISTER_CASES,
            VIEW_DISPUTES,
            MEDIATION_STATISTICS,
            VIEW_PETITIONS,
            ROUTE_PETITIONS,
            VIEW_LEGAL_AID,
            DEFINE_REPORTS,
            *SUBMIT_REPORTS,
            APPROVE_REPORTS,
            REPORT_ROLLUPS,
            *FILE_SPECIAL,
            *ACKNOWLEDGE_SPECIAL,
            *WARNINGS,
            MODERATE_PORTAL,
            PUBLISH_PORTAL,
        }
    ),
    Role.LEADER: frozenset(
        {
            VIEW_REGIONS,
            *VIEW_REGISTER,
            *SUPERVISE_CASES,
            CASE_STATISTICS,
            VIEW_DISPUTES,
            MEDIATION_STATISTICS,
            VIEW_PETITIONS,
            VIEW_LEGAL_AID,
            REPORT_ROLLUPS,
            *ACKNOWLEDGE_SPECIAL,
            *WARNINGS,
        }
    ),
    Role.AUDITOR: frozenset({VIEW_REGIONS, VIEW_AUDIT, EXPORT_AUDIT, VIEW_READS, CASE_STATISTICS}),
    Role.SYSTEM_ADMIN: frozenset({VIEW_REGIONS, *MANAGE_GRID_STAFF, *MANAGE_MEMBERSHIPS}),
}

CAPABILITY_LABELS = {
    VIEW_REGIONS: _("View regions and grids"),
    "regions.view_gridassignment": _("View grid worker assignments"),
    "regions.add_gridassignment": _("Assign grid workers"),
    "regions.change_gridassignment": _("Change grid worker assignments"),
    VIEW_AUDIT: _("Read the audit log"),
    EXPORT_AUDIT: _("Export the audit log"),
    UNMASK_PERSONAL: _("See personal data in full, for a stated purpose"),
    VIEW_READS: _("See who read a record in full"),
    "people.view_person": _("View people in the register"),
    "people.add_person": _("Register people"),
    "people.change_person": _("Update, move and close records of people"),
    "people.view_household": _("View households"),
    "people.add_household": _("Register households"),
    "people.change_household": _("Update households"),
    "people.view_house": _("View houses"),
    "people.add_house": _("Register houses"),
    "people.change_house": _("Update houses"),
    "people.view_organisation": _("View organisations"),
    "people.add_organisation": _("Register organisations"),
    "people.change_organisation": _("Update organisations"),
    "people.export_person": _("Export lists of people"),
    "people.merge_person": _("Merge duplicate records of people"),
    "accounts.view_user": _("View users"),
    "accounts.view_membership": _("View posts"),
    "accounts.add_user": _("Create user accounts"),
    "accounts.change_user": _("Change user accounts and set passwords"),
    "accounts.add_membership": _("Give posts"),
    "accounts.change_membership": _("Change posts"),
    "accounts.view_department": _("View departments"),
    "accounts.change_department": _("Change departments and the categories they handle"),
    VIEW_CASES: _("View cases"),
    "cases.report_case": _("Report cases"),
    VERIFY_CASES: _("Verify cases on site and close them"),
    "cases.dispatch_case": _("Register and dispatch cases"),
    "cases.handle_case": _("Handle the cases of one's unit"),
    "cases.supervise_case": _("Supervise cases and list them for the leaders"),
    CASE_STATISTICS: _("View case statistics"),
    ADMINISTER_CASES: _("Administer the case engine: calendar, rules, extra extensions"),
    RECORD_DISPUTES: _("Record disputes and mediate them"),
    VIEW_DISPUTES: _("View disputes and their mediation"),
    SUBMIT_SCREENING: _("Submit the dispute screening of one's unit"),
    MEDIATION_STATISTICS: _("View mediation statistics"),
    VIEW_PETITIONS: _("View petitions"),
    ROUTE_PETITIONS: _("Register, route and close petitions"),
    VIEW_LEGAL_AID: _("View legal aid applications"),
    HANDLE_LEGAL_AID: _("Decide and assign legal aid applications"),
    DEFINE_REPORTS: _("Define report forms and sensitive periods"),
    "reports.view_submission": _("View the reports of one's units"),
    "reports.submit_report": _("Submit the reports of one's unit"),
    APPROVE_REPORTS: _("Approve, return and reopen the reports of the units below"),
    REPORT_ROLLUPS: _("View report completeness and roll-ups"),
    "reports.view_specialreport": _("View special major-situation reports"),
    "reports.file_specialreport": _("File special major-situation reports"),
    "reports.change_acknowledgement": _("Acknowledge special reports for one's level"),
    "reports.view_earlywarning": _("View early warnings"),
    "reports.acknowledge_warning": _("Acknowledge early warnings and add notes"),
    MODERATE_PORTAL: _("Moderate residents' requests and comments before they are public"),
    PUBLISH_PORTAL: _("Publish public notices and hearings on the portal"),
}

# Which posts a holder of each role may give to others (no one may give posts to
# themselves). Separation of duties: the district office staffs grids, townships and
# departments; only the system administrator gives administrator and auditor posts.
ROLE_GRANTS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset(
        {
            Role.GRID_WORKER,
            Role.GRID_LEADER,
            Role.VILLAGE_CADRE,
            Role.DISPATCHER,
            Role.DEPARTMENT_HANDLER,
            Role.MEDIATOR,
            Role.PETITION_OFFICER,
            Role.LEGAL_AID_OFFICER,
            Role.LEADER,
        }
    ),
    Role.SYSTEM_ADMIN: frozenset(Role.values),
}
