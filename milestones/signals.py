"""What the public pages show of the roadmap: every change to it, whoever makes it (the
staff pages, the admin and its inlines, ``load_roadmap``), moves the public pages' revision
on (``common.revisions``); they change by themselves at midnight and as meetings start."""

from common import kept_pages, revisions
from common.uploads import files_leave_with_rows

from . import selectors
from .models import AdvisoryMember, LoadedRoadmapRow, MeetingAttendance, MeetingPaper


def connect() -> None:
    files_leave_with_rows(MeetingPaper)
    # Records of loads, the advisory group's addresses and replies: on no page kept whole.
    revisions.watch(
        revisions.PUBLIC,
        "milestones",
        except_=(LoadedRoadmapRow, AdvisoryMember, MeetingAttendance),
    )
    kept_pages.changes_at(selectors.pages_change_at)
