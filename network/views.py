"""Public and members' pages of the network."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from common.forms import id_from
from common.links import absolute_url
from common.views import confirm
from network.access import lead_required, member_required
from notifications import calendars
from notifications.ical import new_calendar, timed_event
from notifications.reminders import calendar_for

from . import news, selectors, services
from .filters import DirectoryFilter
from .forms import (
    ApplicationForm,
    AskForm,
    CheckInForm,
    EvaluationForm,
    FeedbackForm,
    GoalsForm,
    LeadDecisionForm,
    LeadNominateForm,
    PitchForm,
    ProfileForm,
)
from .models import (
    ACTIVE_PLACE,
    Cohort,
    EvaluationStage,
    Event,
    MatchStatus,
    Membership,
    MembershipStatus,
    MentoringMatch,
    Nomination,
    NominationStatus,
    Pitch,
    Place,
    ReflectionSession,
)
from .reminders import event_occurrence, session_occurrence


def _membership(user) -> Membership | None:
    return (
        Membership.objects.filter(user=user).select_related("organisation").first()
        if user.is_authenticated
        else None
    )


@require_GET
def index(request):
    """Public. What the network is, and how to join."""
    leads_for = (
        list(selectors.led_organisations(request.user)) if request.user.is_authenticated else []
    )
    return render(
        request,
        "network/index.html",
        {"membership": _membership(request.user), "leads_for": leads_for},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """Anyone signed in: apply to join (or see how an application stands)."""
    membership = _membership(request.user)
    if membership and membership.status in (MembershipStatus.APPLIED, MembershipStatus.APPROVED):
        return render(request, "network/application_status.html", {"membership": membership})
    form = ApplicationForm(request.POST or None, initial={"name": request.user.full_name})
    if form.is_valid():
        try:
            services.membership_apply(user=request.user, **form.cleaned_data)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Thank you: your application has been sent to the network's coordinators."),
            )
        return redirect("network:apply")
    return render(request, "network/apply.html", {"form": form, "membership": membership})


@never_cache
@member_required
@require_GET
def members(request):
    """Members only: the directory, each member showing only what they chose to show,
    filtered by organisation, topic and mentors only."""
    filters = DirectoryFilter(request.GET or None, queryset=selectors.listed_members())
    return render(
        request,
        "network/members.html",
        {"filters": filters, "entries": selectors.directory(filters.qs)},
    )


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The member: their profile, what the directory shows, and their mentoring offer."""
    membership = _membership(request.user)
    if membership is None:
        raise Http404
    form = ProfileForm(request.POST or None, instance=membership)
    if form.is_valid():
        data = dict(form.cleaned_data)
        services.profile_update(membership=membership, topics=list(data.pop("topics")), **data)
        messages.success(request, _("Your profile is saved."))
        return redirect("network:profile")
    return render(
        request,
        "network/profile.html",
        {
            "form": form,
            "matches": selectors.my_matches(membership),
            "feed_address": calendars.address_of(request.user),
        },
    )


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def leave(request):
    """The member: leave the network and have their personal data removed from it."""
    membership = _membership(request.user)
    if membership is None:
        raise Http404
    if request.method == "POST":
        services.membership_leave(membership=membership)
        messages.success(
            request, _("You have left the network, and your details have been removed from it.")
        )
        return redirect("network:index")
    return render(request, "network/leave.html")


@member_required
@require_GET
def events(request):
    """Members: events to come."""
    return render(request, "network/events.html", {"events": selectors.upcoming_events()})


