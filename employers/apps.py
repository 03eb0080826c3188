from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        # Registers the outbox topics this app sends and what it publishes, in web
        # processes and workers alike.
        from . import emails, publishing  # noqa: F401
