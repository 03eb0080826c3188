"""Demo data for ``seed_demo``: example recommendations, each marked as an example wherever
it is shown, resting on the demo consultation's published themes and on the roadmap, and
delivered by its activities (all 16 of the source roadmap are linked), with the evidence
library's four documents as example entries."""

import datetime

from consultation.models import Consultation
from milestones.models import Activity
from reporting.releases import current_release

from . import figures, services
from .models import Document, DocumentKind, EvidenceKind, Recommendation, Status

DOCUMENTS = [
    (
        "data-analysis",
        DocumentKind.DATA_ANALYSIS,
        "Diversity in Tech: data analysis",
        datetime.date(2021, 1, 1),
        "Where Hackney's STEM economic opportunity lies: digital tech is the most relevant "
        "sub-sector, and who in the borough works in it today.",
    ),
    (
        "literature-review",
        DocumentKind.LITERATURE_REVIEW,
        "Diversity in Tech: literature review",
        datetime.date(2021, 6, 1),
        "What is known about demand for digital tech skills, and about participation and "
        "representation in digital tech skills and employment.",
    ),
    (
        "cabinet-paper",
        DocumentKind.CABINET_PAPER,
        "Diversity in Tech commission: Cabinet paper",
        datetime.date(2021, 7, 1),
        "The case for the commission, its scope and how it would work, as agreed by Cabinet.",
    ),
    (
        "launch-event-breaking-the-barriers",
        DocumentKind.REPORT,
        "Breaking the Barriers: the Diversity in Tech report and recommendations",
        datetime.date(2022, 11, 1),
        "What residents and employers told the commission, and what it recommends.",
    ),
]

# (number, title, text, owner, status, reason, target, themes, evidence activities, actions)
RECOMMENDATIONS = [
    (
        1,
        "Run digital skills courses at times that fit around work and caring",
        "Offer the borough's digital skills courses in the evenings, at weekends and in "
        "short blocks, with childcare support, so that residents in work or caring can "
        "take part.",
        "Employment and Skills, with JSFL",
        Status.IN_PROGRESS,
        "",
        datetime.date(2025, 3, 1),
        ["Courses at times that fit around work and caring"],
        ["community-consultation", "literature-review", "inaugural-advisory-group-meeting"],
        ["enhanced-digital-tech-skills-and-training-offer", "london-tech-week-event-2024"],
    ),
    (
        2,
        "Lend laptops and connect residents who are learning",
        "Lend a laptop and a connection to every resident on a council-funded digital "
        "course who has neither, for the length of the course.",
        "Libraries and ICT",
        Status.ACCEPTED,
        "",
        datetime.date(2025, 9, 1),
        ["A computer and getting online"],
        ["data-analysis", "advisory-group-meeting-2022-04"],
        ["enhanced-digital-tech-skills-and-training-offer"],
    ),
    (
        3,
        "Showcase local employers' entry-level roles and apprenticeships",
        "Bring local employers and residents together at showcase events where employers "
        "show their entry-level roles and apprenticeships and how to apply.",
        "Economic Development, with Here East",
        Status.DONE,
        "",
        datetime.date(2023, 6, 1),
        [],
        ["employer-survey", "roundtable-discussion", "advisory-group-meeting-2022-06"],
        ["launch-event-breaking-the-barriers", "london-tech-week-event-2023"],
    ),
    (
        4,
        "Ask employers to pledge to inclusive recruitment",
        "Ask employers in the borough to pledge to inclusive recruitment: plainer job "
        "adverts, entry-level roles without degree requirements, and diverse interview "
        "panels.",
        "Economic Development, with partners",
        Status.IN_PROGRESS,
        "",
        datetime.date(2025, 11, 1),
        [],
        ["cabinet-paper", "advisory-group-meeting-2022-10"],
        ["anti-racist-summit-2023-partnerships-day"],
    ),
    (
        5,
        "Pay residents for work placements in digital tech",
        "Fund paid work placements in digital tech teams for residents under-represented in them.",
        "Employment and Skills",
        Status.NOT_TAKEN_FORWARD,
        "No funding was found for paid placements. The skills offer includes unpaid work "
        "experience with travel and lunch paid, which partners could fund instead.",
        None,
        ["Courses at times that fit around work and caring"],
        ["advisory-group-meeting-2022-11"],
        [],
    ),
    (
        6,
        "Peer mentoring for residents starting out in digital tech",
        "Match residents starting out with peers a step or two ahead of them, through "
        "community organisations.",
        "LIFT, with the Women's Digital Leaders Network",
        Status.PROPOSED,
        "",
        None,
        [],
        [],
        [],
    ),
]


def _documents(activities) -> dict[str, Document]:
    found = {}
    for slug, kind, title, day, summary in DOCUMENTS:
        document = Document.objects.filter(title=title).first() or services.document_save(
            title=title,
            kind=kind,
            published_on=day,
            published_precision="month",
            summary=summary,
            url=f"https://example.org/diversity-in-tech/{slug}",
            activity=activities.get(slug),
            is_published=True,
            is_example=True,
        )
        found[slug] = document
    return found


def _theme_figures(consultation):
    """theme name → (release, table, row key) of the theme in the published findings."""
    release = current_release(consultation) if consultation else None
    if release is None:
        return {}
    found = {}
    for figure in figures.rows_of(release):
        if figure.table.startswith("themes|"):
            found.setdefault(figure.label, (release, figure.table, figure.row_key))
    return found


def seed() -> list[Recommendation]:
    """Create the example recommendations unless they exist; returns them."""
    activities = {a.slug: a for a in Activity.objects.all()}
    documents = _documents(activities)
    themes = _theme_figures(Consultation.objects.filter(slug="demo-sample-answers").first())
    made = []
    for (
        number,
        title,
        text,
        owner,
        status,
        reason,
        target,
        theme_names,
        evidence,
        actions,
    ) in RECOMMENDATIONS:
        found = Recommendation.objects.filter(number=number).first()
        if found is not None:
            made.append(found)
            continue
        recommendation = services.recommendation_save(
            number=number,
            title=title,
            text=text,
            owner=owner,
            target_on=target,
            target_precision="month",
            is_example=True,
        )
        for name in theme_names:
            if name in themes:
                release, table, key = themes[name]
                services.evidence_add(
                    recommendation=recommendation,
                    kind=EvidenceKind.FIGURE,
                    release_id=release.pk,
                    table=table,
                    row_key=key,
                    note="Residents raised this in their own words.",
                )
        for slug in evidence:
            if slug in activities:
                services.evidence_add(
                    recommendation=recommendation,
                    kind=EvidenceKind.ACTIVITY,
                    activity=activities[slug],
                )
        if number == 1:
            services.evidence_add(
                recommendation=recommendation,
                kind=EvidenceKind.DOCUMENT,
                document=documents["launch-event-breaking-the-barriers"],
            )
        for slug in actions:
            if slug in activities:
                services.action_add(recommendation=recommendation, activity=activities[slug])
        services.recommendation_publish(recommendation=recommendation)
        if status != Status.PROPOSED:
            services.progress_post(
                recommendation=recommendation,
                status=status,
                status_reason=reason,
                text="An example update: the commission agreed its response.",
                written_on=datetime.date(2022, 12, 1),
            )
        made.append(recommendation)
    return made
