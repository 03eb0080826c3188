"""The community consultation: what residents say about the barriers to digital tech jobs
and skills, what changes they ask for, and who they are (optionally).

Answers are anonymous: a response holds no account, IP address or browser details, and the
optional contact email lives in ``Contact``, which has no link to any response.
"""

import secrets
import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.addresses import masked
from common.constraints import ConstraintMessagesBesideFields
from surveys.models import AnswerOption, Questionnaire


class Consultation(Questionnaire):
    constraint_fields = {
        "consultation_closes_after_it_opens": "closes_at",
    }

    slug_pages = ("consultation:detail", "consultation_staff:detail")
    version_fields = ("figures_version", "questions_version")
    figures_version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Bumped with every change to the answers or their codes; keys the figures cache."
        ),
    )
    questions_version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Bumped with every change to the answer lists or wards the questionnaire offers; "
            "keys its blank pages kept ready."
        ),
    )

    class Meta(Questionnaire.Meta):
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_it_opens",
                violation_error_message=_("The consultation must close after it opens."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("consultation:detail", args=[self.slug])


class OptionKind(models.TextChoices):
    BARRIER = "barrier", _("Barrier")
    CHANGE = "change", _("Change asked for")
    SUPPORT = "support", _("Support that would help")


class Option(AnswerOption):
    """One answer residents can tick, in a list staff can edit."""

    constraint_fields = {
        "option_label_unique_per_question": "label",
    }

    questionnaire_field = "consultation"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(_("question"), max_length=10, choices=OptionKind.choices)

    class Meta:
        ordering = ["consultation", "kind", "position", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind", "label"],
                name="option_label_unique_per_question",
                violation_error_message=_(
                    "This question already has an answer option with that label."
                ),
            ),
        ]


class Ward(models.Model):
    """An area residents can say they live in. Staff keep the list up to date."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self):
        return self.name


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form")
    EVENT = "event", _("Community event")


class Interest(models.TextChoices):
    VERY = "very", _("Very interested")
    QUITE = "quite", _("Quite interested")
    NOT_VERY = "not_very", _("Not very interested")
    NOT_AT_ALL = "not_at_all", _("Not at all interested")
    NOT_SURE = "not_sure", _("Not sure")


PREFER_NOT = "prefer_not", _("Prefer not to say")


class Version(models.TextChoices):
    """The version of the questionnaire a resident answered: its questions are the same,
    so the answers combine."""

    STANDARD = "standard", _("Standard")
    EASY_READ = "easy_read", _("Easy Read")


def portal_languages() -> list[tuple[str, str]]:
    """The languages residents can answer in (read when used, so settings can change)."""
    return list(settings.LANGUAGES)


def translated_languages() -> list[tuple[str, str]]:
    """The languages a consultation's texts can be translated into: every language the
    portal offers but its own (English)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class AgeBand(models.TextChoices):
    UNDER_25 = "16_24", _("16 to 24")
    FROM_25 = "25_34", _("25 to 34")
    FROM_35 = "35_44", _("35 to 44")
    FROM_45 = "45_54", _("45 to 54")
    FROM_55 = "55_64", _("55 to 64")
    FROM_65 = "65_plus", _("65 or over")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = PREFER_NOT


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Disability(models.TextChoices):
    LIMITED_A_LOT = "yes_a_lot", _("Yes, my day-to-day activities are limited a lot")
    LIMITED_A_LITTLE = "yes_a_little", _("Yes, my day-to-day activities are limited a little")
    NOT_LIMITED = "yes_not_limited", _("Yes, but my day-to-day activities are not limited")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Caring(models.TextChoices):
    CHILDREN = "children", _("Yes, for children")
    ADULT = "adult", _("Yes, for an adult (because of illness, disability or old age)")
    BOTH = "both", _("Yes, for both")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("Employed full-time")
    PART_TIME = "part_time", _("Employed part-time")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    APPRENTICE = "apprentice", _("Apprentice")
    LOOKING = "looking", _("Unemployed and looking for work")
    EDUCATION = "education", _("In education or training")
    HOME = "home", _("Looking after home or family")
    SICK = "sick", _("Long-term sick or disabled")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")
    PREFER_NOT_TO_SAY = PREFER_NOT


