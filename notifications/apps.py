from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Registers the reminder topics of the outbox, in web processes and workers alike.
        from . import reminders  # noqa: F401
