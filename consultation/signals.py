"""Every change to the answer lists and wards the questionnaire offers marks its questions
changed, whoever makes it: the staff pages, the admin and its inlines."""

from django.db.models.signals import post_delete, post_save

from . import services
from .models import Option, Ward


def _option_changed(sender, instance, **kwargs):
    services.questions_changed(consultation_id=instance.consultation_id)


def _ward_changed(sender, **kwargs):
    services.questions_changed()


def connect() -> None:
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_option_changed, sender=Option, dispatch_uid=f"questions-option-{name}")
        signal.connect(_ward_changed, sender=Ward, dispatch_uid=f"questions-ward-{name}")
