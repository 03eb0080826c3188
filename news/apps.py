from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News and opportunities")

    def ready(self):
        # Registers the outbox topics this app sends, in web processes and workers alike.
        from . import emails  # noqa: F401