def _event(slug) -> Event:
    try:
        return selectors.event_with_counts(slug=slug)
    except Event.DoesNotExist as missing:
        raise Http404 from missing


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def event(request, slug):
    """Members: an event, and their RSVP to it. Giving up a place, or leaving the waiting
    list, asks first."""
    event = _event(slug)
    membership = _membership(request.user)
    if request.method == "POST" and membership is not None:
        giving_up = request.POST.get("action") == "cancel"
        if giving_up and request.POST.get("confirmed") != "yes":
            rsvp = selectors.rsvp_of(event, membership)
            if rsvp is not None and rsvp.status in ("going", "waiting"):
                return _give_up_confirm(request, event, waiting=rsvp.status == "waiting")
        try:
            if giving_up:
                services.event_cancel_rsvp(event=event, member=membership)
                messages.success(request, _("You have given up your place."))
            else:
                rsvp = services.event_rsvp(event=event, member=membership)
                messages.success(
                    request,
                    _("You have a place.")
                    if rsvp.status == "going"
                    else _("The event is full: you are on the waiting list."),
                )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        return redirect(event)
    rsvp = selectors.rsvp_of(event, membership)
    return render(
        request,
        "network/event.html",
        {
            "event": event,
            "rsvp": rsvp,
            "position": selectors.waiting_position(rsvp)
            if rsvp and rsvp.status == "waiting"
            else None,
        },
    )


def _give_up_confirm(request, event, *, waiting):
    names = {"event": event.title}
    if waiting:
        return confirm(
            request,
            question=_("Leave the waiting list for %(event)s?") % names,
            explanation=_("You are on the waiting list for %(event)s.") % names,
            warning=_("You will not be offered a place if one comes free."),
            action=_("Leave the waiting list"),
            back=event.get_absolute_url(),
            keep=_("Stay on the waiting list"),
            hidden={"action": "cancel", "confirmed": "yes"},
        )
    return confirm(
        request,
        question=_("Give up your place at %(event)s?") % names,
        explanation=_("You have a place at %(event)s.") % names,
        warning=_(
            "Your place goes to the first person on the waiting list. If you change your "
            "mind, the event may be full by then."
        ),
        action=_("Give up my place"),
        back=event.get_absolute_url(),
        keep=_("Keep my place"),
        hidden={"action": "cancel", "confirmed": "yes"},
    )


@member_required
@require_GET
def event_ics(request, slug):
    """Members: the event as an iCalendar file."""
    event = _event(slug)
    body = calendar_for(event_occurrence(event), method="PUBLISH")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def stop_news(request, token):
    """Anyone holding the link from a network news email, signed in or not: stop the news.
    A mail program's one-click unsubscribe posts here (RFC 8058: no cookie, so no CSRF
    token; the signed link is the permission); a browser is asked first."""
    membership = news.membership_of(token)
    if membership is None:
        raise Http404
    if request.method == "POST":
        services.membership_stop_news(membership=membership)
    return render(request, "network/stop_news.html", {"membership": membership})


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def ask(request, pk):
    """Members: ask their organisation for a place on a cohort still to start."""
    membership = _membership(request.user)
    if membership is None or not membership.is_member:
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    form = AskForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.nomination_ask(cohort=cohort, member=membership, **form.cleaned_data)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Your request has been sent to %(org)s's leads.")
                % {"org": membership.organisation},
            )
        return redirect("network:me")
    return render(request, "network/ask.html", {"form": form, "cohort": cohort})


@never_cache
@lead_required
@require_http_methods(["GET", "POST"])
def organisation(request):
    """Organisation leads: their people's requests and nominations, nominating someone
    (with the organisation's commitment to pay if the network does not), and how the
    network's funded places are shared."""
    organisations = selectors.led_organisations(request.user)
    form = LeadNominateForm(request.POST or None, organisations=organisations)
    if form.is_valid():
        try:
            nomination = services.nomination_nominate(
                cohort=form.cleaned_data["cohort"],
                member=form.cleaned_data["member"],
                by=request.user,
                commitment=form.cleaned_data["commitment"],
            )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("%(name)s is nominated; the coordinators decide the place.")
                % {"name": nomination.member},
            )
        return redirect("network:organisation")
    nominations = list(selectors.nominations_of(organisations))
    return render(
        request,
        "network/organisation.html",
        {
            "organisations": organisations,
            "form": form,
            "requested": [n for n in nominations if n.status == NominationStatus.REQUESTED],
            "nominations": [n for n in nominations if n.status != NominationStatus.REQUESTED],
            "cohorts": selectors.open_cohorts(),
        },
    )


