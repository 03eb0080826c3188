"""The member directory's filters, and those of the applications waiting (GET forms, so a
filtered list can be bookmarked)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Discipline, Membership, Organisation, Seniority


class DirectoryFilter(django_filters.FilterSet):
    """Narrow the directory by organisation, topic, and mentors only. Each filter matches
    only what members chose to show, so that filtering cannot reveal what the list hides:
    an organisation matches only members who show theirs, and a topic only the topics
    members mentor in (the directory never shows what someone would like mentoring in).
    The lists offer only what the directory shows."""

    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=selectors.directory_organisations(),
        empty_label=_("All organisations"),
        method="by_organisation",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Select an organisation from the list")},
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Mentors in"),
        queryset=selectors.directory_topics(),
        empty_label=_("Any topic"),
        method="by_topic",
        widget=forms.Select(attrs={"class": "govuk-select", "aria-describedby": "id_topic-hint"}),
        error_messages={"invalid_choice": _("Select a topic from the list")},
    )
    mentors = django_filters.BooleanFilter(
        label=_("Mentors only"),
        method="mentors_only",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    class Meta:
        model = Membership
        fields = ["organisation", "topic", "mentors"]

    def by_organisation(self, queryset, name, value):
        return queryset.filter(organisation=value, show_organisation=True) if value else queryset

    def by_topic(self, queryset, name, value):
        return queryset.filter(topics=value, offers_mentoring=True) if value else queryset

    def mentors_only(self, queryset, name, value):
        return queryset.filter(offers_mentoring=True) if value else queryset


class ApplicationFilter(django_filters.FilterSet):
    """Narrow the applications waiting by organisation, level and discipline. The list of
    organisations offers those with an application waiting."""

    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(
            memberships__in=selectors.applications().values("pk")
        ).distinct(),
        empty_label=_("All organisations"),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Select an organisation from the list")},
    )
    seniority = django_filters.ChoiceFilter(
        label=_("Level"),
        choices=Seniority.choices,
        empty_label=_("Any level"),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Select a level from the list")},
    )
    discipline = django_filters.ChoiceFilter(
        label=_("Discipline"),
        choices=Discipline.choices,
        empty_label=_("Any discipline"),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Select a discipline from the list")},
    )

    class Meta:
        model = Membership
        fields = ["organisation", "seniority", "discipline"]
