from django.core.management.base import BaseCommand

from notifications import reminders


class Command(BaseCommand):
    help = (
        "Send every reminder, update and cancellation that is due, in this process: the "
        "same dispatch Celery beat runs, for deployments without a broker (run from cron "
        "every few minutes). Safe to run at the same time as another copy."
    )

    def handle(self, *args, **options):
        report = reminders.dispatch(enqueue=reminders.deliver)
        self.stdout.write(
            f"Reminders: {report.sent} sent, {report.failed} failed for good, "
            f"{report.queued - report.sent - report.failed} not sent now "
            "(not needed, or waiting to retry)."
        )
