from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # What replaces an account's access stamp; receivers use the models, which exist
        # only once the registry is ready.
        from . import signals

        signals.connect()
