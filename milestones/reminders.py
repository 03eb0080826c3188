"""Advisory group meetings as a source of invitations, changes and reminders (see
``notifications.reminders``)."""

from collections import defaultdict

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from notifications.reminders import Occurrence, Recipient, ReplyRefused, Source

from . import services
from .models import AdvisoryMeeting, MeetingAttendance, Rsvp


def meeting_occurrence(meeting: AdvisoryMeeting, *, online: bool = True) -> Occurrence:
    """A meeting as emails and calendar files describe it; its online link only when
    ``online`` (for invitees and staff)."""
    return Occurrence(
        kind=MeetingSource.kind,
        pk=meeting.pk,
        uid=str(meeting.uid),
        sequence=meeting.sequence,
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=", ".join(filter(None, [meeting.location, online and meeting.online_url])),
        description=meeting.agenda,
        path=meeting.get_absolute_url(),
        cancelled=meeting.is_cancelled,
    )


class MeetingSource(Source):
    """Every invited member who has not said they cannot come is reminded; every invited
    member, whatever they replied, is told of changes (a new time may suit them)."""

    kind = "meeting"
    model = AdvisoryMeeting
    audience = "commission"

    def upcoming(self, *, now, horizon):
        return [
            meeting_occurrence(m)
            for m in AdvisoryMeeting.objects.filter(starts_at__gt=now, starts_at__lte=horizon)
        ]

    def occurrences_by_pk(self, pks):
        return {m.pk: meeting_occurrence(m) for m in AdvisoryMeeting.objects.filter(pk__in=pks)}

    def recipients(self, occurrence_ids, emails=None):
        return self._invited(occurrence_ids, emails, declined=False)

    def invitees(self, occurrence_ids, emails=None):
        return self._invited(occurrence_ids, emails, declined=True)

    def occurrences_for(self, email, *, since):
        invited = (
            MeetingAttendance.objects.filter(member__email__iexact=email)
            .exclude(rsvp=Rsvp.NO)
            .values("meeting_id")
        )
        meetings = AdvisoryMeeting.objects.filter(pk__in=invited, ends_at__gt=since)
        return [meeting_occurrence(m) for m in meetings]

    def _attendance(self, pk, email):
        return (
            MeetingAttendance.objects.select_related("meeting", "member")
            .filter(meeting_id=pk, member__email__iexact=email)
            .order_by("pk")
            .first()
        )

    def reply(self, pk, email, answer):
        attendance = self._attendance(pk, email)
        if attendance is None:
            raise ReplyRefused(_("You are no longer invited to this meeting."))
        try:
            services.meeting_rsvp(meeting=attendance.meeting, member=attendance.member, rsvp=answer)
        except services.MeetingClosed as closed:
            raise ReplyRefused(str(closed)) from closed

    def reply_of(self, pk, email):
        attendance = self._attendance(pk, email)
        return "" if attendance is None or attendance.rsvp == Rsvp.NO_REPLY else attendance.rsvp

    def _invited(self, occurrence_ids, emails, *, declined):
        found = defaultdict(list)
        invited = MeetingAttendance.objects.filter(meeting_id__in=occurrence_ids)
        if not declined:
            invited = invited.exclude(rsvp=Rsvp.NO)
        if emails is not None:
            # Delivery rows hold addresses lowercased; people type them any way.
            invited = invited.alias(email=Lower("member__email")).filter(email__in=emails)
        for invitation in invited.select_related("member"):
            found[invitation.meeting_id].append(
                Recipient(invitation.member.email, invitation.member.name, invitation.invited_at)
            )
        return found
