"""Coordinators' pages of the network (network coordinators and admins)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import roles
from accounts.access import staff_required
from common.forms import add_service_errors, id_from, saved_or_errors
from common.tables import Listing, Sort
from common.views import confirm

from . import selectors, services
from .filters import ApplicationFilter
from .forms import (
    AttendanceForm,
    ChangeMentorForm,
    CohortForm,
    DecisionForm,
    DeclineForm,
    EventForm,
    NominateForm,
    RoomForm,
    SessionForm,
    SessionNotesForm,
    SlotForm,
    SwapMentorsForm,
)
from .models import (
    ACTIVE_PLACE,
    Cohort,
    Event,
    MatchStatus,
    Membership,
    MembershipStatus,
    MentoringMatch,
    Nomination,
    Pitch,
    Place,
    PlaceStatus,
    ReflectionSession,
    RsvpStatus,
)

coordinators = staff_required(roles_allowed=(roles.NETWORK_COORDINATORS,))
APPLICATION_SORTS = [
    Sort("name", gettext_lazy("Applicant"), ("name",)),
    Sort("organisation", gettext_lazy("Organisation"), ("organisation__name",)),
    Sort("applied", gettext_lazy("Applied"), ("applied_at",)),
]


@never_cache
@coordinators
@require_GET
def applications(request):
    """Coordinators: applications waiting for a decision, oldest first unless sorted
    otherwise, filtered by organisation, level and discipline, a page at a time."""
    filters = ApplicationFilter(request.GET or None, queryset=selectors.applications())
    return render(
        request,
        "network/staff/applications.html",
        {
            "filters": filters,
            "applications": Listing(
                request.GET,
                filters.qs if filters.is_valid() else filters.queryset,
                APPLICATION_SORTS,
                default="applied",
            ),
        },
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    """Coordinators: approve or decline one application, with a message. Declining asks
    first: the applicant is emailed at once and it cannot be taken back."""
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)
    form = DecisionForm(request.POST or None)
    if form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        if decision == "decline" and request.POST.get("confirmed") != "yes":
            return confirm(
                request,
                question=_("Decline %(name)s's application?") % {"name": membership.name},
                explanation=_("%(name)s will be emailed your message: “%(message)s”")
                % {"name": membership.name, "message": message},
                warning=_("A declined application cannot be taken back; they can apply again."),
                action=_("Decline the application"),
                back=request.path,
                keep=_("Go back to the application"),
                hidden={"decision": decision, "message": message, "confirmed": "yes"},
            )
        try:
            services.membership_decide(
                membership=membership,
                approve=form.cleaned_data["decision"] == "approve",
                message=form.cleaned_data["message"],
                decided_by=request.user,
            )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("Decision saved and %(name)s emailed.") % {"name": membership.name}
            )
        return redirect("network:applications")
    return render(request, "network/staff/decide.html", {"membership": membership, "form": form})


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def cohorts(request):
    """Coordinators: course cohorts, and setting up a new one."""
    form = CohortForm(request.POST or None)
    if form.is_valid():
        cohort = saved_or_errors(form, lambda: services.cohort_create(**form.cleaned_data))
        if cohort is not None:
            messages.success(request, _("Cohort set up, with its three reflection sessions."))
            return redirect(cohort)
    return render(
        request, "network/staff/cohorts.html", {"cohorts": Cohort.objects.all(), "form": form}
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def cohort(request, pk):
    """Coordinators: a cohort's places by organisation, the organisations below the aim,
    the waiting list, the budget by funder, nominations to decide, and nominating."""
    cohort = get_object_or_404(Cohort, pk=pk)
    form = NominateForm(request.POST or None, cohort=cohort)
    if form.is_valid():
        try:
            place = services.place_nominate(
                cohort=cohort,
                member=form.cleaned_data["member"],
                commitment=form.cleaned_data["commitment"],
                by=request.user,
            )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": place.member, "status": place.get_status_display()},
            )
        return redirect(cohort)
    return render(
        request,
        "network/staff/cohort.html",
        {
            "summary": selectors.cohort_summary(cohort=cohort),
            "form": form,
            "sessions": cohort.sessions.all(),
            "nominations": selectors.cohort_nominations(cohort),
        },
    )


@never_cache
@coordinators
@require_http_methods(["POST"])
def place_action(request, pk, action):
    """Coordinators: confirm or complete a place (withdrawing asks first: ``place_withdraw``)."""
    place = get_object_or_404(Place.objects.select_related("cohort", "member"), pk=pk)
    actions = {"confirm": services.place_confirm, "complete": services.place_complete}
    if action not in actions:
        raise Http404
    try:
        actions[action](place=place)
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Place updated."))
    return redirect(place.cohort)


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def place_withdraw(request, pk):
    """Coordinators: withdraw a place, or remove someone from the waiting list, once they
    have said yes on this page. A freed place goes to the first on the waiting list."""
    place = get_object_or_404(
        Place.objects.select_related("cohort", "member", "organisation"), pk=pk
    )
    cohort_url = place.cohort.get_absolute_url()
    waiting = place.status == PlaceStatus.WAITING
    if request.method == "POST":
        try:
            offered = services.place_withdraw(place=place)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("%(name)s has been removed from the waiting list.") % {"name": place.member}
                if waiting
                else _("%(name)s's place has been withdrawn.") % {"name": place.member},
            )
            if offered is not None:
                messages.info(
                    request,
                    _("%(name)s, first on the waiting list, has been offered the place.")
                    % {"name": offered.member},
                )
        return redirect(cohort_url)
    if not place.withdrawable:
        messages.error(request, _("This place cannot be withdrawn now."))
        return redirect(cohort_url)
    names = {"name": place.member, "organisation": place.organisation, "cohort": place.cohort}
    if waiting:
        return confirm(
            request,
            question=_("Remove %(name)s from the waiting list?") % names,
            explanation=_("%(name)s (%(organisation)s) is on the waiting list for %(cohort)s.")
            % names,
            warning=_("They will not be offered a place if one comes free."),
            action=_("Remove from the waiting list"),
            back=cohort_url,
        )
    return confirm(
        request,
        question=_("Withdraw %(name)s's place?") % names,
        explanation=_("%(name)s (%(organisation)s) has a place on %(cohort)s.") % names,
        warning=_(
            "They lose their place. The first person on the waiting list, if anyone is "
            "waiting, is offered it and emailed."
        ),
        action=_("Withdraw the place"),
        back=cohort_url,
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def timetable(request, slug):
    """Coordinators: an unconference's rooms and slots, the timetable built from the votes,
    moving a session by hand, and publishing it to attendees."""
    event = get_object_or_404(Event, slug=slug, format=Event.Format.UNCONFERENCE)
    posted = request.POST.get("form")
    room_form = RoomForm(request.POST if posted == "room" else None, prefix="room")
    slot_form = SlotForm(request.POST if posted == "slot" else None, prefix="slot")
    if request.method == "POST":
        try:
            done = _timetable_action(request, event, posted, room_form, slot_form)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("network:timetable", slug=slug)
        except ValidationError as refused:
            add_service_errors(room_form if posted == "room" else slot_form, refused)
            done = None
        if done:
            messages.success(request, done)
            return redirect("network:timetable", slug=slug)
    return render(
        request,
        "network/staff/timetable.html",
        {
            "event": event,
            "programme": selectors.programme(event),
            "room_form": room_form,
            "slot_form": slot_form,
        },
    )


def _timetable_action(request, event, posted, room_form, slot_form) -> str | None:
    """Do what the timetable page posted; what to say, or None to show the form's errors."""
    if posted == "room":
        if not room_form.is_valid():
            return None
        services.room_add(event=event, **room_form.cleaned_data)
        return _("Room added.")
    if posted == "slot":
        if not slot_form.is_valid():
            return None
        try:
            services.slot_add(event=event, **slot_form.cleaned_data)
        except services.NotAllowed as refused:
            slot_form.add_error("starts_at", str(refused))  # what was typed stays
            return None
        return _("Slot added.")
    if posted == "build":
        left_out = services.timetable_build(event=event)
        if left_out:
            return ngettext(
                "Timetable built from the votes; %(n)d session did not fit: add a room or a slot.",
                "Timetable built from the votes; %(n)d sessions did not fit: add a room or a slot.",
                len(left_out),
            ) % {"n": len(left_out)}
        return _("Timetable built from the votes.")
    if posted == "move":
        pitch = get_object_or_404(Pitch, pk=id_from(request.POST.get("pitch")), event=event)
        slot_id, _sep, room_id = (request.POST.get("cell") or "").partition("-")
        slot = get_object_or_404(event.slots, pk=id_from(slot_id)) if slot_id else None
        room = get_object_or_404(event.rooms, pk=id_from(room_id)) if room_id else None
        services.timetable_move(pitch=pitch, slot=slot, room=room)
        return _("Session moved.")
    if posted == "publish":
        services.timetable_publish(event=event)
        return _("Timetable published: attendees are emailed, with its calendar file.")
    raise Http404