@never_cache
@lead_required
@require_http_methods(["GET", "POST"])
def organisation_nomination(request, pk):
    """Organisation leads: approve a member's request for the organisation (recording its
    commitment to pay if the network does not) or decline it with a reason."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("member", "organisation", "cohort"),
        pk=pk,
        organisation__in=selectors.led_organisations(request.user),
    )
    form = LeadDecisionForm(request.POST or None)
    if nomination.status == NominationStatus.REQUESTED and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.nomination_approve(
                    nomination=nomination,
                    by=request.user,
                    commitment=form.cleaned_data["commitment"],
                )
                done = _("Approved for %(org)s: the coordinators decide the place.")
            else:
                services.nomination_decline(
                    nomination=nomination, by=request.user, reason=form.cleaned_data["reason"]
                )
                done = _("Declined: %(name)s has been told why.")
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, done % {"org": nomination.organisation, "name": nomination.member}
            )
        return redirect("network:organisation")
    return render(
        request, "network/organisation_nomination.html", {"nomination": nomination, "form": form}
    )


@never_cache
@member_required
@require_GET
def me(request):
    """The member: their whole part in the network on one page."""
    membership = _membership(request.user)
    if membership is None or not membership.is_member:
        raise Http404
    return render(request, "network/me.html", {"mine": selectors.my_network(membership)})


@member_required
@require_GET
def session_ics(request, pk):
    """The member: a reflection session of a course they have a place on, as iCalendar."""
    session = get_object_or_404(
        ReflectionSession.objects.select_related("cohort"),
        pk=pk,
        cohort__places__member__user=request.user,
        cohort__places__status__in=ACTIVE_PLACE,
    )
    body = calendar_for(session_occurrence(session), method="PUBLISH")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reflection-session-{session.number}.ics"'
    )
    return response


def _pairing(request, pk) -> tuple[Membership, MentoringMatch]:
    """The member and one of their own pairings (confirmed or ended), else 404."""
    membership = _membership(request.user)
    if membership is None or not membership.is_member:
        raise Http404
    match = get_object_or_404(
        MentoringMatch.objects.select_related("mentor", "mentee"),
        Q(mentor=membership) | Q(mentee=membership),
        pk=pk,
        status__in=[MatchStatus.CONFIRMED, MatchStatus.ENDED],
    )
    return membership, match


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def pairing(request, pk):
    """The member: one of their mentoring pairings: the goals they agreed, checking in,
    and a way to end it (``pairing_end``)."""
    membership, match = _pairing(request, pk)
    posted = request.POST.get("form")
    goals = GoalsForm(
        request.POST if posted == "goals" else None, initial={"goals": match.goals}, prefix="goals"
    )
    check_in = CheckInForm(request.POST if posted == "check_in" else None, prefix="check_in")
    try:
        if goals.is_valid():
            services.match_set_goals(match=match, member=membership, **goals.cleaned_data)
            messages.success(request, _("Your goals are saved."))
            return redirect("network:pairing", pk=pk)
        if check_in.is_valid():
            services.match_check_in(match=match, member=membership, **check_in.cleaned_data)
            messages.success(request, _("Thank you: your check-in is saved."))
            return redirect("network:pairing", pk=pk)
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("network:pairing", pk=pk)
    role = services.role_in(match, membership)
    return render(
        request,
        "network/pairing.html",
        {
            "match": match,
            "role": role,
            "other": match.mentee if role == "mentor" else match.mentor,
            "goals": goals,
            "check_in": check_in,
            "check_ins": match.check_ins.filter(role=role)[:12],
            "given": match.feedback.filter(role=role).exists(),
        },
    )


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def pairing_end(request, pk):
    """The member: end a pairing with their feedback, or give their feedback on a pairing
    the other person ended."""
    membership, match = _pairing(request, pk)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        act = (
            services.match_end if match.status == MatchStatus.CONFIRMED else services.match_feedback
        )
        try:
            act(match=match, member=membership, **form.cleaned_data)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Thank you for your feedback."))
        return redirect("network:me")
    return render(request, "network/pairing_end.html", {"match": match, "form": form})


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def evaluation(request, pk, stage):
    """The member: the course evaluation's questionnaire for their place, before or after
    the course, answered once."""
    membership = _membership(request.user)
    if membership is None or stage not in EvaluationStage.values:
        raise Http404
    place = get_object_or_404(
        Place.objects.select_related("cohort"),
        pk=pk,
        member=membership,
        status__in=ACTIVE_PLACE,
    )
    answered = place.evaluations.filter(stage=stage).exists()
    is_open = place.cohort.evaluation_open(stage, timezone.localdate())
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if is_open and not answered and form.is_valid():
        try:
            services.evaluation_answer(
                place=place, member=membership, stage=stage, **form.cleaned_data
            )
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Thank you: your answers are saved."))
        return redirect("network:me")
    return render(
        request,
        "network/evaluation.html",
        {
            "place": place,
            "stage": EvaluationStage(stage),
            "form": form,
            "answered": answered,
            "is_open": is_open,
        },
    )


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def sessions(request, slug):
    """Members: an unconference's sessions: pitching one and voting (attendees), and the
    timetable once published."""
    event = _event(slug)
    if event.format != Event.Format.UNCONFERENCE:
        raise Http404
    membership = _membership(request.user)
    form = PitchForm(request.POST if request.POST.get("form") == "pitch" else None)
    if request.method == "POST":
        if membership is None:
            raise Http404
        try:
            if form.is_bound:
                if form.is_valid():
                    services.pitch_create(event=event, member=membership, **form.cleaned_data)
                    messages.success(
                        request, _("Your session is pitched: attendees can vote for it.")
                    )
                    return redirect("network:sessions", slug=slug)
            else:
                pitch = get_object_or_404(Pitch, pk=id_from(request.POST.get("pitch")), event=event)
                if request.POST.get("action") == "unvote":
                    services.pitch_unvote(pitch=pitch, member=membership)
                    messages.success(request, _("Your vote is taken back."))
                else:
                    services.pitch_vote(pitch=pitch, member=membership)
                    messages.success(request, _("Your vote is counted."))
                return redirect("network:sessions", slug=slug)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("network:sessions", slug=slug)
    rsvp = selectors.rsvp_of(event, membership) if membership is not None else None
    return render(
        request,
        "network/sessions.html",
        {
            "event": event,
            "form": form,
            "programme": selectors.programme(event, membership),
            "attending": rsvp is not None and rsvp.status == "going",
        },
    )


@member_required
@require_GET
def timetable_ics(request, slug):
    """Members: a published unconference timetable, every session, as iCalendar."""
    event = _event(slug)
    if event.timetable_published_at is None:
        raise Http404
    calendar = new_calendar(name=event.title, method="PUBLISH")
    for pitch in event.pitches.filter(slot__isnull=False).select_related("slot", "room"):
        calendar.add_component(
            timed_event(
                uid=f"pitch-{pitch.pk}-{event.uid}",
                sequence=0,
                summary=pitch.title,
                starts_at=pitch.slot.starts_at,
                ends_at=pitch.slot.ends_at,
                url=absolute_url(reverse("network:sessions", args=[event.slug])),
                location=", ".join(filter(None, [pitch.room.name, event.location])),
                description=pitch.description,
            )
        )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-timetable.ics"'
    return response