class EthnicGroup(models.TextChoices):
    """The 2021 Census ethnic groups for England: 19 groups under 5 headings, worded and
    ordered as on the England questionnaire. The stored keys begin with their heading's key
    (see ``ethnic_heading_of``); they predate this order and stay as they are."""

    WHITE_BRITISH = "white_british", _("English, Welsh, Scottish, Northern Irish or British")
    IRISH = "white_irish", _("Irish")
    GYPSY_TRAVELLER = "white_gypsy_traveller", _("Gypsy or Irish Traveller")
    ROMA = "white_roma", _("Roma")
    OTHER_WHITE = "white_other", _("Any other White background")
    WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", _("White and Black Caribbean")
    WHITE_BLACK_AFRICAN = "mixed_white_black_african", _("White and Black African")
    WHITE_ASIAN = "mixed_white_asian", _("White and Asian")
    OTHER_MIXED = "mixed_other", _("Any other Mixed or multiple ethnic background")
    INDIAN = "asian_indian", _("Indian")
    PAKISTANI = "asian_pakistani", _("Pakistani")
    BANGLADESHI = "asian_bangladeshi", _("Bangladeshi")
    CHINESE = "asian_chinese", _("Chinese")
    OTHER_ASIAN = "asian_other", _("Any other Asian background")
    CARIBBEAN = "black_caribbean", _("Caribbean")
    AFRICAN = "black_african", _("African")
    OTHER_BLACK = "black_other", _("Any other Black, Black British or Caribbean background")
    ARAB = "other_arab", _("Arab")
    ANY_OTHER = "other_any", _("Any other ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT


class EthnicHeading(models.TextChoices):
    WHITE = "white", _("White")
    MIXED = "mixed", _("Mixed or multiple ethnic groups")
    ASIAN = "asian", _("Asian or Asian British")
    BLACK = "black", _("Black, Black British, Caribbean or African")
    OTHER = "other", _("Other ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT


def ethnic_heading_of(group: str) -> str:
    """The heading a group sits under: the part of its code before the first underscore."""
    if group == PREFER_NOT[0]:
        return EthnicHeading.PREFER_NOT_TO_SAY
    return group.split("_", 1)[0]


class AreaChoice(models.TextChoices):
    WARD = "ward", _("A ward in the borough")
    OUTSIDE = "outside", _("Outside the borough")
    PREFER_NOT_TO_SAY = PREFER_NOT


def new_reference() -> str:
    """A reference residents can read out: 8 characters, no 0/O or 1/I, in two groups."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


WARD_ONLY_IN_A_WARD = _("Choose a ward only when the answer says the person lives in one.")


class Response(ConstraintMessagesBesideFields, models.Model):
    """One resident's answers. Anonymous: nothing here identifies who gave them."""

    constraint_fields = {
        "response_ward_given_exactly_when_area_is_a_ward": "ward",
    }

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField(_("reference"), max_length=9, unique=True, default=new_reference)
    submission_key = models.UUIDField(
        unique=True,
        editable=False,
        help_text=_("Makes sending the same answers twice create one response."),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    channel_detail = models.CharField(
        _("event or place"),
        max_length=200,
        blank=True,
        help_text=_("For responses gathered at an event: which one."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=portal_languages,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the questionnaire was answered in."),
    )
    version = models.CharField(
        _("version"), max_length=10, choices=Version.choices, default=Version.STANDARD
    )
    options = models.ManyToManyField(Option, through="ResponseOption", related_name="responses")
    barriers_other = models.TextField(_("other barriers"), max_length=2000, blank=True)
    changes_other = models.TextField(_("other changes"), max_length=2000, blank=True)
    support_other = models.TextField(_("other support"), max_length=2000, blank=True)
    interest = models.CharField(
        _("interest in digital roles"), max_length=12, choices=Interest.choices, blank=True
    )
    comments = models.TextField(_("anything else"), max_length=5000, blank=True)

    # About you: every question optional, every one with "prefer not to say". Blank means
    # the question was skipped. Used for equality monitoring only, never about a person.
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        _("gender identity same as sex registered at birth"),
        max_length=10,
        choices=YesNo.choices,
        blank=True,
    )
    ethnic_group = models.CharField(
        _("ethnic group"), max_length=30, choices=EthnicGroup.choices, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=16, choices=Disability.choices, blank=True
    )
    caring = models.CharField(
        _("caring responsibilities"), max_length=10, choices=Caring.choices, blank=True
    )
    employment = models.CharField(
        _("employment status"), max_length=14, choices=Employment.choices, blank=True
    )
    area = models.CharField(_("area"), max_length=10, choices=AreaChoice.choices, blank=True)
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )

    themes = models.ManyToManyField(
        "Theme", through="ResponseTheme", related_name="responses", blank=True
    )
    coded_at = models.DateTimeField(
        _("coded"), null=True, blank=True, help_text=_("When staff last coded its free text.")
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area=AreaChoice.WARD) & Q(ward__isnull=False))
                | (~Q(area=AreaChoice.WARD) & Q(ward__isnull=True)),
                name="response_ward_given_exactly_when_area_is_a_ward",
                violation_error_message=WARD_ONLY_IN_A_WARD,
            ),
        ]
        indexes = [models.Index(fields=["consultation", "submitted_at"])]

    def __str__(self):
        return self.reference

    def clean(self):
        # The constraint's rule, checked without asking the database: answers sent
        # (``services.response_submit``) skip the constraint's query.
        if (self.area == AreaChoice.WARD) != (self.ward_id is not None):
            raise ValidationError({"ward": WARD_ONLY_IN_A_WARD})

    @property
    def has_free_text(self) -> bool:
        return any((self.comments, self.barriers_other, self.changes_other, self.support_other))