@never_cache
@coordinators
@require_GET
def cohort_evaluation(request, pk):
    """Coordinators: a cohort's course evaluation: response rates, and each question's
    answers before and after, under the disclosure control."""
    cohort = get_object_or_404(Cohort, pk=pk)
    return render(
        request,
        "network/staff/cohort_evaluation.html",
        {
            "cohort": cohort,
            "evaluation": selectors.cohort_evaluation(cohort),
            "threshold": settings.SUPPRESSION_THRESHOLD,
        },
    )


@never_cache
@coordinators
@require_http_methods(["POST"])
def nomination_place(request, pk):
    """Coordinators: give a nomination its organisation approved a place (or a place on
    the waiting list), funded by the rule; refused, with why, when nobody would pay."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("member", "organisation", "cohort"), pk=pk
    )
    try:
        place = services.place_give(nomination=nomination, by=request.user)
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": place.member, "status": place.get_status_display()},
        )
    return redirect(nomination.cohort)


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def nomination_decline(request, pk):
    """Coordinators: decline a nomination, with the reason the member is told."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("member", "organisation", "cohort"), pk=pk
    )
    form = DeclineForm(request.POST or None)
    if form.is_valid():
        try:
            services.nomination_decline(
                nomination=nomination, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("Declined: %(name)s has been told why.") % {"name": nomination.member}
            )
        return redirect(nomination.cohort)
    return render(
        request, "network/staff/nomination_decline.html", {"nomination": nomination, "form": form}
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def session(request, pk):
    """Coordinators: move a reflection session, its agenda and notes, and record who
    attended."""
    session = get_object_or_404(ReflectionSession.objects.select_related("cohort"), pk=pk)
    places = list(session.cohort.places.filter(status__in=ACTIVE_PLACE).select_related("member"))
    attended = {a.place_id for a in session.attendance.filter(attended=True)}
    form = SessionForm(
        request.POST if request.POST.get("form") == "session" else None,
        initial={
            k: getattr(session, k) for k in ("starts_at", "ends_at", "location", "online_url")
        },
    )
    notes = SessionNotesForm(
        request.POST if request.POST.get("form") == "notes" else None,
        initial={k: getattr(session, k) for k in ("agenda", "shared_notes", "coordinator_notes")},
    )
    attendance = AttendanceForm(
        request.POST if request.POST.get("form") == "attendance" else None,
        people=[(str(p.pk), str(p.member)) for p in places],
        initial={"attended": [str(pk) for pk in attended]},
    )
    if form.is_valid():
        services.session_update(session=session, **form.cleaned_data)
        messages.success(request, _("Session saved."))
        return redirect("network:session", pk=pk)
    if notes.is_valid():
        services.session_notes_save(session=session, **notes.cleaned_data)
        messages.success(request, _("Agenda and notes saved."))
        return redirect("network:session", pk=pk)
    if attendance.is_valid():
        services.attendance_record(
            session=session,
            attended_place_ids={int(x) for x in attendance.cleaned_data["attended"]},
        )
        messages.success(request, _("Attendance saved."))
        return redirect("network:session", pk=pk)
    replies = {a.place_id: a.get_reply_display() for a in session.attendance.exclude(reply="")}
    return render(
        request,
        "network/staff/session.html",
        {
            "session": session,
            "form": form,
            "notes": notes,
            "attendance": attendance,
            "replies": [(p.member, replies.get(p.pk)) for p in places],
        },
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def event_edit(request, slug=None):
    """Coordinators: set up an event, or change one."""
    event = get_object_or_404(Event, slug=slug) if slug else None
    form = EventForm(request.POST or None, instance=event)
    if form.is_valid():
        event = services.event_save(event=event, **form.cleaned_data)
        messages.success(request, _("Event saved."))
        return redirect(event)
    return render(request, "network/staff/event_form.html", {"form": form, "event": event})


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def event_attendance(request, slug):
    """Coordinators: who is going, the waiting list, and who came."""
    event = get_object_or_404(Event, slug=slug)
    going = list(event.rsvps.filter(status=RsvpStatus.GOING).select_related("member"))
    form = AttendanceForm(
        request.POST or None,
        people=[(str(r.member_id), str(r.member)) for r in going],
        initial={"attended": [str(r.member_id) for r in going if r.attended]},
    )
    if request.method == "POST" and request.POST.get("action") == "cancel_event":
        # Cancelling asks first, on its own page (a form from before that page came in).
        return redirect("network:event_cancel", slug=slug)
    if form.is_valid():
        services.event_record_attendance(
            event=event, attended_member_ids={int(x) for x in form.cleaned_data["attended"]}
        )
        messages.success(request, _("Attendance saved."))
        return redirect("network:event_attendance", slug=slug)
    return render(
        request,
        "network/staff/event_attendance.html",
        {
            "event": event,
            "going": going,
            "replies": [(r.member, r.get_reply_display() or None) for r in going],
            "waiting": event.rsvps.filter(status=RsvpStatus.WAITING).select_related("member"),
            "form": form,
        },
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def event_cancel(request, slug):
    """Coordinators: cancel an event, once they have said yes on this page."""
    event = get_object_or_404(Event, slug=slug)
    back = reverse("network:event_attendance", args=[slug])
    if request.method == "POST":
        services.event_cancel(event=event)
        messages.success(request, _("Event cancelled."))
        return redirect(back)
    if event.is_cancelled:
        messages.error(request, _("This event is already cancelled."))
        return redirect(back)
    return confirm(
        request,
        question=_("Cancel “%(title)s”?") % {"title": event.title},
        explanation=_(
            "The event stays listed, marked cancelled, and takes no more replies. Everyone "
            "already sent a reminder gets a calendar cancellation."
        ),
        warning=_("You cannot undo this."),
        action=_("Cancel the event"),
        back=back,
        keep=_("Keep the event"),  # not "Cancel", beside "Cancel the event"
    )


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def mentoring(request):
    """Coordinators: run matching for the whole network, see why each pair was proposed,
    who is left without a mentor and why, and swap the mentors of two proposed pairs."""
    swapping = request.POST.get("action") == "swap"
    swap_form = SwapMentorsForm(request.POST if swapping else None)
    if swap_form.is_valid():
        try:
            services.match_swap(
                match=swap_form.cleaned_data["first"],
                other=swap_form.cleaned_data["second"],
                decided_by=request.user,
            )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Mentors swapped."))
        return redirect("network:mentoring")
    if request.method == "POST" and not swapping:
        undecided = MentoringMatch.objects.filter(status=MatchStatus.PROPOSED).count()
        if undecided and request.POST.get("confirmed") != "yes":
            return confirm(
                request,
                question=_("Propose pairs again?"),
                explanation=ngettext(
                    "%(n)s proposed pair has not been confirmed or rejected yet.",
                    "%(n)s proposed pairs have not been confirmed or rejected yet.",
                    undecided,
                )
                % {"n": undecided},
                warning=_(
                    "Matching again replaces every pair not yet decided, swaps and changes "
                    "of mentor included. Confirmed pairs stay."
                ),
                action=_("Propose pairs again"),
                back=reverse("network:mentoring"),
                hidden={"confirmed": "yes"},
            )
        try:
            proposals = services.matching_run(run_by=request.user)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                ngettext("%(n)s pair proposed.", "%(n)s pairs proposed.", len(proposals))
                % {"n": len(proposals)},
            )
        return redirect("network:mentoring")
    return render(
        request,
        "network/staff/mentoring.html",
        {
            "proposed": selectors.proposed_pairs(),
            "unmatched": selectors.unmatched_seekers(),
            "confirmed": selectors.matches(status=MatchStatus.CONFIRMED),
            "rejected": selectors.recently_rejected(),
            "quiet": selectors.quiet_pairs(),
            "check_ins": selectors.recent_check_ins(),
            "change_form": ChangeMentorForm(),
            "swap_form": swap_form,
            "seeking": Membership.objects.filter(
                status=MembershipStatus.APPROVED, seeks_mentoring=True
            ).count(),
        },
    )


@never_cache
@coordinators
@require_http_methods(["POST"])
def match_action(request, pk, action):
    """Coordinators: confirm, or change the mentor of, a proposed pair (rejecting asks
    first: ``match_reject``), or undo a rejection (the page offers the last day's)."""
    match = get_object_or_404(MentoringMatch.objects.select_related("mentee", "mentor"), pk=pk)
    try:
        if action == "confirm":
            services.match_confirm(match=match, decided_by=request.user)
        elif action == "unreject":
            services.match_unreject(match=match)
        elif action == "change":
            form = ChangeMentorForm(request.POST)
            if not form.is_valid():
                raise services.NotAllowed(_("Choose a mentor."))
            services.match_change_mentor(
                match=match, mentor=form.cleaned_data["mentor"], decided_by=request.user
            )
        else:
            raise Http404
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Pair updated."))
    return redirect("network:mentoring")


@never_cache
@coordinators
@require_http_methods(["GET", "POST"])
def match_reject(request, pk):
    """Coordinators: reject a proposed pair, once they have said yes on this page."""
    match = get_object_or_404(MentoringMatch.objects.select_related("mentee", "mentor"), pk=pk)
    back = reverse("network:mentoring")
    if request.method == "POST":
        try:
            services.match_reject(match=match, decided_by=request.user)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _(
                    "Pair rejected: %(mentor)s will not be proposed to mentor %(mentee)s "
                    "again. To undo this, see “Rejected in the last day” below."
                )
                % {"mentor": match.mentor, "mentee": match.mentee},
            )
        return redirect(back)
    if match.status != MatchStatus.PROPOSED:
        messages.error(request, _("Only a proposed pair can be rejected."))
        return redirect(back)
    names = {"mentor": match.mentor, "mentee": match.mentee}
    return confirm(
        request,
        question=_("Reject %(mentor)s to mentor %(mentee)s?") % names,
        explanation=_(
            "%(mentee)s stays without a mentor until matching is run again, or you give them "
            "a different one."
        )
        % names,
        warning=_("Matching will not propose this pair again."),
        action=_("Reject the pair"),
        back=back,
    )
