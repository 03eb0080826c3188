from django.core.management.base import BaseCommand

from notifications import outbox


class Command(BaseCommand):
    help = (
        "Send every email that is due, in this process: the reminders, updates and "
        "cancellations the scan finds, and any message still waiting. The same round Celery "
        "beat runs, for deployments without a broker (run from cron every few minutes). "
        "Safe to run at the same time as another copy."
    )

    def handle(self, *args, **options):
        report = outbox.dispatch(enqueue=outbox.deliver)
        self.stdout.write(
            f"Emails: {report.sent} sent, {report.failed} failed for good, "
            f"{report.queued - report.sent - report.failed} not sent now "
            "(not needed, or waiting to retry)."
        )
