import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import demo as accounts_demo
from consultation import demo as consultation_demo
from employers import demo as employer_demo
from milestones.models import Activity, AdvisoryMeeting, AdvisoryMember
from milestones.services import meeting_create
from network import demo as network_demo
from news import demo as news_demo
from recommendations import demo as recommendations_demo


class Command(BaseCommand):
    help = (
        "Create demo accounts for every signed-in role, with new passwords (printed), and "
        "MFA already set up for staff, coordinator and admin. For trying the portal only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. Never do this on a real deployment.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords, so it only runs with "
                "DEBUG on. Use --force if you really mean it."
            )
        users, lines = accounts_demo.seed()
        self._demo_meeting(users["member@example.org"])
        network_demo.seed(
            member_user=users["member@example.org"], lead_user=users["lead@example.org"]
        )
        consultations = consultation_demo.seed(
            activity=Activity.objects.filter(slug="community-consultation").first()
        )
        survey, invitation = employer_demo.seed(
            contact=users["employer@example.org"],
            activity=Activity.objects.filter(slug="employer-survey").first(),
        )
        opportunity = news_demo.seed(author=users["staff@example.org"])
        recommendations_demo.seed()
        lines += [
            "",
            f"News: /staff/news/{opportunity.pk}/ (a draft to check, test and send)",
            "Recommendations (examples): /recommendations/; you said, we did: "
            "/consultation/demo-sample-answers/you-said-we-did/",
            "Consultations: " + ", ".join(c.get_absolute_url() for c in consultations),
            f"Employer survey: {survey.get_absolute_url()} (employer@example.org, signed in), "
            f"or the invitation link {invitation.get_absolute_url()}",
        ]

        self.stdout.write(self.style.SUCCESS("Demo accounts (new passwords on every run):"))
        self.stdout.write("\n".join(lines))
        self.stdout.write(
            "Staff, coordinator and admin sign in with their password, then a code from an "
            "authenticator app set up with the secret above, or one of the recovery codes "
            "(each works once)."
        )

    def _demo_meeting(self, member_user):
        """An upcoming advisory group meeting the demo member is invited to, so that the
        roadmap's upcoming events and RSVP can be tried."""
        member, _ = AdvisoryMember.objects.get_or_create(
            email=member_user.email,
            defaults={"name": member_user.full_name, "organisation": "Demo", "user": member_user},
        )
        if AdvisoryMeeting.objects.filter(starts_at__gte=timezone.now()).exists():
            return
        start = (timezone.localtime() + datetime.timedelta(days=21)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        meeting_create(
            title="Advisory Group Meeting",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            location="Hackney Town Hall, Mare Street, London E8 1EA",
            agenda="1. Welcome\n2. Progress on the roadmap\n3. Any other business",
            members=[member],
        )
