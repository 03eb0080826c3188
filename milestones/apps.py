from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = _("Roadmap")

    def ready(self):
        # Signal handlers use the models, which exist only once the registry is ready.
        from . import signals

        signals.connect()
