"""Realistic volumes for the benchmark, written once per database (idempotent: each part is
skipped when the database already holds it at that volume).

Accounts with a role go through the services (``user_create_verified``, ``user_reset_mfa``),
as do the roadmap, the demo consultation and the survey. The bulk — 100,000 consultation
responses, 5,000 employers with their responses, 5,000 members with mentoring preferences —
is written with ``bulk_create``: through the services, row by row with validation, it would
take tens of minutes at this volume. The rows have the shape the services make.
"""

import datetime
import random

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts import roles
from accounts.models import User
from accounts.services import user_create_verified, user_reset_mfa
from bench.consultation_volume import add_responses
from consultation import demo as consultation_demo
from consultation import services as consultation_services
from consultation.models import Consultation, Response
from employers import demo as employer_demo
from employers.models import (
    Apprenticeships,
    Employer,
    EmployerResponse,
    ResponseStatus,
    Sector,
    SizeBand,
    SkillRank,
)
from milestones.models import Activity
from network.models import (
    Discipline,
    Membership,
    MembershipStatus,
    Organisation,
    Seniority,
    Topic,
)
from recommendations import demo as recommendations_demo

RESPONSES = 100_000
EMPLOYERS = 5_000
MEMBERS = 5_000
CONSULTATION_SLUG = "digital-tech-have-your-say"
SURVEY_SLUG = "recruiting-locally"
STAFF_EMAIL = "bench.staff@example.org"
ADMIN_EMAIL = "bench.admin@example.org"
COORDINATOR_EMAIL = "bench.coordinator@example.org"
EMPLOYER_CONTACT_EMAIL = "bench.employer@example.org"
MEMBER_EMAIL = "bench.member{:05d}@example.org"
EMPLOYER_NAME = "Bench Employer {:05d} Ltd"
BATCH = 2000


def log(message):
    print(f"  seed: {message}", flush=True)


def _staff(email, *, groups=(), superuser=False):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create_verified(
            email=email,
            password=None,
            full_name=email.split("@")[0].replace(".", " ").title(),
            groups=groups,
            is_superuser=superuser,
        )
    if not Authenticator.objects.filter(user=user).exists():
        user_reset_mfa(user=user)
    return user


def accounts() -> dict:
    return {
        "staff": _staff(STAFF_EMAIL, groups=(roles.COMMISSION_STAFF,)),
        "coordinator": _staff(COORDINATOR_EMAIL, groups=(roles.NETWORK_COORDINATORS,)),
        "admin": _staff(ADMIN_EMAIL, superuser=True),
        "employer": User.objects.filter(email=EMPLOYER_CONTACT_EMAIL).first()
        or user_create_verified(email=EMPLOYER_CONTACT_EMAIL, password=None),
    }


def consultation() -> Consultation:
    open_one, _closed = consultation_demo.seed(
        activity=Activity.objects.filter(slug="community-consultation").first()
    )
    have = Response.objects.filter(consultation=open_one).count()
    if have >= RESPONSES:
        log(f"consultation already has {have:,} responses: skipped")
    else:
        log(f"adding {RESPONSES - have:,} consultation responses (bulk, with theme codes)")
        add_responses(open_one, RESPONSES - have, seed=have + 1)
    return open_one


def in_yiddish(consultation: Consultation, reviewer) -> None:
    """The demo consultation's shipped Yiddish drafts, reviewed, so its pages are offered
    in Yiddish and the bench can time one (right to left, another script)."""
    for draft in consultation.translations.filter(language="yi", status="draft"):
        if draft.source == draft.english:
            consultation_services.translation_review(translation=draft, reviewed_by=reviewer)


