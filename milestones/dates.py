"""Roadmap dates at the precision they were given: a month ("2020-11") or a day ("2023-11-21")."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Precision


def parse(value: str) -> tuple[datetime.date, str]:
    """``"2020-11"`` -> (1 Nov 2020, month); ``"2023-11-21"`` -> (21 Nov 2023, day)."""
    parts = value.split("-")
    if len(parts) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), Precision.MONTH
    if len(parts) == 3:
        return datetime.date.fromisoformat(value), Precision.DAY
    raise ValueError(f"Not a roadmap date (YYYY-MM or YYYY-MM-DD): {value!r}")


def iso(day: datetime.date, precision: str) -> str:
    """The date as ISO 8601 at its own precision, for ``<time datetime>`` and exports."""
    return day.strftime("%Y-%m") if precision == Precision.MONTH else day.isoformat()


def display(day: datetime.date, precision: str) -> str:
    return date_format(day, "F Y" if precision == Precision.MONTH else "j F Y")


def display_range(activity) -> str:
    """How the activity's dates read: "November 2020 to January 2021", "21 November 2023"."""
    start = display(activity.starts_on, activity.starts_precision)
    if activity.ends_on is None:
        return start
    return range_template().format(
        start=start, end=display(activity.ends_on, activity.ends_precision)
    )


def range_template() -> str:
    """How a date range reads, with ``{start}`` and ``{end}`` placeholders (translatable)."""
    return _("{start} to {end}")
