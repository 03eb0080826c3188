"""Reads for the pages that gather several apps: the staff dashboard."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import roles
from accounts.access import passes_staff_rule
from consultation import selectors as consultation_selectors
from employers import selectors as employer_selectors
from milestones import selectors as roadmap_selectors
from network import selectors as network_selectors
from notifications import selectors as email_selectors
from recommendations import selectors as recommendation_selectors

# What doing each task takes: the rule of the page where it is done, so that the
# dashboard shows a role only what it may act on.
NETWORK = {"roles_allowed": (roles.NETWORK_COORDINATORS,)}
CODE_ANSWERS = {"perm": "consultation.change_response"}
PUBLISH_CONSULTATION_FINDINGS = {"perm": "consultation.change_consultation"}
FOLLOW_UP_INVITATIONS = {"perm": "employers.change_invitation"}
PUBLISH_SURVEY_FINDINGS = {"perm": "employers.change_survey"}
WRITE_MINUTES = {"perm": "milestones.change_advisorymeeting"}
MANAGE_RECOMMENDATIONS = {"perm": "recommendations.change_recommendation"}

SOON_DAYS = 7  # invitations "about to expire": within a week


@dataclass
class Task:
    """Something staff have to do: how many there are, and the page where it is done.
    ``hint`` names what it is about (which consultation, say) when the area has several."""

    key: str
    label: str
    count: int
    url: str
    hint: str = ""
    urgent: bool = False


@dataclass
class Area:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(task.count for task in self.tasks)


def _one_or_list(rows, one_url, list_url) -> str:
    """The page of the one thing to do, if there is only one; else the list of them."""
    return one_url(rows[0]) if len(rows) == 1 else list_url


def staff_dashboard(user, *, now=None) -> list[Area]:
    """What needs doing, by area, with counts and links, for what ``user``'s role may act
    on: each area only for the roles whose pages do it. One query per kind of task, however
    many there are (a consultation, survey or cohort more adds a row, not a query)."""
    now = now or timezone.now()

    def may(rule) -> bool:
        return passes_staff_rule(user, **rule)

    areas = []
    if may(NETWORK):
        areas.append(_network())
    consultations = Area("consultation", _("Consultations"))
    if may(CODE_ANSWERS):
        consultations.tasks += _answers_to_code()
    if may(PUBLISH_CONSULTATION_FINDINGS):
        consultations.tasks.append(_consultation_findings(now))
    if consultations.tasks:
        areas.append(consultations)
    surveys = Area("employers", _("Employer surveys"))
    if may(FOLLOW_UP_INVITATIONS):
        surveys.tasks += _invitations(now)
    if may(PUBLISH_SURVEY_FINDINGS):
        surveys.tasks.append(_survey_findings(now))
    if surveys.tasks:
        areas.append(surveys)
    if may(WRITE_MINUTES):
        areas.append(Area("roadmap", _("Roadmap"), [_minutes(now)]))
    if may(MANAGE_RECOMMENDATIONS):
        areas.append(Area("recommendations", _("Recommendations"), _recommendations()))
    # Every staff role has the email log, showing the emails that role looks after.
    areas.append(Area("email", _("Emails"), [_failed_emails(user)]))
    return areas


def _network() -> Area:
    area = Area("network", _("Women's Digital Leaders Network"))
    area.tasks.append(
        Task(
            "applications",
            _("Applications waiting for a decision"),
            network_selectors.applications_waiting_count(),
            reverse("network:applications"),
        )
    )
    cohorts = list(network_selectors.cohorts_with_places_to_confirm())
    area.tasks += [
        Task(
            "places",
            _("Places to confirm"),
            cohort.to_confirm,
            reverse("network:cohort", args=[cohort.pk]),
            hint=str(cohort),
        )
        for cohort in cohorts
    ] or [Task("places", _("Places to confirm"), 0, reverse("network:cohorts"))]
    return area


def _answers_to_code() -> list[Task]:
    rows = consultation_selectors.answers_to_code()
    return [
        Task(
            "coding",
            _("Free-text answers to code"),
            row.count,
            reverse("consultation_staff:coding", args=[row.slug]),
            hint=row.title,
        )
        for row in rows
    ] or [Task("coding", _("Free-text answers to code"), 0, reverse("consultation_staff:list"))]


def _closed_names(rows) -> str:
    return _("Closed: %(names)s") % {"names": ", ".join(row.title for row in rows)}


def _consultation_findings(now) -> Task:
    rows = list(consultation_selectors.closed_without_findings(now=now))
    return Task(
        "consultation_findings",
        _("Findings to publish for closed consultations"),
        len(rows),
        _one_or_list(
            rows,
            lambda c: reverse("consultation_staff:findings_manage", args=[c.slug]),
            reverse("consultation_staff:list"),
        ),
        hint=_closed_names(rows) if rows else "",
    )


def _invitations(now) -> list[Task]:
    rows = employer_selectors.invitations_to_follow_up(
        now=now, within=datetime.timedelta(days=SOON_DAYS)
    )
    expiring = _("Invitations expiring within %(days)s days") % {"days": SOON_DAYS}
    if not rows:
        url = reverse("employers:staff_list")
        return [
            Task("invitations_not_started", _("Invitations not started"), 0, url),
            Task("invitations_expiring", expiring, 0, url),
        ]
    tasks = []
    for row in rows:
        url = reverse("employers:staff_survey", args=[row.slug])
        tasks.append(
            Task(
                "invitations_not_started",
                _("Invitations not started"),
                row.not_started,
                url,
                hint=row.title,
            )
        )
        tasks.append(
            Task(
                "invitations_expiring",
                expiring,
                row.expiring,
                url,
                hint=row.title,
                urgent=True,
            )
        )
    return tasks


def _survey_findings(now) -> Task:
    rows = list(employer_selectors.closed_without_findings(now=now))
    return Task(
        "survey_findings",
        _("Findings to publish for closed surveys"),
        len(rows),
        _one_or_list(
            rows,
            lambda s: reverse("employers:findings_manage", args=[s.slug]),
            reverse("employers:staff_list"),
        ),
        hint=_closed_names(rows) if rows else "",
    )


def _minutes(now) -> Task:
    rows = list(roadmap_selectors.meetings_without_minutes(now=now))
    return Task(
        "minutes",
        _("Advisory meetings with no minutes"),
        len(rows),
        _one_or_list(
            rows,
            lambda m: reverse("milestones:meeting_minutes", args=[m.pk]),
            reverse("milestones:staff_roadmap"),
        ),
        hint=", ".join(
            f"{m.title} ({date_format(timezone.localtime(m.starts_at), 'j F Y')})" for m in rows
        ),
    )


def _recommendations() -> list[Task]:
    waiting = recommendation_selectors.waiting_for_staff()
    url = reverse("recommendations:staff_list")
    return [
        Task("quotes", _("Quotes to check before they are published"), waiting["quotes"], url),
        Task("drafts", _("Draft recommendations, not yet published"), waiting["drafts"], url),
    ]


def _failed_emails(user) -> Task:
    counts = email_selectors.status_counts(audiences=email_selectors.audiences(user))
    return Task(
        "emails",
        _("Emails that failed"),
        counts["failed"],
        f"{reverse('email_log')}?status=failed",
        urgent=True,
    )
