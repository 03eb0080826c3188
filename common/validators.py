"""Validators every app's models and forms share."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# The years anything the portal plans or records can fall in: a typing slip (year 9999, or
# 0001) is refused with a message rather than stored, or overflowing date arithmetic later.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def within_service_years(value: datetime.date | datetime.datetime) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s"),
            code="out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


# Links to online meetings and events: people follow them to join, so they are encrypted.
# Its own code, so a form field's "Enter a valid URL." does not take its message's place.
https_only = URLValidator(
    schemes=["https"], message=_("Enter a full link that starts with https://"), code="https"
)
