from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.audit import AuditedAdmin

from . import services
from .models import (
    Activity,
    AdvisoryMeeting,
    AdvisoryMember,
    Deliverable,
    LoadedRoadmapRow,
    MeetingAttendance,
    MeetingPaper,
    Partner,
    Workstream,
)


class SlugFixedOnceCreatedAdmin(AuditedAdmin):
    """The slug is an address people and other sites link to: set when the row is added,
    then shown but not changed."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "slug"] if obj is not None else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)


@admin.register(Workstream)
class WorkstreamAdmin(SlugFixedOnceCreatedAdmin):
    list_display = ["name", "position", "source_key"]
    list_editable = ["position"]
    list_filter = [("source_key", admin.EmptyFieldListFilter)]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["source_key"]


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ["name", "website"]
    list_filter = [("website", admin.EmptyFieldListFilter), "activities__workstream"]
    search_fields = ["name"]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 1


@admin.register(Activity)
class ActivityAdmin(SlugFixedOnceCreatedAdmin):
    list_display = [
        "title",
        "kind",
        "workstream",
        "starts_on",
        "starts_precision",
        "ends_on",
        "status_override",
        "is_public",
    ]
    list_filter = ["kind", "workstream", "is_public", "status_override", "starts_precision"]
    search_fields = ["title", "description", "deliverables__text", "partners__name"]
    list_select_related = ["workstream"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partners"]
    readonly_fields = ["source_key", "calendar_uid", "created_at", "updated_at"]
    date_hierarchy = "starts_on"
    inlines = [DeliverableInline]


@admin.register(LoadedRoadmapRow)
class LoadedRoadmapRowAdmin(AuditedAdmin):
    """Rows of the roadmap document already loaded. Deleting one lets ``load_roadmap`` add
    its activity again, if staff deleted it by mistake."""

    list_display = ["key", "loaded_at"]
    search_fields = ["key"]
    date_hierarchy = "loaded_at"


@admin.register(Deliverable)
class DeliverableAdmin(AuditedAdmin):
    list_display = ["text", "activity", "position"]
    list_filter = ["activity__workstream", "activity__kind"]
    search_fields = ["text", "activity__title"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity"]


@admin.register(AdvisoryMember)
class AdvisoryMemberAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "role", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "organisation", "role"]
    raw_id_fields = ["user"]


class MeetingPaperInline(admin.TabularInline):
    model = MeetingPaper
    extra = 1


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ["member"]


@admin.register(AdvisoryMeeting)
class AdvisoryMeetingAdmin(AuditedAdmin):
    list_display = ["title", "starts_at", "location", "is_cancelled", "minutes_published"]
    list_filter = ["is_cancelled", "minutes_published"]
    search_fields = ["title", "agenda", "minutes", "location"]
    list_select_related = ["activity"]
    date_hierarchy = "starts_at"
    # Cancelling goes through its action, so that the calendar SEQUENCE moves on and
    # invitees are told.
    readonly_fields = ["is_cancelled", "uid", "sequence"]
    inlines = [MeetingPaperInline, MeetingAttendanceInline]
    actions = ["cancel_meetings"]

    def get_exclude(self, request, obj=None):
        # A meeting being scheduled has no minutes yet (they are recorded once it is held),
        # nor papers to publish.
        if obj is None:
            return ["minutes", "minutes_published", "papers_published"]
        return super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        """Through the services, as the staff pages do: a new time or place bumps the
        calendar SEQUENCE, which is what sends reminded invitees the change."""
        fields = {name: form.cleaned_data[name] for name in form.fields}
        if change:
            saved = services.meeting_update(
                meeting=AdvisoryMeeting.objects.get(pk=obj.pk),
                **{name: value for name, value in fields.items() if name in form.changed_data},
            )
        else:
            saved = services.meeting_create(**fields)
        # The admin saves the papers and invitations inlines against ``obj`` next.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        """Invitees added or taken off in the inline are told, as on the staff pages."""
        if formset.model is not MeetingAttendance:
            return super().save_formset(request, form, formset, change)
        before = {f.instance.pk: f.initial.get("member") for f in formset.initial_forms}
        formset.save()
        moved = [a for a, fields in formset.changed_objects if "member" in fields]
        gone_ids = [a.member_id for a in formset.deleted_objects]
        gone_ids += [before[a.pk] for a in moved]
        services.meeting_invitations_changed(
            meeting=form.instance,
            added=[*formset.new_objects, *moved],
            removed=list(
                AdvisoryMember.objects.filter(pk__in=gone_ids).values_list("email", flat=True)
            ),
        )
        return None

    @admin.action(description=_("Cancel meeting"), permissions=["change"])
    def cancel_meetings(self, request, queryset):
        for meeting in queryset.filter(is_cancelled=False):
            services.meeting_cancel(meeting=meeting)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s meeting is cancelled.", "%(count)s meetings are cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(MeetingPaper)
class MeetingPaperAdmin(AuditedAdmin):
    list_display = ["title", "meeting", "url", "position"]
    list_filter = ["meeting__is_cancelled", "meeting__minutes_published"]
    search_fields = ["title", "url", "meeting__title"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(AuditedAdmin):
    list_display = ["member", "meeting", "rsvp", "attended", "replied_at"]
    list_filter = ["rsvp", "attended"]
    search_fields = ["member__name", "meeting__title"]
    list_select_related = ["member", "meeting"]
