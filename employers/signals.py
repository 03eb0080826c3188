"""Every change to what the staff results count (a submitted answer with its ranked skills
and chosen options, the employer who gave it, the lists it answers from) moves every
survey's ``figures_version`` on, whoever makes it: the survey pages, the staff pages, the
admin and its inlines, an erasure. Surveys are few, so all move on together.

An answer's skills and options are written in the same transaction as the answer itself is
saved (``services._write``, the admin's inlines), so its save is what moves the version on;
a draft's changes count for nothing until it is submitted."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import Employer, EmployerResponse, ResponseStatus, Skill, Survey, SurveyOption


def figures_changed(**kwargs) -> None:
    Survey.objects.update(figures_version=F("figures_version") + 1)


def _answer_changed(sender, instance, **kwargs):
    if instance.status == ResponseStatus.SUBMITTED:
        figures_changed()


def connect() -> None:
    for model in (Employer, Skill, SurveyOption):
        name = model.__name__
        post_save.connect(figures_changed, sender=model, dispatch_uid=f"figures-saved-{name}")
        post_delete.connect(figures_changed, sender=model, dispatch_uid=f"figures-deleted-{name}")
    post_save.connect(_answer_changed, sender=EmployerResponse, dispatch_uid="figures-saved")
    post_delete.connect(_answer_changed, sender=EmployerResponse, dispatch_uid="figures-deleted")
