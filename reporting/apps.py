from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        # Models exist only once the registry is ready. A release published or withdrawn
        # changes the public findings; a publication's progress is staff's, and written
        # as it goes.
        from common import revisions

        from .models import Publication

        revisions.watch(revisions.PUBLIC, "reporting", except_=(Publication,))
