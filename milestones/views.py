from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts.access import passes_staff_rule, staff_required
from common import kept_pages, revisions
from common.forms import saved_or_errors
from common.uploads import attachment
from common.views import confirm
from notifications.reminders import calendar_for

from . import exports, ical, selectors, services
from .forms import (
    ActivityForm,
    AdvisoryMemberForm,
    MeetingForm,
    MinutesForm,
    PaperForm,
    RsvpForm,
)
from .models import Activity, AdvisoryMeeting, AdvisoryMember
from .reminders import meeting_occurrence

EDIT_ROADMAP = "milestones.change_activity"
EDIT_MEETINGS = "milestones.change_advisorymeeting"


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_GET
@kept_pages.whole
def roadmap(request):
    """Public. The roadmap as a timeline grouped by year; kept whole for visitors to whom
    it is the same, answered 304 on a repeat visit while nothing changed."""
    content = kept_pages.fragment(
        f"roadmap:{revisions.of_request(request)}:{get_language()}", _roadmap_content
    )
    return render(request, "milestones/roadmap.html", {"content": content})


def _roadmap_content():
    now = timezone.now()
    timeline = selectors.roadmap_timeline()
    activities = [a for group in timeline for a in group.activities]
    upcoming = selectors.upcoming_events()
    html = render_to_string(
        "milestones/includes/roadmap_content.html",
        {
            "timeline": timeline,
            "status_counts": selectors.status_counts(activities),
            "upcoming": upcoming,
        },
    )
    return html, selectors.next_change(upcoming, now=now)


@require_GET
@kept_pages.whole
def activity_detail(request, slug):
    """Public, for public activities (kept whole, ``kept_pages.whole``); staff reach hidden
    ones through their staff pages."""
    try:
        activity = selectors.activity_detail(slug=slug)
    except Activity.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "milestones/activity_detail.html", {"activity": activity})


@require_GET
def meeting_detail(request, pk):
    """Public: time, place, agenda, papers, and minutes once published. The list of
    invitees is for staff; an invited member sees and can change their own reply."""
    meeting = _meeting_or_404(pk)
    invitation = selectors.attendance_for_user(meeting=meeting, user=request.user)
    rsvp_form = RsvpForm(initial={"rsvp": invitation.rsvp}) if invitation else None
    return _render_meeting(request, meeting, invitation, rsvp_form)


@require_http_methods(["POST"])
def meeting_rsvp(request, pk):
    """An invited advisory group member, signed in, replies to an invitation."""
    meeting = _meeting_or_404(pk)
    invitation = selectors.attendance_for_user(meeting=meeting, user=request.user)
    if invitation is None:
        raise Http404
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_rsvp(
                meeting=meeting, member=invitation.member, rsvp=form.cleaned_data["rsvp"]
            )
        except services.MeetingClosed as closed:
            form.add_error(None, str(closed))
        else:
            messages.success(request, _("Thank you: your reply has been saved."))
            return redirect(meeting)
    return _render_meeting(request, meeting, invitation, form)


def _meeting_or_404(pk) -> AdvisoryMeeting:
    try:
        return selectors.meeting_detail(pk=pk)
    except AdvisoryMeeting.DoesNotExist as missing:
        raise Http404 from missing


def _render_meeting(request, meeting, invitation, rsvp_form):
    is_staff = passes_staff_rule(request.user, perm=EDIT_MEETINGS)
    return render(
        request,
        "milestones/meeting_detail.html",
        {
            "meeting": meeting,
            "invitation": invitation,
            "rsvp_form": rsvp_form,
            "can_see_attendees": is_staff,
            "can_see_papers": _papers_open(meeting, is_staff or invitation is not None),
            "can_join_online": is_staff or invitation is not None,
            "rsvp_open": not meeting.is_cancelled and meeting.ends_at > timezone.now(),
        },
    )


def _papers_open(meeting: AdvisoryMeeting, insider: bool) -> bool:
    """Invitees and staff see a meeting's papers; everyone once they (or the minutes) are
    published."""
    return insider or meeting.papers_published or meeting.minutes_published


