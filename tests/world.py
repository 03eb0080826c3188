"""A whole portal in use, for the gates that visit every page: the roadmap, an open and a
closed consultation with answers, an employer survey with two invited organisations, the
network with members, a cohort, an event and proposed mentoring pairs, and one person in
each role. Built through the services, as people would build it.

Private words are planted where only some roles may see them (``SECRETS``), so the gates can
check that no page shows them to anyone else.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from consultation import analysis as consultation_analysis
from consultation import demo as consultation_demo
from consultation import services as consultation_services
from consultation.models import OptionKind, Ward
from employers import demo as employer_demo
from employers import emails as employer_emails
from employers import services as employer_services
from employers.models import Employer, Sector, SizeBand
from milestones import services as roadmap_services
from milestones.models import Activity, AdvisoryMember
from network import demo as network_demo
from network import news as network_news
from network import services as network_services
from network.models import Cohort, Discipline, Event, Membership, Organisation, Place
from news import services as news_services
from notifications import calendars, reminders, replies
from notifications.models import Message
from recommendations import demo as recommendations_demo
from recommendations import services as recommendation_services
from reporting.releases import release_publish
from surveys import publishing
from tests.conftest import make_user

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "employer",
    "other_employer",
    "lead",
    "staff",
    "coordinator",
    "admin",
)

# Planted words, and the roles that may see each.
SECRETS = {
    "Resident-free-text-7Q2": {"staff", "admin"},
    "Employer-draft-answer-4K9": {"employer", "staff", "admin"},
    "Member-hidden-bio-8R3": {"member", "coordinator", "admin"},
    "resident.contact.5t1@example.org": {"admin"},
    "Unchecked-quote-3W5": {"staff", "admin"},
    "Draft-recommendation-6P1": {"staff", "admin"},
    # A reflection session's notes: shared with those on the course, or coordinators' own.
    "Shared-session-note-5V4": {"member", "coordinator", "admin"},
    "Coordinator-session-note-2N8": {"coordinator", "admin"},
    "Check-in-note-9J6": {"coordinator", "admin"},  # for the coordinators, not the pair
}


# The smallest file a PDF reader opens: for uploaded papers.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)  # URL name -> kwargs to reverse it with


def build() -> World:
    world = World()
    users = world.users
    users["anonymous"] = None
    users["member"] = make_user("member@example.org")
    users["other_member"] = make_user("other.member@example.org")
    users["employer"] = make_user("employer@example.org")
    users["other_employer"] = make_user("other.employer@example.org")
    users["lead"] = make_user("lead@example.org")  # leads for Hackney (``_network``)
    users["staff"] = make_user("staff@example.org", groups=(roles.COMMISSION_STAFF,), mfa=True)
    users["coordinator"] = make_user(
        "coordinator@example.org", groups=(roles.NETWORK_COORDINATORS,), mfa=True
    )
    users["admin"] = make_user("admin@example.org", superuser=True, mfa=True)

    _roadmap(world)
    _consultation(world)
    _employers(world)
    _recommendations(world)
    _network(world)
    _accounts(world)
    return world


def _roadmap(world):
    roadmap_services.roadmap_load()
    adviser = roadmap_services.advisory_member_save(
        name="Ade Adviser",
        email=world.users["member"].email,
        organisation="Hackney CVS",
    )
    start = (timezone.localtime() + datetime.timedelta(days=21)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting = roadmap_services.meeting_create(
        title="Advisory Group Meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Hackney Town Hall",
        agenda="1. Welcome",
        members=[adviser],
    )
    activity = Activity.objects.get(slug="cabinet-paper")
    for name in ("meeting_detail", "meeting_rsvp", "meeting_edit", "meeting_minutes"):
        world.params[f"milestones:{name}"] = {"pk": meeting.pk}
    world.params["milestones:meeting_cancel"] = {"pk": meeting.pk}
    world.params["milestones:meeting_ics"] = {"pk": meeting.pk}
    paper = roadmap_services.paper_upload(
        meeting=meeting,
        title="Draft terms of reference",
        file=SimpleUploadedFile("terms.pdf", MINIMAL_PDF, content_type="application/pdf"),
    )
    for name in ("paper_download", "paper_remove"):
        world.params[f"milestones:{name}"] = {"pk": meeting.pk, "paper_pk": paper.pk}
    world.params["milestones:meeting_papers"] = {"pk": meeting.pk}
    # The member's calendar address.
    feed = calendars.feed_renew(user=world.users["member"])
    world.params["calendar_feed"] = {"token": feed.rsplit("/", 1)[1].removesuffix(".ics")}
    # The adviser's reply link, as their invitation carries it: the link is the permission.
    world.params["reply"] = {
        "token": replies.token_for(
            Message.objects.get(
                topic=reminders.INVITATION, about_kind="meeting", about_id=meeting.pk
            )
        ),
        "answer": "yes",
    }
    world.params["milestones:activity_detail"] = {"slug": activity.slug}
    world.params["milestones:activity_edit"] = {"slug": activity.slug}
    world.params["milestones:advisory_member_edit"] = {"pk": AdvisoryMember.objects.first().pk}


def _consultation(world):
    open_one, closed = consultation_demo.seed(
        activity=Activity.objects.filter(slug="community-consultation").first()
    )
    response, _ = consultation_services.response_submit(
        consultation=open_one,
        answers={
            "barriers": [str(open_one.options.filter(kind=OptionKind.BARRIER).first().pk)],
            "comments": "Resident-free-text-7Q2: evening courses near Dalston would help.",
        },
        submission_key=uuid.uuid4(),
    )
    contact = consultation_services.contact_add(
        consultation=open_one,
        email="resident.contact.5t1@example.org",
        consent_text="Email me about opportunities.",
    )
    consultation_services.theme_create(consultation=open_one, name="Course times")
    slug = {"slug": open_one.slug}
    for name in ("detail", "privacy", "easy_read", "check", "done"):
        world.params[f"consultation:{name}"] = slug
    for name in (
        "detail",
        "edit",
        "option_add",
        "response_enter",
        "results",
        "coding",
        "theme_add",
        "export_answers",
        "export_answers_dictionary",
        "export_aggregate",
        "export_aggregate_dictionary",
        "findings_manage",
        "translations",
        "capture_sync",
        "capture",
        "capture_worker",
        "capture_manifest",
        "capture_token",
    ):
        world.params[f"consultation_staff:{name}"] = slug
    world.params["consultation_staff:translation_edit"] = {**slug, "language": "tr"}
    for name in ("findings", "findings_figures", "findings_figures_dictionary"):
        world.params[f"consultation:{name}"] = {"slug": closed.slug}
    world.params["consultation:step"] = {**slug, "step_slug": _first_step_slug()}
    world.params["consultation_staff:option_edit"] = {**slug, "pk": open_one.options.first().pk}
    world.params["consultation_staff:code_response"] = {**slug, "reference": response.reference}
    world.params["consultation_staff:ward_edit"] = {"pk": Ward.objects.first().pk}
    for name in ("withdraw_contact", "contact_topics", "unsubscribe"):
        world.params[f"consultation:{name}"] = {"token": contact.token}
    world.consultation = open_one
    # Its texts in every language, reviewed (the demo's shipped drafts, as a fluent speaker
    # would pass them), so the every-page gate walks its pages in each language.
    for row in open_one.translations.all():
        consultation_services.translation_review(translation=row, reviewed_by=world.users["staff"])
    # A release of its answers so far, as if published at an earlier close, so that its
    # findings download (of what is published) has something to give.
    release_publish(
        questionnaire=open_one,
        tables=consultation_analysis.publishable_tables(open_one),
        summary="Interim findings.",
    )


def _first_step_slug():
    from consultation.forms import STEPS

    return STEPS[0].slug


def _employers(world):
    survey, invitation = employer_demo.seed(
        contact=world.users["employer"],
        activity=Activity.objects.filter(slug="employer-survey").first(),
    )
    employer = invitation.employer
    employer_services.response_save_draft(
        survey=survey,
        employer=employer,
        answers={"entry_level_roles": "Employer-draft-answer-4K9 support apprentices"},
    )
    other = employer_services.employer_save(
        name="Other Organisation Ltd",
        sector=Sector.PUBLIC,
        size_band=SizeBand.LARGE,
        in_borough=False,
    )
    other.contacts.add(world.users["other_employer"])
    employer_services.invitation_create(
        survey=survey, employer=other, email=world.users["other_employer"].email, invited_by=None
    )
    slug = {"slug": survey.slug}
    for name in (
        "survey",
        "survey_check",
        "thanks",
        "staff_survey",
        "edit",
        "staff_lists",
        "results",
        "export_responses",
        "export_responses_dictionary",
        "findings_manage",
    ):
        world.params[f"employers:{name}"] = slug
    closed = employer_services.survey_create(
        title="Recruiting locally, last year",
        slug="recruiting-locally-last-year",
        opens_at=timezone.now() - datetime.timedelta(days=400),
        closes_at=timezone.now() - datetime.timedelta(days=300),
        introduction="Last year's survey.",
        privacy_notice="Answers are kept for five years.",
    )
    publishing.findings_publish(questionnaire=closed, summary="What employers told us.")
    for name in ("findings", "findings_figures", "findings_figures_dictionary"):
        world.params[f"employers:{name}"] = {"slug": closed.slug}
    world.params["employers:export_findings"] = {"slug": closed.slug}
    world.params["employers:export_findings_dictionary"] = {"slug": closed.slug}
    world.params["employers:invitation"] = {"token": invitation.token}
    world.params["employers:stop_emails"] = {"token": employer_emails.stop_token(invitation)}
    world.params["employers:findings_announce"] = {"slug": closed.slug}
    world.params["employers:invitation_resend"] = {**slug, "pk": invitation.pk}
    world.params["employers:account_remove"] = {
        **slug,
        "employer_pk": employer.pk,
        "user_pk": world.users["employer"].pk,
    }
    world.params["employers:list_item_edit"] = {
        **slug,
        "kind": "skill",
        "pk": survey.skills.first().pk,
    }
    world.survey, world.employer = survey, employer
    assert Employer.objects.count() == 2


def _network(world):
    request = network_demo.seed(member_user=world.users["member"], lead_user=world.users["lead"])
    membership = world.users["member"].membership
    network_services.profile_update(
        membership=membership, bio="Member-hidden-bio-8R3", show_bio=False
    )
    world.params["network:stop_news"] = {"token": network_news.stop_token(membership)}
    draft = news_services.opportunity_save(
        title="Tech Week showcase stands",
        text="Show your work at Hackney Tech Week.",
        to_residents=True,
        created_by=world.users["staff"],
    )
    for name in ("staff_detail", "staff_edit"):
        world.params[f"news:{name}"] = {"pk": draft.pk}
    other = network_services.membership_apply(
        user=world.users["other_member"],
        organisation=Organisation.objects.get(name="Camden"),
        name="Olu Other",
        role="Data analyst",
        seniority=2,
        discipline=Discipline.DATA,
        statement=True,
    )
    network_services.membership_decide(
        membership=other, approve=True, message="", decided_by=world.users["coordinator"]
    )
    applicant = network_services.membership_apply(
        user=make_user("applicant@example.org"),
        organisation=Organisation.objects.get(name="Islington"),
        name="Ayo Applicant",
        role="Apprentice",
        seniority=1,
        discipline=Discipline.IT,
        statement=True,
    )
    cohort = Cohort.objects.first()
    network_services.place_nominate(cohort=cohort, member=membership)
    place = Place.objects.filter(cohort=cohort).first()
    network_services.session_notes_save(
        session=cohort.sessions.first(),
        agenda="Speaking up in meetings",
        shared_notes="Shared-session-note-5V4",
        coordinator_notes="Coordinator-session-note-2N8",
    )
    event = Event.objects.first()
    network_services.event_rsvp(event=event, member=membership)
    network_services.room_add(event=event, name="Room 1", capacity=20)
    network_services.slot_add(
        event=event,
        starts_at=event.starts_at,
        ends_at=event.starts_at + datetime.timedelta(hours=1),
    )
    network_services.pitch_create(event=event, member=membership, title="Data careers in councils")
    network_services.timetable_build(event=event)
    network_services.timetable_publish(event=event)
    proposed = network_services.matching_run(run_by=world.users["coordinator"])
    mine = next(m for m in proposed if m.mentee_id == membership.pk)
    matches = [m for m in proposed if m.pk != mine.pk]
    assert matches, "the demo network should propose more than the member's mentoring pair"
    network_services.match_confirm(match=mine, decided_by=world.users["coordinator"])
    network_services.match_check_in(
        match=mine, member=membership, how="difficult", note="Check-in-note-9J6"
    )
    world.params["network:event"] = {"slug": event.slug}
    world.params["network:event_ics"] = {"slug": event.slug}
    world.params["network:event_edit"] = {"slug": event.slug}
    world.params["network:event_attendance"] = {"slug": event.slug}
    world.params["network:decide"] = {"pk": applicant.pk}
    world.params["network:cohort"] = {"pk": cohort.pk}
    world.params["network:session"] = {"pk": cohort.sessions.first().pk}
    world.params["network:place_action"] = {"pk": place.pk, "action": "confirm"}
    world.params["network:place_withdraw"] = {"pk": place.pk}
    world.params["network:event_cancel"] = {"slug": event.slug}
    world.params["network:sessions"] = {"slug": event.slug}
    world.params["network:timetable_ics"] = {"slug": event.slug}
    world.params["network:timetable"] = {"slug": event.slug}
    world.params["network:match_action"] = {"pk": matches[0].pk, "action": "confirm"}
    world.params["network:match_reject"] = {"pk": matches[0].pk}
    world.params["network:ask"] = {"pk": cohort.pk}
    world.params["network:organisation_nomination"] = {"pk": request.pk}
    world.params["network:nomination_place"] = {"pk": request.pk}
    world.params["network:nomination_decline"] = {"pk": request.pk}
    world.params["network:session_ics"] = {"pk": cohort.sessions.first().pk}
    world.params["network:pairing"] = {"pk": mine.pk}
    world.params["network:evaluation"] = {"pk": place.pk, "stage": "before"}
    world.params["network:cohort_evaluation"] = {"pk": cohort.pk}
    world.params["network:pairing_end"] = {"pk": mine.pk}
    assert Membership.objects.filter(pk=other.pk).exists()


def _recommendations(world):
    """The example recommendations on the demo consultation's published themes, a draft
    only staff see, an unchecked quote and a document with a file."""
    made = recommendations_demo.seed()
    first = made[0]
    theme_evidence = first.evidence.filter(theme__isnull=False).first()
    recommendation_services.quote_save(
        evidence=theme_evidence,
        response=theme_evidence.theme.responses.first(),
        text="Unchecked-quote-3W5",
    )
    draft = recommendation_services.recommendation_save(
        number=99, title="Draft-recommendation-6P1", text="Not yet public.", owner="Team"
    )
    action = recommendation_services.action_add(
        recommendation=draft, activity=Activity.objects.get(slug="cabinet-paper")
    )
    document = recommendation_services.document_save(
        title="Roundtable notes",
        kind="report",
        published_on=datetime.date(2022, 6, 1),
        published_precision="month",
        summary="What the roundtable proposed.",
        file=SimpleUploadedFile("notes.pdf", MINIMAL_PDF, content_type="application/pdf"),
        is_published=True,
    )
    world.params["recommendations:detail"] = {"slug": first.slug}
    world.params["recommendations:you_said_we_did"] = {"slug": "demo-sample-answers"}
    world.params["recommendations:document_file"] = {"slug": document.slug}
    for name in ("staff_detail", "staff_edit", "staff_evidence"):
        world.params[f"recommendations:{name}"] = {"pk": draft.pk}
    world.params["recommendations:staff_evidence_remove"] = {
        "pk": first.pk,
        "evidence_pk": theme_evidence.pk,
    }
    world.params["recommendations:staff_quotes"] = {
        "pk": first.pk,
        "evidence_pk": theme_evidence.pk,
    }
    world.params["recommendations:staff_action_remove"] = {"pk": draft.pk, "action_pk": action.pk}
    world.params["recommendations:staff_document_edit"] = {"pk": document.pk}
    world.params["api-v1:activity"] = {"slug": "cabinet-paper"}
    world.params["api-v1:recommendation"] = {"slug": first.slug}
    for name in ("findings_detail", "findings_csv"):
        world.params[f"api-v1:{name}"] = {
            "questionnaire": "consultation",
            "slug": "demo-sample-answers",
        }


def _accounts(world):
    """Links from allauth's emails: confirming an address, and resetting a password."""
    someone = make_user("unconfirmed@example.org")
    address = EmailAddress.objects.get(user=someone)
    address.verified = False
    address.save()
    world.params["account_confirm_email"] = {"key": EmailConfirmationHMAC(address).key}
    world.params["account_reset_password_from_key"] = {
        "uidb36": user_pk_to_url_str(someone),
        "key": default_token_generator.make_token(someone),
    }


def first_user_pk() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.order_by("pk").values_list("pk", flat=True).first()
