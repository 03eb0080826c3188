from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Community consultation")

    def ready(self):
        # Signal handlers use the models, which exist only once the registry is ready.
        from django.contrib.auth.signals import user_logged_in

        from . import signals
        from .drafts import forget_on_sign_in

        user_logged_in.connect(forget_on_sign_in, dispatch_uid="consultation-forget-drafts")
        signals.connect()
