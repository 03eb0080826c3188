"""The links this app adds to pages of the apps below it (``common.related``): from a
roadmap activity to the recommendations it serves, and from a consultation's or an employer
survey's findings to what the commission did with them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from common.related import RelatedLink, provides

from . import selectors


@provides("milestones.activity")
def _activity(activity):
    return [
        RelatedLink(str(r), r.get_absolute_url(), r.get_status_display())
        for r in selectors.for_activity(activity)
    ]


@provides("consultation.findings")
def _findings(consultation):
    links = [
        RelatedLink(
            _("You said, we did: what the commission did with what residents said"),
            reverse("recommendations:you_said_we_did", args=[consultation.slug]),
        )
    ]
    return links + _resting_on(consultation)


@provides("employers.findings")
def _survey_findings(survey):
    return _resting_on(survey)


def _resting_on(questionnaire):
    return [
        RelatedLink(str(r), r.get_absolute_url(), r.get_status_display())
        for r in selectors.for_questionnaire(questionnaire)
    ]
