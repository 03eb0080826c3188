from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInputField, DatePartsField
from common.uploads import validate_document
from milestones.models import Activity

from .models import Document, DocumentKind, Recommendation, Status

STATUS_REASON_MAX = Recommendation._meta.get_field("status_reason").max_length


class RecommendationForm(forms.Form):
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=999,
        help_text=_("As numbered in the report."),
        error_messages={"required": _("Enter the recommendation's number")},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the recommendation")},
    )
    text = forms.CharField(
        label=_("What the commission recommends"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what the commission recommends")},
    )
    owner = forms.CharField(
        label=_("Owner"),
        max_length=150,
        help_text=_("The council team or partner responsible, e.g. Economic Development, JSFL."),
        error_messages={"required": _("Enter who is responsible for it")},
    )
    target = DatePartsField(
        label=_("Target date (optional)"),
        required=False,
        help_text=_("Leave the day empty if only the month is set, for example 3 2027."),
    )

    @classmethod
    def initial_for(cls, recommendation: Recommendation) -> dict:
        return {
            "number": recommendation.number,
            "title": recommendation.title,
            "text": recommendation.text,
            "owner": recommendation.owner,
            "target": (recommendation.target_on, recommendation.target_precision)
            if recommendation.target_on
            else None,
        }

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        target = data.pop("target")
        data["target_on"], data["target_precision"] = target if target else (None, "month")
        return data


class ProgressForm(forms.Form):
    written_on = DateInputField(
        label=_("Date"),
        help_text=_("When it happened, for example 27 3 2027."),
        error_messages={"required": _("Enter the date of the update")},
    )
    text = forms.CharField(
        label=_("What has happened"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    status_reason = forms.CharField(
        label=_("Why it is not being taken forward"),
        help_text=_("Needed if it is not taken forward. Shown to the public."),
        max_length=STATUS_REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.fields["status"].initial = recommendation.status
        self.fields["status_reason"].initial = recommendation.status_reason

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Status.NOT_TAKEN_FORWARD and not cleaned.get("status_reason", "").strip():
            self.add_error(
                "status_reason", _("Say why the recommendation is not being taken forward")
            )
        if status == self.recommendation.status and not cleaned.get("text", "").strip():
            self.add_error("text", _("Write what has happened, or change the status"))
        return cleaned


class ActionForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Roadmap activity"),
        queryset=Activity.objects.order_by("starts_on", "title"),
        error_messages={"required": _("Select the roadmap activity that delivers it")},
    )
    note = forms.CharField(label=_("How it delivers it (optional)"), max_length=300, required=False)


class EvidenceNoteForm(forms.Form):
    note = forms.CharField(
        label=_("What it shows (optional)"),
        max_length=500,
        required=False,
        help_text=_("In a sentence: why this evidence matters to the recommendation."),
    )


class QuoteForm(forms.Form):
    text = forms.CharField(
        label=_("Words to quote"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Take out names, places, employers and anything else that could identify "
            "someone; mark the cuts with [...]."
        ),
        error_messages={"required": _("Enter the words to quote")},
    )


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    published = DatePartsField(
        label=_("Date"),
        help_text=_("Leave the day empty if only the month is known, for example 11 2020."),
        error_messages={"required": _("Enter the document's date: a month and a year")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a short summary")},
    )
    file = forms.FileField(
        label=_("File (PDF, DOCX, ODT or XLSX)"),
        required=False,
        validators=[validate_document],
        help_text=_("Or give a link below."),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=200, assume_scheme="https")
    activity = forms.ModelChoiceField(
        label=_("Roadmap activity that produced it (optional)"),
        queryset=Activity.objects.order_by("starts_on", "title"),
        required=False,
    )
    is_published = forms.BooleanField(label=_("Show in the evidence library"), required=False)

    def __init__(self, *args, document: Document | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    @classmethod
    def initial_for(cls, document: Document) -> dict:
        return {
            "title": document.title,
            "kind": document.kind,
            "published": (document.published_on, document.published_precision),
            "summary": document.summary,
            "url": document.url,
            "activity": document.activity,
            "is_published": document.is_published,
        }

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or bool(self.document and self.document.file)
        if cleaned.get("url") and cleaned.get("file"):
            self.add_error("url", _("Upload a file or give a link, not both"))
        elif not has_file and not cleaned.get("url") and "file" not in self.errors:
            # A file refused (wrong kind, too large) has said why already.
            self.add_error("file", _("Upload a file or give a link"))
        return cleaned

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["published_on"], data["published_precision"] = data.pop("published")
        if not data["file"]:
            data.pop("file")
            if data["url"] and self.document is not None and self.document.file:
                data["file"] = ""  # a link now, instead of the file
        return data
