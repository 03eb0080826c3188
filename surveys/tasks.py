from celery import shared_task

from . import publishing


@shared_task(acks_late=True)
def publish_findings(publication_id: int) -> None:
    """Audit and publish the findings a publishing run asks for; safe to run twice (a run
    is claimed before it is checked)."""
    publishing.findings_check(publication_id)