class ResponseOption(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE)
    option = models.ForeignKey(Option, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "option"],
                name="response_option_once",
                violation_error_message=_("Each answer option can be chosen only once."),
            ),
        ]

    def __str__(self):
        return f"{self.response_id}: {self.option_id}"


class Theme(ConstraintMessagesBesideFields, models.Model):
    """A theme staff code free-text answers with."""

    constraint_fields = {
        "theme_name_unique": "name",
    }

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name"],
                name="theme_name_unique",
                violation_error_message=_("There is already a theme with that name."),
            ),
        ]

    def __str__(self):
        return self.name


class ResponseTheme(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "theme"],
                name="response_theme_once",
                violation_error_message=_("This theme is already applied to the answer."),
            ),
        ]

    def __str__(self):
        return f"{self.response_id}: {self.theme_id}"


class NewsTopic(models.Model):
    """What a resident can choose to hear about (training, jobs, events...): a list staff
    keep, offered with the consent to emails and given to each opportunity sent."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    # Set on a topic a feature sends its own news on (a recommendation's progress): the
    # feature finds the topic by it, whatever staff rename it to.
    key = models.SlugField(max_length=50, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("news topic")
        verbose_name_plural = _("news topics")

    def __str__(self):
        return self.name


class TextPart(models.TextChoices):
    TITLE = "title", _("Title")
    INTRODUCTION = "introduction", _("Introduction")
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    OPTION = "option", _("Answer option")
    TOPIC = "topic", _("News topic")


# The parts a consultation has once, as opposed to one per answer option or news topic.
WHOLE_PARTS = (TextPart.TITLE, TextPart.INTRODUCTION, TextPart.PRIVACY_NOTICE)


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: needs review by a fluent speaker")
    REVIEWED = "reviewed", _("Reviewed")


class Translation(ConstraintMessagesBesideFields, models.Model):
    """One of a consultation's own texts (its title, introduction, privacy notice, an answer
    option or a news topic it offers) in another language, written by people, never by a
    machine at run time. It counts only once reviewed, and only while the English it
    translated (``source``) is still what the English says: a changed English text makes
    the translation out of date until someone brings it in line."""

    constraint_fields = {
        "translation_one_per_whole_part": "part",
        "translation_one_per_option": "option",
        "translation_one_per_topic": "topic",
        "translation_names_what_it_translates": "part",
    }

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=translated_languages)
    part = models.CharField(_("text"), max_length=20, choices=TextPart.choices)
    option = models.ForeignKey(
        Option, on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    topic = models.ForeignKey(
        NewsTopic, on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    source = models.TextField(_("English translated"), max_length=20000)
    text = models.TextField(_("translation"), max_length=20000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TranslationStatus.choices,
        default=TranslationStatus.DRAFT,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["consultation", "language", "part", "option", "topic"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "language", "part"],
                condition=Q(part__in=WHOLE_PARTS),
                name="translation_one_per_whole_part",
                violation_error_message=_("This text already has a translation in that language."),
            ),
            models.UniqueConstraint(
                fields=["consultation", "language", "option"],
                condition=Q(option__isnull=False),
                name="translation_one_per_option",
                violation_error_message=_(
                    "This answer option already has a translation in that language."
                ),
            ),
            models.UniqueConstraint(
                fields=["consultation", "language", "topic"],
                condition=Q(topic__isnull=False),
                name="translation_one_per_topic",
                violation_error_message=_(
                    "This news topic already has a translation in that language."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(part=TextPart.OPTION, option__isnull=False, topic__isnull=True)
                    | Q(part=TextPart.TOPIC, topic__isnull=False, option__isnull=True)
                    | Q(part__in=WHOLE_PARTS, option__isnull=True, topic__isnull=True)
                ),
                name="translation_names_what_it_translates",
                violation_error_message=_(
                    "A translation of an answer option or a news topic names which one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_part_display()} ({self.language})"

    @property
    def english(self) -> str:
        """What the English text says now (reads the option or topic if not loaded)."""
        if self.part == TextPart.OPTION:
            return self.option.label
        if self.part == TextPart.TOPIC:
            return self.topic.name
        return getattr(self.consultation, self.part)


class Contact(models.Model):
    """An email address a resident left to hear about opportunities, with its consent, and
    the topics they chose (none: everything).

    Deliberately not linked to any response, so it can never be shown beside an answer.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, related_name="contacts"
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Erased on withdrawal."))
    consent_text = models.TextField(_("what they agreed to"), max_length=2000)
    # Dates, not times: a contact is saved a moment after the resident's response, so a time
    # of day would match the address to its answers.
    consented_on = models.DateField(_("consented on"), default=timezone.localdate)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    confirmation_sent_on = models.DateField(_("confirmation sent on"), null=True, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    topics = models.ManyToManyField(
        NewsTopic, blank=True, related_name="contacts", verbose_name=_("topics")
    )

    class Meta:
        ordering = ["-consented_on", "email"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.email

    @property
    def masked_email(self) -> str:
        return masked(self.email)

    def get_withdraw_url(self):
        return reverse("consultation:withdraw_contact", args=[self.token])

    def get_manage_url(self):
        return reverse("consultation:contact_topics", args=[self.token])

    def get_unsubscribe_url(self):
        return reverse("consultation:unsubscribe", args=[self.token])


# Staff's set-up and coding are audited; residents' answers and contact details are not
# copied into the audit log.
for model in (Consultation, Option, Ward, Theme, ResponseTheme, NewsTopic, Translation):
    auditlog.register(model)