def employers(contact):
    survey, _invitation = employer_demo.seed(
        contact=contact, activity=Activity.objects.filter(slug="employer-survey").first()
    )
    have = Employer.objects.filter(name__startswith="Bench Employer ").count()
    if have >= EMPLOYERS:
        log(f"{have:,} employers already there: skipped")
        return survey
    log(f"adding {EMPLOYERS - have:,} employers with submitted survey responses (bulk)")
    rng = random.Random(7)  # noqa: S311 - reproducible benchmark data
    options = list(survey.options.filter(is_active=True))
    skills = list(survey.skills.filter(is_active=True))
    now = timezone.now()
    for start in range(have, EMPLOYERS, BATCH):
        with transaction.atomic():
            made = Employer.objects.bulk_create(
                Employer(
                    name=EMPLOYER_NAME.format(i),
                    sector=rng.choice(Sector.values),
                    size_band=rng.choice(SizeBand.values),
                    in_borough=rng.random() < 0.6,
                )
                for i in range(start, min(start + BATCH, EMPLOYERS))
            )
            responses = EmployerResponse.objects.bulk_create(
                EmployerResponse(
                    survey=survey,
                    employer=employer,
                    status=ResponseStatus.SUBMITTED,
                    apprenticeships=rng.choice(Apprenticeships.values),
                    entry_level_roles=rng.choice(["", "Junior developer", "Data apprentice"]),
                    contact_name="Bench contact",
                    submitted_at=now - datetime.timedelta(hours=rng.uniform(1, 150)),
                )
                for employer in made
            )
            links, ranks = [], []
            through = EmployerResponse.options.through
            for response in responses:
                for option in rng.sample(options, min(len(options), rng.randint(2, 6))):
                    links.append(through(employerresponse=response, surveyoption=option))
                for rank, skill in enumerate(rng.sample(skills, min(5, len(skills))), 1):
                    ranks.append(SkillRank(response=response, rank=rank, skill=skill))
            through.objects.bulk_create(links, batch_size=BATCH)
            SkillRank.objects.bulk_create(ranks, batch_size=BATCH)
    return survey


def members():
    have = Membership.objects.filter(user__email__startswith="bench.member").count()
    if have >= MEMBERS:
        log(f"{have:,} members already there: skipped")
        return
    log(f"adding {MEMBERS - have:,} approved members with mentoring preferences (bulk)")
    rng = random.Random(11)  # noqa: S311 - reproducible benchmark data
    organisations = list(Organisation.objects.filter(is_member=True))
    topics = list(Topic.objects.all())
    unusable = make_password(None)
    now = timezone.now()
    for start in range(have, MEMBERS, BATCH):
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    email=MEMBER_EMAIL.format(i),
                    full_name=f"Bench Member {i}",
                    password=unusable,
                )
                for i in range(start, min(start + BATCH, MEMBERS))
            )
            made = []
            for user in users:
                seniority = rng.choice(Seniority.values)
                made.append(
                    Membership(
                        user=user,
                        organisation=rng.choice(organisations),
                        status=MembershipStatus.APPROVED,
                        name=user.full_name,
                        role="Digital lead" if seniority > 5 else "Developer",
                        seniority=seniority,
                        discipline=rng.choice(Discipline.values),
                        statement=True,
                        decided_at=now,
                        offers_mentoring=seniority >= 4 and rng.random() < 0.5,
                        seeks_mentoring=seniority <= 6 and rng.random() < 0.4,
                        mentee_capacity=rng.randint(1, 3),
                        prefers_other_organisation=rng.random() < 0.7,
                    )
                )
            made = Membership.objects.bulk_create(made)
            through = Membership.topics.through
            through.objects.bulk_create(
                [
                    through(membership=membership, topic=topic)
                    for membership in made
                    for topic in rng.sample(topics, min(len(topics), rng.randint(1, 3)))
                ],
                batch_size=BATCH,
            )


def seed() -> dict:
    log("migrating")
    call_command("migrate", "--no-input", verbosity=0)
    log("loading the roadmap")
    call_command("load_roadmap", verbosity=0)
    people = accounts()
    open_one = consultation()
    in_yiddish(open_one, people["staff"])
    survey = employers(people["employer"])
    members()
    log("the example recommendations")
    recommendations_demo.seed()
    # Planner statistics, as autovacuum would have gathered long since on a database that
    # grew to this size: without them PostgreSQL plans for empty tables after a bulk load.
    log("analysing")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"accounts": people, "consultation": open_one, "survey": survey}
