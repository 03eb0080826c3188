from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        # Registers the outbox topics this app sends and what it publishes, in web
        # processes and workers alike.
        from common import kept_pages, revisions

        from . import emails, publishing, signals  # noqa: F401
        from .models import Employer, EmployerResponse, Invitation, LinkedAccount, SkillRank, Survey

        # Employers, their invitations, accounts and answers: on no public page, and
        # written with every answer. Everything else moves the public pages' revision on.
        revisions.watch(
            revisions.PUBLIC,
            "employers",
            except_=(Employer, Invitation, LinkedAccount, EmployerResponse, SkillRank),
        )
        kept_pages.changes_at(Survey.opens_or_closes_next)
        signals.connect()
