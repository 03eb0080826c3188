from django.conf import settings
from django.core.management.base import BaseCommand

from consultation.services import retention_apply


class Command(BaseCommand):
    help = (
        "Delete consultation contact details older than CONTACT_RETENTION_DAYS. "
        "Safe to run as often as you like (for example daily from cron)."
    )

    def handle(self, *args, **options):
        removed = retention_apply()
        noun = "record" if removed == 1 else "records"
        self.stdout.write(
            f"Removed {removed} contact {noun} older than {settings.CONTACT_RETENTION_DAYS} days."
        )
