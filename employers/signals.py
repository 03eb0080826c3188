"""Every change to what a survey's staff results count (a submitted answer with its ranked
skills and chosen options, the employer who gave one, the survey's lists) moves that
survey's ``figures_version`` on, whoever makes it: the survey pages, the staff pages, the
admin and its inlines, an erasure.

An answer's skills and options are written in the same transaction as the answer itself is
saved (``services._write``, the admin's inlines), so its save is what moves the version on;
a draft's changes count for nothing until it is submitted, and a new employer, with no
answers yet, for nothing at all."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import Employer, EmployerResponse, ResponseStatus, Skill, Survey, SurveyOption


def figures_changed(*surveys) -> None:
    Survey.objects.filter(pk__in=surveys).update(figures_version=F("figures_version") + 1)


def _answer_changed(sender, instance, **kwargs):
    if instance.status == ResponseStatus.SUBMITTED:
        figures_changed(instance.survey_id)


def _list_changed(sender, instance, **kwargs):
    figures_changed(instance.survey_id)


def _employer_changed(sender, instance, created=False, **kwargs):
    if not created:
        answered = instance.responses.filter(status=ResponseStatus.SUBMITTED)
        figures_changed(*answered.values_list("survey_id", flat=True))


def connect() -> None:
    for model, receiver in (
        (EmployerResponse, _answer_changed),
        (Skill, _list_changed),
        (SurveyOption, _list_changed),
    ):
        name = model.__name__
        post_save.connect(receiver, sender=model, dispatch_uid=f"figures-saved-{name}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"figures-deleted-{name}")
    # An employer with answers cannot be deleted (they protect it): only a change counts.
    post_save.connect(_employer_changed, sender=Employer, dispatch_uid="figures-employer")
