"""Every change to what the public roadmap pages show marks the roadmap changed, whoever
makes it: the staff pages, the admin, ``load_roadmap``. Signals, not calls in each service,
because the admin and its inlines write rows directly."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from common.uploads import files_leave_with_rows

from . import services
from .models import Activity, AdvisoryMeeting, Deliverable, MeetingPaper, Partner, Workstream

SHOWN_ON_PUBLIC_PAGES = (Workstream, Partner, Activity, Deliverable, AdvisoryMeeting)


def _changed(sender, **kwargs):
    services.roadmap_changed()


def _partners_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        services.roadmap_changed()


def connect() -> None:
    files_leave_with_rows(MeetingPaper)
    for model in SHOWN_ON_PUBLIC_PAGES:
        post_save.connect(_changed, sender=model, dispatch_uid=f"roadmap-saved-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"roadmap-deleted-{model.__name__}"
        )
    m2m_changed.connect(
        _partners_changed, sender=Activity.partners.through, dispatch_uid="roadmap-partners"
    )
