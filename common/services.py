"""Helpers every app's services use for the same steps."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def check_editable(fields: dict, editable: Iterable[str]) -> None:
    """Refuse, as a programming error, any field a service does not let its callers change."""
    unknown = set(fields) - set(editable)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")


def model_update(instance: M, fields: dict, *, editable: Iterable[str], save=True) -> M:
    """Set ``fields`` on ``instance`` (only those in ``editable``) and validate it
    (``full_clean``, so a bad value is a ValidationError for the form); then save it, unless
    the caller saves it itself with other writes in one transaction."""
    check_editable(fields, editable)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    if save:
        instance.save()
    return instance
