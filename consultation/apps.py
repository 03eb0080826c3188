from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Community consultation")

    def ready(self):
        # Signal handlers use the models, which exist only once the registry is ready; the
        # emails and publishing modules register the outbox topics this app sends and what
        # it publishes, in web processes and workers alike.
        from django.contrib.auth.signals import user_logged_in

        from . import emails, publishing, signals  # noqa: F401
        from .drafts import forget_on_sign_in

        user_logged_in.connect(forget_on_sign_in, dispatch_uid="consultation-forget-drafts")
        signals.connect()
