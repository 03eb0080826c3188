"""What the employer survey publishes (registered with ``surveys.publishing``)."""

from surveys.publishing import publishes

from . import selectors
from .models import Survey


@publishes(Survey)
def findings(survey: Survey):
    """The breakdowns by sector and size band, and the skills ranking."""
    return selectors.publishable_tables(survey=survey)
