from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Connects the handler that clears a pending task once it has succeeded, in web
        # processes and workers alike.
        from . import queueing  # noqa: F401
