"""Demo data for trying the portal: an opportunity drafted, for commission staff to check,
test and send to the demo residents who asked for news."""

from consultation.models import NewsTopic

from . import services
from .models import Opportunity


def seed(*, author) -> Opportunity:
    found = Opportunity.objects.filter(title="Free cloud skills course, with Here East").first()
    if found is not None:
        return found
    return services.opportunity_save(
        title="Free cloud skills course, with Here East",
        text=(
            "Twelve weeks of evening classes in cloud computing for Hackney residents, free, "
            "with a guaranteed interview with a local employer at the end. No experience "
            "needed."
        ),
        link="https://example.org/cloud-skills",
        topics=list(NewsTopic.objects.filter(name="Training and courses")),
        to_residents=True,
        created_by=author,
    )
