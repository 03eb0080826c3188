from django.core.management.base import BaseCommand

from milestones.services import roadmap_load


class Command(BaseCommand):
    help = (
        "Load the commission roadmap (every activity, bullet point and partner). Safe to run "
        "again: what is already there, including staff edits, is left as it is."
    )

    def handle(self, *args, **options):
        report = roadmap_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Roadmap: {report.activities_created} activities added, "
                f"{report.activities_kept} already present and left as they are "
                f"({report.workstreams_created} workstreams and "
                f"{report.partners_created} partners added)."
            )
        )
