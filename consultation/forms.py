"""The questionnaire, a few short pages, and the staff forms. Validation only."""

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from common.forms import DateInputField, EmailField
from common.languages import direction
from surveys.forms import QuestionnaireSettingsForm

from . import languages
from .languages import ENGLISH, Texts
from .models import (
    AgeBand,
    Caring,
    Channel,
    Consultation,
    Disability,
    Employment,
    EthnicGroup,
    EthnicHeading,
    Interest,
    NewsTopic,
    OptionKind,
    Sex,
    TextPart,
    Version,
    Ward,
    YesNo,
    ethnic_heading_of,
    portal_languages,
)

CHECKBOXES = forms.CheckboxSelectMultiple
RADIOS = forms.RadioSelect


def topic_choices(texts: Texts = ENGLISH) -> list[tuple[str, str]]:
    """The news topics residents can choose, in order, in the language of ``texts``
    (1 query)."""
    return [
        (str(pk), texts.topic(pk, name))
        for pk, name in NewsTopic.objects.filter(is_active=True).values_list("pk", "name")
    ]


class ChoosesTopics(forms.Form):
    """The news topics a resident chooses: with their consent to emails, and again from
    the link in any email."""

    topics = forms.MultipleChoiceField(
        label=_("What would you like to hear about?"),
        help_text=_("Leave them all unticked to hear about everything."),
        widget=CHECKBOXES,
        required=False,
    )

    def __init__(self, *args, texts: Texts | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # On the questionnaire's page, in the language of the consultation it belongs to.
        texts = texts or getattr(self, "texts", ENGLISH)
        self.fields["topics"].choices = functools.cache(functools.partial(topic_choices, texts))


class TopicsForm(ChoosesTopics):
    """A resident changing what they hear about, from the link in any email."""


class QuestionForm(forms.Form):
    """A page of the questionnaire. Carries a honeypot: a field people never see (CSS hides
    it) and bots tend to fill in.

    Labels never say "(optional)": the template pack adds it to every question that may be
    left unanswered (common.templatetags.gds_fields), so it reads the same everywhere and
    "check your answers" shows the questions alone."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        # The consultation as the resident reads it (languages.as_read) carries its texts
        # in their language; one read from the database, its English.
        self.texts = getattr(consultation, "texts", ENGLISH)
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.fields["website"].widget.attrs["class"] = "honeypot"

    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


def option_choices(
    consultation: Consultation, kind: str, texts: Texts = ENGLISH
) -> list[tuple[str, str]]:
    """The active options of one answer list, in order, as form choices, in the language
    of ``texts``: kept under the consultation's questions version, which every change to
    its lists and their translations moves on (1 query when first read)."""

    def read():
        options = consultation.options.filter(kind=kind, is_active=True)
        pairs = options.values_list("pk", "label")
        return [(str(pk), texts.option(pk, label)) for pk, label in pairs]

    key = (
        f"option-choices:{consultation.pk}:{consultation.questions_version}:{kind}:{texts.language}"
    )
    return caches["pages"].get_or_set(key, read, None)


class OptionQuestionForm(QuestionForm):
    """A "tick all that apply" question with an "other, in your own words" box."""

    kind: str
    field: str
    other_field: str
    required_message = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the field is first rendered or checked, not before (a blank page kept
        # ready, consultation.views._fields, needs no list at all), and then only once:
        # checking each ticked answer goes over the list again.
        self.fields[self.field].choices = functools.cache(
            functools.partial(option_choices, self.consultation, self.kind, self.texts)
        )
        # Where the page asks for a tick or words in the "other" box (clean), the question
        # is not optional, so it is not marked so (common.templatetags.gds_fields).
        self.fields[self.field].answer_expected = bool(self.required_message)

    def clean(self):
        cleaned = super().clean()
        if (
            self.required_message
            and self.field not in self.errors  # one message per question
            and not cleaned.get(self.field)
            and not cleaned.get(self.other_field, "").strip()
        ):
            self.add_error(self.field, self.required_message)
        return cleaned


class BarriersForm(OptionQuestionForm):
    kind, field, other_field = OptionKind.BARRIER, "barriers", "barriers_other"
    required_message = _("Select at least one barrier, or describe it in your own words")

    barriers = forms.MultipleChoiceField(
        label=_("What makes it hard for you to get digital tech skills or a job in digital tech?"),
        help_text=_("Select all that apply."),
        widget=CHECKBOXES,
        required=False,
    )
    barriers_other = forms.CharField(
        label=_("Anything else that makes it hard"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ChangesForm(OptionQuestionForm):
    kind, field, other_field = OptionKind.CHANGE, "changes", "changes_other"
    required_message = _("Select at least one change, or describe it in your own words")

    changes = forms.MultipleChoiceField(
        label=_("What changes would you ask for?"),
        help_text=_("Select all that apply."),
        widget=CHECKBOXES,
        required=False,
    )
    changes_other = forms.CharField(
        label=_("Any other change you would ask for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class SupportForm(OptionQuestionForm):
    kind, field, other_field = OptionKind.SUPPORT, "support", "support_other"

    support = forms.MultipleChoiceField(
        label=_("What support would help you?"),
        help_text=_("Select all that apply."),
        widget=CHECKBOXES,
        required=False,
    )
    support_other = forms.CharField(
        label=_("Any other support that would help"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    interest = forms.ChoiceField(
        label=_("How interested are you in a job in digital tech?"),
        choices=Interest.choices,
        widget=RADIOS,
        error_messages={"required": _("Select how interested you are in a digital tech job")},
    )


class CommentsForm(QuestionForm):
    comments = forms.CharField(
        label=_("Is there anything else you would like to tell the commission?"),
        help_text=_("Please do not include your name or other details that could identify you."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )


def _optional(choices, label, help_text=""):
    return forms.ChoiceField(
        label=label, choices=choices, widget=RADIOS, required=False, help_text=help_text
    )


def ethnic_group_choices():
    """The 19 groups under their 5 headings, as option groups."""
    headings = dict(EthnicHeading.choices)
    grouped: dict[str, list] = {}
    for value, label in EthnicGroup.choices:
        if value != EthnicGroup.PREFER_NOT_TO_SAY:
            grouped.setdefault(ethnic_heading_of(value), []).append((value, label))
    return [
        ("", _("Select an ethnic group")),
        *((headings[heading], groups) for heading, groups in grouped.items()),
        (EthnicGroup.PREFER_NOT_TO_SAY, EthnicGroup.PREFER_NOT_TO_SAY.label),
    ]


class AboutYouForm(QuestionForm):
    """Equality monitoring: every question optional, each with "prefer not to say"."""

    age_band = _optional(AgeBand.choices, _("What is your age?"))
    sex = _optional(Sex.choices, _("What is your sex?"))
    gender_same_as_birth = _optional(
        YesNo.choices,
        _("Is the gender you identify with the same as your sex registered at birth?"),
    )
    ethnic_group = forms.ChoiceField(
        label=_("What is your ethnic group?"),
        help_text=_("The groups used in the 2021 Census."),
        choices=ethnic_group_choices,
        required=False,
    )


def area_choices():
    wards = [(f"ward:{w.pk}", w.name) for w in Ward.objects.filter(is_active=True)]
    return [
        ("", _("Select your area")),
        (_("Wards in the borough"), wards),
        ("outside", _("I live outside the borough")),
        ("prefer_not", _("Prefer not to say")),
    ]


class CircumstancesForm(QuestionForm):
    disability = _optional(
        Disability.choices,
        _(
            "Do you have a physical or mental health condition or illness that has lasted, "
            "or is expected to last, 12 months or more?"
        ),
    )
    caring = _optional(Caring.choices, _("Do you look after or care for anyone?"))
    employment = _optional(Employment.choices, _("What do you do now?"))
    area = forms.ChoiceField(label=_("Where do you live?"), choices=area_choices, required=False)


CONSENT_TEXT = _(
    "I agree to the Diversity in Tech commission emailing me about digital tech "
    "opportunities (training, jobs, apprenticeships and events), and about what it did with "
    "what residents said if I choose that, until I withdraw."
)


class ContactForm(ChoosesTopics, QuestionForm):
    # The order the page asks them, so that the error summary follows the page.
    field_order = ["website", "email", "consent", "topics"]

    email = EmailField(
        label=_("Email address"),
        help_text=_(
            "Only if you want to hear about opportunities. It is kept apart from your answers."
        ),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email"):
            cleaned["topics"] = []  # nobody to tell: no topics kept
        if cleaned.get("email") and not cleaned.get("consent"):
            self.add_error(
                "consent", _("Tick the box to agree to emails, or remove your email address")
            )
        if cleaned.get("consent") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter your email address, or untick the box"))
        return cleaned


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type[forms.Form]


STEPS = [
    Step("barriers", _("Barriers"), BarriersForm),
    Step("changes", _("Changes you would ask for"), ChangesForm),
    Step("support", _("Support and interest"), SupportForm),
    Step("comments", _("Anything else"), CommentsForm),
    Step("about-you", _("About you"), AboutYouForm),
    Step("circumstances", _("Your circumstances"), CircumstancesForm),
    Step("contact", _("Hearing about opportunities"), ContactForm),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


class SubmitForm(QuestionForm):
    """The "send your answers" button on the check-your-answers page."""


class StaffResponseForm(forms.Form):
    """Staff enter a paper response, or one gathered at a community event, on one page:
    every question of the questionnaire, none of them required (paper forms come back
    half-filled, and staff record what is there), plus where and when it was given."""

    channel = forms.ChoiceField(
        label=_("How was this response given?"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        widget=RADIOS,
        error_messages={"required": _("Select how the response was given")},
    )
    channel_detail = forms.CharField(
        label=_("Which event? (for event responses)"), required=False, max_length=200
    )
    submitted_on = DateInputField(
        label=_("Date the response was given"),
        help_text=_("For example, 27 3 2027"),
        error_messages={"required": _("Enter the date the response was given")},
    )
    language = forms.ChoiceField(
        label=_("Language of the form"),
        choices=portal_languages,
        initial=settings.LANGUAGE_CODE,
        widget=RADIOS,
        required=False,  # left unset: English, as most paper forms are
    )
    version = forms.ChoiceField(
        label=_("Version of the form"),
        choices=Version.choices,
        initial=Version.STANDARD,
        widget=RADIOS,
        required=False,
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        for step in STEPS[:-1]:
            page = step.form_class(consultation=consultation)
            for name, field in page.fields.items():
                if name != "website":
                    # Paper forms come back half-filled: every question here is optional.
                    field.required = False
                    field.answer_expected = False
                    self.fields[name] = field

    def clean_language(self):
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE

    def clean_version(self):
        return self.cleaned_data["version"] or Version.STANDARD

    def clean_submitted_on(self):
        """A response is given while the consultation is open (it may be typed in after it
        closes), and never in the future."""
        given = self.cleaned_data["submitted_on"]
        opened = timezone.localdate(self.consultation.opens_at)
        # closes_at is the first moment it is closed.
        closed = timezone.localdate(
            self.consultation.closes_at - datetime.timedelta(microseconds=1)
        )
        if given < opened:
            raise forms.ValidationError(
                _("Enter a date on or after %(date)s, when the consultation opened"),
                params={"date": formats.date_format(opened)},
            )
        if given > closed:
            raise forms.ValidationError(
                _("Enter a date on or before %(date)s, when the consultation closed"),
                params={"date": formats.date_format(closed)},
            )
        if given > timezone.localdate():
            raise forms.ValidationError(_("Enter today's date or an earlier one"))
        return given

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.EVENT and not cleaned.get("channel_detail"):
            self.add_error("channel_detail", _("Enter the event the response was gathered at"))
        return cleaned


class ThemeForm(forms.Form):
    name = forms.CharField(
        label=_("New theme"),
        max_length=100,
        error_messages={"required": _("Enter the name of the new theme")},
    )
    description = forms.CharField(
        label=_("What it covers (optional)"), required=False, max_length=300
    )


class CodingForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label=_("Themes in this answer"),
        help_text=_("Select all that apply, or none."),
        widget=CHECKBOXES,
        required=False,
    )
    new_theme = forms.CharField(
        label=_("Add a new theme and apply it (optional)"), required=False, max_length=100
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(str(t.pk), t.name) for t in themes]


class ConsultationForm(QuestionnaireSettingsForm):
    close_after_open = _("The consultation must close after it opens.")

    class Meta(QuestionnaireSettingsForm.Meta):
        model = Consultation


class OptionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Question"),
        choices=OptionKind.choices,
        error_messages={"required": _("Select the question the answer is for")},
    )
    label = forms.CharField(
        label=_("Answer"),
        max_length=200,
        error_messages={"required": _("Enter the answer as residents will see it")},
    )
    is_active = forms.BooleanField(label=_("Offer this answer"), required=False, initial=True)


class WardForm(forms.Form):
    name = forms.CharField(
        label=_("Ward name"),
        max_length=100,
        error_messages={"required": _("Enter the ward's name")},
    )
    is_active = forms.BooleanField(label=_("Offer this ward"), required=False, initial=True)


class FindingsForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of findings"),
        help_text=_("Shown above the published figures. Do not name or describe individuals."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": _("Enter a summary of the findings")},
    )


# How long each kind of text may be in translation (as in English, with room: translations
# run longer).
TRANSLATION_LIMITS = {
    TextPart.TITLE: 300,
    TextPart.INTRODUCTION: 8000,
    TextPart.PRIVACY_NOTICE: 20000,
    TextPart.OPTION: 300,
    TextPart.TOPIC: 200,
}
LONG_PARTS = (TextPart.INTRODUCTION, TextPart.PRIVACY_NOTICE)


class TranslationsForm(forms.Form):
    """Every text of a consultation in one language (``languages.text_rows``): a box for
    each, labelled with its English, its state as its hint, and a tick for "reviewed by a
    fluent speaker". Fields are named after the text (``Needed.name``), not its place in
    the list, and each carries the English it showed: a text whose English changed while
    the page was open is not saved against the new English."""

    STATES = {
        languages.MISSING: _("Not translated yet."),
        languages.DRAFT: _("Draft: needs review by a fluent speaker."),
        languages.REVIEWED: _("Reviewed."),
        languages.OUT_OF_DATE: _(
            "Out of date: the English has changed since this was translated. Check it "
            "against the English and tick it reviewed again."
        ),
    }

    def __init__(self, *args, rows, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        parts = dict(TextPart.choices)
        writing = direction(language)
        for row in rows:
            text, name = row.needed, row.needed.name
            self.fields[f"text_{name}"] = forms.CharField(
                label=format_html(
                    '{}: <span lang="en" dir="ltr">{}</span>',
                    parts[text.part],
                    Truncator(text.english).chars(120),
                ),
                help_text=self.STATES[row.state],
                required=False,
                max_length=TRANSLATION_LIMITS[text.part],
                initial=row.translation.text if row.translation else "",
                widget=forms.Textarea(attrs={"rows": 6, "lang": language, "dir": writing})
                if text.part in LONG_PARTS
                else forms.TextInput(attrs={"lang": language, "dir": writing}),
            )
            self.fields[f"reviewed_{name}"] = forms.BooleanField(
                label=format_html(
                    '{}: <span lang="en" dir="ltr">{}</span>',
                    _("Reviewed by a fluent speaker"),
                    Truncator(text.english).chars(60),
                ),
                required=False,
                initial=row.state == languages.REVIEWED,
            )
            self.fields[f"shown_{name}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=_fingerprint(text.english)
            )

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            name = row.needed.name
            if cleaned.get(f"shown_{name}") != _fingerprint(row.needed.english):
                self.add_error(
                    f"text_{name}",
                    _("Its English changed while you were translating: check it again"),
                )
            elif cleaned.get(f"reviewed_{name}") and not cleaned.get(f"text_{name}", "").strip():
                self.add_error(
                    f"text_{name}", _("Write the translation before marking it reviewed")
                )
        return cleaned

    def texts(self) -> list:
        """(text row, translation, reviewed) for each text, for ``translations_save``."""
        return [
            (
                row,
                self.cleaned_data[f"text_{row.needed.name}"],
                self.cleaned_data[f"reviewed_{row.needed.name}"],
            )
            for row in self.rows
        ]


def _fingerprint(english: str) -> str:
    """A short stand-in for an English text, carried by the page that showed it."""
    return hashlib.sha256(english.encode()).hexdigest()[:16]