@require_safe
def paper_download(request, pk, paper_pk):
    """A meeting's uploaded paper, as a download: invitees and staff, and everyone once the
    papers or minutes are published (404 to anyone else, as if it were not there)."""
    meeting = _meeting_or_404(pk)
    paper = next((p for p in meeting.papers.all() if p.pk == paper_pk and p.file), None)
    insider = passes_staff_rule(request.user, perm=EDIT_MEETINGS) or (
        selectors.attendance_for_user(meeting=meeting, user=request.user) is not None
    )
    if paper is None or paper.kind is None or not _papers_open(meeting, insider):
        raise Http404
    return attachment(
        paper.file, paper.kind, paper.title, public=_papers_open(meeting, insider=False)
    )


@require_safe
def meeting_ics(request, pk):
    """Public: the meeting as an iCalendar file, with the online link only for its
    invitees and staff (as on its page)."""
    meeting = _meeting_or_404(pk)
    joins = passes_staff_rule(request.user, perm=EDIT_MEETINGS) or (
        selectors.attendance_for_user(meeting=meeting, user=request.user) is not None
    )
    body = calendar_for(meeting_occurrence(meeting, online=joins), method="PUBLISH")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_safe
def calendar_feed(request):
    """Public. Every dated roadmap entry and meeting as iCalendar (RFC 5545)."""
    activities, meetings = selectors.calendar_entries()
    body = ical.roadmap_calendar(activities, meetings, base_url=_base_url(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dit-roadmap.ics"'
    return response


@require_GET
def roadmap_json(request):
    """Public. The roadmap as JSON: the programme works in the open."""
    base_url = _base_url(request)
    activities, meetings = selectors.roadmap_export()
    data = {
        "activities": [
            exports.activity_data(a, base_url + a.get_absolute_url()) for a in activities
        ],
        "advisory_meetings": [
            {
                "title": m.title,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "cancelled": m.is_cancelled,
                "url": base_url + m.get_absolute_url(),
            }
            for m in meetings
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@never_cache
@staff_required(perm=EDIT_ROADMAP)
def staff_roadmap(request):
    """Commission staff and admins: every activity and meeting, public or not."""
    return render(
        request,
        "milestones/staff_roadmap.html",
        {
            "activities": selectors.staff_activity_list(),
            "meetings": selectors.staff_meeting_list(),
        },
    )


@never_cache
@staff_required(perm="milestones.add_activity")
@require_http_methods(["GET", "POST"])
def activity_create(request):
    """Commission staff and admins."""
    form = ActivityForm(request.POST or None)
    if form.is_valid():
        activity = saved_or_errors(
            form, lambda: services.activity_create(**form.service_arguments())
        )
        if activity:
            messages.success(request, _("“%(title)s” added to the roadmap.") % {"title": activity})
            return redirect("milestones:staff_roadmap")
    return render(request, "milestones/activity_form.html", {"form": form})


@never_cache
@staff_required(perm=EDIT_ROADMAP)
@require_http_methods(["GET", "POST"])
def activity_edit(request, slug):
    """Commission staff and admins."""
    activity = get_object_or_404(Activity, slug=slug)
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity))
    if form.is_valid():
        saved = saved_or_errors(
            form,
            lambda: services.activity_update(activity=activity, **form.service_arguments()),
        )
        if saved:
            messages.success(request, _("“%(title)s” saved.") % {"title": saved})
            return redirect("milestones:staff_roadmap")
    return render(request, "milestones/activity_form.html", {"form": form, "activity": activity})


@never_cache
@staff_required(perm="milestones.add_advisorymeeting")
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    """Commission staff and admins."""
    form = MeetingForm(request.POST or None)
    if form.is_valid():
        meeting = saved_or_errors(form, lambda: services.meeting_create(**form.cleaned_data))
        if meeting:
            messages.success(request, _("Meeting “%(title)s” scheduled.") % {"title": meeting})
            return redirect("milestones:staff_roadmap")
    return render(request, "milestones/meeting_form.html", {"form": form})


@never_cache
@staff_required(perm=EDIT_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    """Commission staff and admins."""
    meeting = _meeting_or_404(pk)
    form = MeetingForm(
        request.POST or None, initial=MeetingForm.initial_for(meeting), meeting=meeting
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["members"] = list(data["members"])
        saved = saved_or_errors(form, lambda: services.meeting_update(meeting=meeting, **data))
        if saved:
            messages.success(request, _("Meeting “%(title)s” saved.") % {"title": saved})
            return redirect("milestones:staff_roadmap")
    return render(request, "milestones/meeting_form.html", {"form": form, "meeting": meeting})


@never_cache
@staff_required(perm=EDIT_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_papers(request, pk):
    """Commission staff and admins: upload papers for a meeting, and publish them (until
    then only invitees and staff can open them)."""
    meeting = _meeting_or_404(pk)
    action = request.POST.get("action")
    if action in ("publish", "unpublish"):
        services.meeting_publish_papers(meeting=meeting, published=action == "publish")
        messages.success(
            request,
            _("The papers are published.")
            if action == "publish"
            else _("The papers are now for invitees and staff only."),
        )
        return redirect("milestones:meeting_papers", pk=pk)
    form = PaperForm(request.POST or None, request.FILES or None)
    if form.is_valid() and saved_or_errors(
        form, lambda: services.paper_upload(meeting=meeting, **form.cleaned_data)
    ):
        messages.success(request, _("Paper added."))
        return redirect("milestones:meeting_papers", pk=pk)
    return render(request, "milestones/meeting_papers.html", {"meeting": meeting, "form": form})


@never_cache
@staff_required(perm=EDIT_MEETINGS)
@require_http_methods(["GET", "POST"])
def paper_remove(request, pk, paper_pk):
    """Commission staff and admins: remove a paper, once they have said yes on this page."""
    meeting = _meeting_or_404(pk)
    paper = next((p for p in meeting.papers.all() if p.pk == paper_pk), None)
    if paper is None:
        raise Http404
    back = reverse("milestones:meeting_papers", args=[pk])
    if request.method == "POST":
        services.paper_remove(paper=paper)
        messages.success(request, _("“%(title)s” removed.") % {"title": paper.title})
        return redirect(back)
    return confirm(
        request,
        question=_("Remove “%(title)s”?") % {"title": paper.title},
        explanation=_("It is one of the papers of %(meeting)s.") % {"meeting": meeting},
        warning=_("Anyone who follows a link to it will find nothing there."),
        action=_("Remove the paper"),
        back=back,
        keep=_("Keep it"),
    )


@never_cache
@staff_required(perm=EDIT_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Commission staff and admins: cancel a meeting, after confirming (GET asks, POST
    cancels): it cannot be undone."""
    meeting = get_object_or_404(AdvisoryMeeting, pk=pk)
    if request.method == "GET":
        return render(request, "milestones/meeting_cancel.html", {"meeting": meeting})
    services.meeting_cancel(meeting=meeting)
    messages.success(request, _("Meeting “%(title)s” cancelled.") % {"title": meeting})
    return redirect("milestones:staff_roadmap")


@never_cache
@staff_required(perm=EDIT_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_minutes(request, pk):
    """Commission staff and admins: record the minutes and who attended."""
    meeting = _meeting_or_404(pk)
    initial = {
        "minutes": meeting.minutes,
        "minutes_published": meeting.minutes_published,
        "attended": [str(a.member_id) for a in meeting.attendance.all() if a.attended],
    }
    form = MinutesForm(request.POST or None, initial=initial, meeting=meeting)
    if form.is_valid():
        services.meeting_record_minutes(
            meeting=meeting,
            minutes=form.cleaned_data["minutes"],
            minutes_published=form.cleaned_data["minutes_published"],
            attended_member_ids={int(pk) for pk in form.cleaned_data["attended"]},
        )
        messages.success(request, _("Minutes and attendance saved."))
        return redirect("milestones:staff_roadmap")
    return render(request, "milestones/meeting_minutes.html", {"form": form, "meeting": meeting})


@never_cache
@staff_required(perm="milestones.view_advisorymember")
@require_GET
def advisory_members(request):
    """Commission staff and admins: the advisory group, past and present."""
    return render(
        request,
        "milestones/advisory_members.html",
        {"members": AdvisoryMember.objects.order_by("-is_active", "name")},
    )


@never_cache
@staff_required(perm="milestones.change_advisorymember")
@require_http_methods(["GET", "POST"])
def advisory_member_edit(request, pk=None):
    """Commission staff and admins: add a member of the advisory group, or change one."""
    member = get_object_or_404(AdvisoryMember, pk=pk) if pk else None
    form = AdvisoryMemberForm(request.POST or None, instance=member)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = saved_or_errors(
            form, lambda: services.advisory_member_save(member=member, **fields)
        )
        if saved:
            messages.success(request, _("%(name)s saved.") % {"name": saved})
            return redirect("milestones:advisory_members")
    return render(request, "milestones/advisory_member_form.html", {"form": form, "member": member})
