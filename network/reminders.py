"""Reflection sessions and network events as sources of reminders
(see ``notifications.reminders``). Reminders go whatever a member's choice about optional
email: they asked to attend."""

from collections import defaultdict

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from notifications.reminders import Occurrence, Recipient, ReplyRefused, Source

from .models import (
    ACTIVE_PLACE,
    Event,
    EventRsvp,
    Place,
    PlaceStatus,
    ReflectionSession,
    RsvpStatus,
    SessionAttendance,
)


def session_occurrence(session: ReflectionSession) -> Occurrence:
    """A reflection session as reminders, emails and its calendar file describe it."""
    return Occurrence(
        kind=SessionSource.kind,
        pk=session.pk,
        uid=f"session-{session.uid}",
        sequence=session.sequence,
        title=_("%(session)s: %(course)s")
        % {"session": session, "course": session.cohort.course_name},
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=", ".join(filter(None, [session.location, session.online_url])),
        description=_("A reflection session of the confidence course."),
        path="/network/me/",
        cancelled=session.is_cancelled,
    )


class SessionSource(Source):
    """Everyone with a place (not waiting, not withdrawn) in the session's cohort."""

    kind = "session"
    model = ReflectionSession
    audience = "network"

    def upcoming(self, *, now, horizon):
        return [
            session_occurrence(s)
            for s in ReflectionSession.objects.filter(
                starts_at__gt=now, starts_at__lte=horizon
            ).select_related("cohort")
        ]

    def occurrences_by_pk(self, pks):
        return {
            s.pk: session_occurrence(s)
            for s in ReflectionSession.objects.filter(pk__in=pks).select_related("cohort")
        }

    def recipients(self, occurrence_ids, emails=None):
        sessions = dict(
            ReflectionSession.objects.filter(pk__in=occurrence_ids).values_list("pk", "cohort_id")
        )
        by_cohort = defaultdict(list)
        places = Place.objects.filter(
            cohort_id__in=set(sessions.values()), status__in=ACTIVE_PLACE
        ).exclude(status=PlaceStatus.COMPLETED)
        if emails is not None:
            # Delivery rows hold addresses lowercased; people type them any way.
            places = places.alias(email=Lower("member__user__email")).filter(email__in=emails)
        for place in places.select_related("member__user"):
            if place.member.user is not None:
                by_cohort[place.cohort_id].append(
                    Recipient(
                        place.member.user.email,
                        place.member.name,
                        place.active_since or place.created_at,
                    )
                )
        return {pk: by_cohort[cohort_id] for pk, cohort_id in sessions.items()}

    def occurrences_for(self, email, *, since):
        cohorts = Place.objects.filter(
            status__in=ACTIVE_PLACE, member__user__email__iexact=email
        ).values("cohort_id")
        sessions = ReflectionSession.objects.filter(cohort_id__in=cohorts, ends_at__gt=since)
        return [session_occurrence(s) for s in sessions.select_related("cohort")]

    def _place(self, pk, email):
        session = ReflectionSession.objects.get(pk=pk)
        place = (
            Place.objects.filter(
                cohort_id=session.cohort_id,
                status__in=ACTIVE_PLACE,
                member__user__email__iexact=email,
            )
            .exclude(status=PlaceStatus.COMPLETED)
            .first()
        )
        return session, place

    def reply(self, pk, email, answer):
        # network.services imports the emails, which name these sources: imported when a
        # reply comes rather than when the sources are.
        from . import services

        session, place = self._place(pk, email)
        if place is None:
            raise ReplyRefused(_("You no longer have a place on this course."))
        try:
            services.session_reply(session=session, place=place, answer=answer)
        except services.NotAllowed as refused:
            raise ReplyRefused(str(refused)) from refused

    def reply_of(self, pk, email):
        session, place = self._place(pk, email)
        found = SessionAttendance.objects.filter(session=session, place=place).first()
        return found.reply if found else ""


def event_occurrence(event: Event) -> Occurrence:
    """An event as reminders, emails and its calendar file describe it."""
    return Occurrence(
        kind=EventSource.kind,
        pk=event.pk,
        uid=f"event-{event.uid}",
        sequence=event.sequence,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=", ".join(filter(None, [event.location, event.online_url])),
        description=event.description,
        path=event.get_absolute_url(),
        cancelled=event.is_cancelled,
    )


class EventSource(Source):
    """Everyone with a place at the event (not the waiting list)."""

    kind = "event"
    model = Event
    audience = "network"

    def upcoming(self, *, now, horizon):
        return [
            event_occurrence(e)
            for e in Event.objects.filter(starts_at__gt=now, starts_at__lte=horizon)
        ]

    def occurrences_by_pk(self, pks):
        return {e.pk: event_occurrence(e) for e in Event.objects.filter(pk__in=pks)}

    def recipients(self, occurrence_ids, emails=None):
        found = defaultdict(list)
        rsvps = EventRsvp.objects.filter(
            event_id__in=occurrence_ids, status=RsvpStatus.GOING, member__user__isnull=False
        )
        if emails is not None:
            rsvps = rsvps.alias(email=Lower("member__user__email")).filter(email__in=emails)
        # Rows, not model instances: a reminder run reads thousands.
        rows = rsvps.order_by().values_list(
            "event_id", "member__user__email", "member__name", "going_since", "created_at"
        )
        for event_id, email, name, going_since, created_at in rows:
            found[event_id].append(Recipient(email, name, going_since or created_at))
        return found

    def occurrences_for(self, email, *, since):
        events = Event.objects.filter(
            rsvps__status=RsvpStatus.GOING,
            rsvps__member__user__email__iexact=email,
            ends_at__gt=since,
        )
        return [event_occurrence(e) for e in events]

    def _rsvp(self, pk, email):
        return (
            EventRsvp.objects.filter(
                event_id=pk, status=RsvpStatus.GOING, member__user__email__iexact=email
            )
            .select_related("event", "member__user")
            .first()
        )

    def reply(self, pk, email, answer):
        # network.services imports the emails, which name these sources: imported when a
        # reply comes rather than when the sources are.
        from . import services

        rsvp = self._rsvp(pk, email)
        if rsvp is None:
            raise ReplyRefused(_("You no longer have a place at this event."))
        try:
            services.event_reply(rsvp=rsvp, answer=answer)
        except services.NotAllowed as refused:
            raise ReplyRefused(str(refused)) from refused

    def reply_of(self, pk, email):
        rsvp = self._rsvp(pk, email)
        return rsvp.reply if rsvp else ""
