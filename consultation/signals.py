"""Every change to what the public pages show of a consultation moves the public pages'
revision on (``common.revisions``); they change by themselves as one opens or closes.
Every change to what the questionnaire shows (its own texts, the answer lists, wards and
news topics it offers, and their translations) marks its questions changed, whoever makes
it: the staff pages, the admin and its inlines."""

from django.db.models.signals import post_delete, post_save

from common import kept_pages, revisions

from . import services
from .models import (
    Consultation,
    Contact,
    NewsTopic,
    Option,
    Response,
    ResponseOption,
    ResponseTheme,
    Translation,
    Ward,
)


def _one_changed(sender, instance, **kwargs):
    services.questions_changed(consultation_id=instance.consultation_id)


def _consultation_changed(sender, instance, **kwargs):
    services.questions_changed(consultation_id=instance.pk)


def _every_one_changed(sender, **kwargs):
    services.questions_changed()


def connect() -> None:
    # Residents' answers, their codes and contact details: on no public page (published
    # findings are frozen releases, ``reporting``), and written with every answer sent.
    revisions.watch(
        revisions.PUBLIC, "consultation", except_=(Response, ResponseOption, ResponseTheme, Contact)
    )
    kept_pages.changes_at(Consultation.opens_or_closes_next)
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_one_changed, sender=Option, dispatch_uid=f"questions-option-{name}")
        signal.connect(
            _one_changed, sender=Translation, dispatch_uid=f"questions-translation-{name}"
        )
        signal.connect(_every_one_changed, sender=Ward, dispatch_uid=f"questions-ward-{name}")
        signal.connect(_every_one_changed, sender=NewsTopic, dispatch_uid=f"questions-topic-{name}")
    post_save.connect(
        _consultation_changed, sender=Consultation, dispatch_uid="questions-consultation-saved"
    )
