from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Women's Digital Leaders Network")

    def ready(self):
        # Registers the outbox topics this app sends, in web processes and workers alike.
        from . import emails  # noqa: F401
