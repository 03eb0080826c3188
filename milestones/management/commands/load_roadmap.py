from django.core.management.base import BaseCommand

from milestones.services import roadmap_load


class Command(BaseCommand):
    help = (
        "Load the commission roadmap (every activity, bullet point and partner). Safe to run "
        "again: each row is loaded once, so staff edits and deletions are left as they are."
    )

    def handle(self, *args, **options):
        report = roadmap_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Roadmap: {report.activities_created} activities added, "
                f"{report.activities_kept} loaded before and left as staff have them "
                f"({report.workstreams_created} workstreams and "
                f"{report.partners_created} partners added)."
            )
        )
