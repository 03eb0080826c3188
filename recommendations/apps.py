from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations and evidence")

    def ready(self):
        # Registers the links this app adds to the roadmap's, the findings' and the home
        # page (``common.related``), and the outbox topic it sends, in web processes and
        # workers alike.
        from common import revisions
        from common.uploads import files_leave_with_rows

        from . import emails, related  # noqa: F401
        from .models import Document

        files_leave_with_rows(Document)
        revisions.watch(revisions.PUBLIC, "recommendations")
