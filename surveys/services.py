"""Writes a consultation and an employer survey share."""

from django.db import transaction
from django.utils.text import slugify

from common.services import check_editable
from common.slugs import free_slug

from .models import SETTINGS_FIELDS, AnswerOption, Questionnaire


def questionnaire_create(
    model: type[Questionnaire],
    *,
    option_model: type[AnswerOption],
    lists: dict[str, list[str]],
    title: str,
    slug: str = "",
    **settings,
) -> Questionnaire:
    """Save a new questionnaire (its ``SETTINGS_FIELDS``; unless given, the slug made from
    the title, suffixed where another questionnaire or another page has it) with its
    starting answer lists (``lists``: the labels for each question), which staff can then
    edit."""
    check_editable(settings, SETTINGS_FIELDS)
    if not slug:  # from the title, made unique and kept off other pages' addresses
        base = slugify(title)[:190] or model._meta.model_name.replace("_", "-")
        taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug = free_slug(base, taken, model.slug_pages)
    questionnaire = model(title=title, slug=slug, **settings)
    questionnaire.full_clean()
    with transaction.atomic():
        questionnaire.save()
        option_model.objects.bulk_create(
            option_model(
                **{option_model.questionnaire_field: questionnaire},
                kind=kind,
                label=label,
                position=position,
            )
            for kind, labels in lists.items()
            for position, label in enumerate(labels)
        )
    return questionnaire


def option_save(
    *,
    questionnaire: Questionnaire,
    option_model: type[AnswerOption],
    kind: str,
    label: str,
    option: AnswerOption | None = None,
    is_active: bool = True,
    position: int | None = None,
) -> AnswerOption:
    """Add an answer to one of the lists (at its end), or rename, reorder or retire one."""
    parent = option_model.questionnaire_field
    option = option or option_model(**{parent: questionnaire}, kind=kind)
    option.label = label.strip()
    option.is_active = is_active
    if position is not None:
        option.position = position
    elif option.pk is None:
        last = (
            option_model.objects.filter(**{parent: questionnaire}, kind=kind)
            .order_by("-position")
            .first()
        )
        option.position = last.position + 1 if last else 0
    option.full_clean()
    with transaction.atomic():  # with whatever the save moves on (consultation/signals.py)
        option.save()
    return option
