"""What the consultation publishes (registered with ``surveys.publishing``)."""

from surveys.publishing import publishes

from . import analysis
from .models import Consultation


@publishes(Consultation)
def findings(consultation: Consultation):
    """Every public breakdown."""
    return analysis.publishable_tables(consultation)
