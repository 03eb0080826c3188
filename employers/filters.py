"""The staff list of invited organisations: its filters (a GET form, so a filtered list
can be bookmarked)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Employer

PROGRESS = {
    "not_opened": (
        _("Not opened"),
        Q(opened__isnull=True, has_draft=False, submitted_at__isnull=True),
    ),
    "opened": (
        _("Opened"),
        Q(opened__isnull=False, has_draft=False, submitted_at__isnull=True),
    ),
    "draft": (_("Draft saved"), Q(has_draft=True, submitted_at__isnull=True)),
    "submitted": (_("Submitted"), Q(submitted_at__isnull=False)),
}


class InvitedFilter(django_filters.FilterSet):
    """Narrow the invited organisations by name and by how far they have got (the
    annotations of ``selectors.invitation_progress``)."""

    # Not "name": the invite form on the same page has a field of that name (and its id).
    search = django_filters.CharFilter(
        label=_("Organisation name contains"),
        field_name="name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
    )
    progress = django_filters.ChoiceFilter(
        label=_("Progress"),
        choices=[(key, label) for key, (label, _q) in PROGRESS.items()],
        empty_label=_("Any"),
        method="by_progress",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Select a progress from the list")},
    )

    class Meta:
        model = Employer
        fields = ["search", "progress"]

    def by_progress(self, queryset, name, value):
        return queryset.filter(PROGRESS[value][1]) if value else queryset
