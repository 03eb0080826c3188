"""What each area of the check reports: a finding, explained, with what to write instead
and where the advice comes from."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""


@dataclass
class Finding:
    """Something in the advert worth changing (or, for an offer, whether it is there)."""

    code: str
    title: str
    why: str
    instead: str
    source: Source
    # The words in the advert that gave rise to it, as written.
    quotes: list[str] = field(default_factory=list)
    # For an offer: whether the advert makes it. Other findings are always things to review.
    found: bool = False

    def as_dict(self) -> dict:
        """As the open API gives it (``opendata.schemas.AdvertFindingOut``)."""
        return {
            "code": self.code,
            "title": str(self.title),
            "why": str(self.why),
            "instead": str(self.instead),
            "source": {"title": str(self.source.title), "url": self.source.url},
            "quotes": self.quotes,
            "found": self.found,
        }


GAUCHER = Source(
    _(
        "Gaucher, Friesen and Kay (2011), Evidence that gendered wording in job advertisements "
        "exists and sustains gender inequality, Journal of Personality and Social Psychology "
        "101(1), 109–128"
    ),
    "https://doi.org/10.1037/a0022530",
)
GOV_UK_WRITING = Source(
    _("GOV.UK content design: writing for GOV.UK (reading age, sentence length)"),
    "https://www.gov.uk/guidance/content-design/writing-for-gov-uk",
)
GOV_UK_WORDS_TO_AVOID = Source(
    _("GOV.UK style guide: words to avoid"),
    "https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style",
)
PLAIN_ENGLISH = Source(
    _("Plain English Campaign: How to write in plain English"),
    "https://www.plainenglish.co.uk/how-to-write-in-plain-english.html",
)
FLESCH_KINCAID = Source(
    _(
        "Kincaid, Fishburne, Rogers and Chissom (1975), Derivation of new readability formulas "
        "(the Flesch–Kincaid grade level), computed with the textstat library"
    ),
)
DEGREES = Source(
    _(
        "Burning Glass Technologies, Accenture and Harvard Business School (2017), Dismissed "
        "by Degrees"
    ),
)
MOHR = Source(
    _(
        "Tara Mohr (2014), Why women don’t apply for jobs unless they’re 100% qualified, "
        "Harvard Business Review"
    ),
    "https://hbr.org/2014/08/why-women-dont-apply-for-jobs-unless-theyre-100-qualified",
)
ACAS_AGE = Source(
    _("Acas: Age discrimination (recruitment), and the Equality Act 2010, section 19"),
    "https://www.acas.org.uk/age-discrimination",
)
EQUALITY_ACT = Source(
    _("Equality Act 2010: indirect discrimination (section 19) and reasonable adjustments (20)"),
    "https://www.legislation.gov.uk/ukpga/2010/15/contents",
)
EHRC_CODE = Source(
    _("Equality and Human Rights Commission: Employment Statutory Code of Practice (2011)"),
    "https://www.equalityhumanrights.com/",
)
PAY_TRANSPARENCY = Source(
    _("Government Equalities Office (2022): pay transparency pilot, salary ranges in job adverts"),
)
FLEXIBLE_ADVERTS = Source(
    _(
        "Behavioural Insights Team for the Government Equalities Office: advertising jobs as "
        "flexible or part-time draws more applicants, women especially"
    ),
)
DISABILITY_CONFIDENT = Source(
    _("Disability Confident employer scheme, Department for Work and Pensions"),
    "https://www.gov.uk/government/collections/disability-confident-campaign",
)
APPRENTICESHIPS = Source(
    _("Institute for Apprenticeships and Technical Education: apprenticeship standards"),
    "https://www.instituteforapprenticeships.org/",
)
